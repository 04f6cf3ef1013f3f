"""How well did it work? Accuracy, correlation, live ReLU units and the least-squares line.

Results with more than one number come back as small frozen dataclasses, so a
page can print ``fit.slope`` rather than remember which tuple entry was which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import torch
from torch import nn

from annlab._checks import check_same_shape, check_tensor


def accuracy(prediction: torch.Tensor, target: torch.Tensor, *, threshold: float = 0.5) -> float:
    """The fraction of observations whose predicted class is the true class.

    The predicted class is 1 where ``prediction > threshold`` and 0 elsewhere.

    Parameters
    ----------
    prediction : torch.Tensor
        Predicted probabilities of class 1 (a sigmoid's output). For logits (a
        model without the final sigmoid) pass ``threshold=0.0``: z > 0 exactly
        when σ(z) > ½.
    target : torch.Tensor, same shape as ``prediction``
        The true classes, each 0 or 1.
    threshold : float

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> accuracy(torch.tensor([0.9, 0.4, 0.6, 0.1]), torch.tensor([1.0, 0.0, 0.0, 0.0]))
    0.75
    >>> accuracy(torch.tensor([2.0, -1.0]), torch.tensor([1.0, 0.0]), threshold=0.0)
    1.0
    """
    if isinstance(threshold, bool) or not isinstance(threshold, Real):
        raise TypeError(f"threshold must be a number; got {threshold!r}")
    if not math.isfinite(float(threshold)):
        raise ValueError(f"threshold must be a finite number; got {threshold!r}")
    prediction, target = check_same_shape(prediction, "prediction", target, "target")
    if not bool(((target == 0) | (target == 1)).all()):
        raise ValueError("target must hold only 0s and 1s")
    predicted_class = (prediction > threshold).to(target.dtype)
    return float((predicted_class == target).to(torch.float64).mean())


@dataclass(frozen=True)
class Correlation:
    """Pearson's correlation of prediction and target, and whether it was defined.

    Attributes
    ----------
    value : float
        Between −1 and 1, or NaN when either side is constant.
    constant_prediction : bool
        The prediction was the same number for every observation (for a ReLU
        network, the sign of a dead unit). The correlation is then undefined.
    constant_target : bool
        The target was constant; the correlation is undefined too.
    """

    value: float
    constant_prediction: bool
    constant_target: bool = False


def pearson_correlation(prediction: torch.Tensor, target: torch.Tensor) -> Correlation:
    """How well a straight line relates prediction and target: Pearson's r.

    r = Σ (ŷ − mean ŷ)(y − mean y) / √(Σ (ŷ − mean ŷ)² · Σ (y − mean y)²),
    computed in float64 over all entries.

    When the prediction is constant (a model whose only ReLU unit died outputs
    one number for every input), r divides 0 by 0: it is undefined, and the
    value is NaN with ``constant_prediction=True``. It is never replaced by 0:
    the lecture's notes set such NaNs to 0 before averaging over runs, which
    mixes failed runs into the mean as if they had "no correlation" and drags
    the average down. Count them apart instead.

    Parameters
    ----------
    prediction : torch.Tensor
    target : torch.Tensor, same shape as ``prediction``, at least two entries

    Returns
    -------
    Correlation

    Examples
    --------
    >>> target = torch.tensor([1.0, 2.0, 3.0])
    >>> pearson_correlation(2 * target + 1, target).value
    1.0
    >>> dead = pearson_correlation(torch.full((3,), 0.7), target)
    >>> math.isnan(dead.value), dead.constant_prediction
    (True, True)
    """
    prediction, target = check_same_shape(prediction, "prediction", target, "target")
    if prediction.numel() < 2:
        raise ValueError(
            f"prediction and target need at least 2 entries; got {prediction.numel()}"
        )
    a = prediction.reshape(-1).to(torch.float64)
    b = target.reshape(-1).to(torch.float64)
    a, b = a - a.mean(), b - b.mean()
    spread_a, spread_b = float((a * a).sum()), float((b * b).sum())
    constant_prediction = bool((prediction == prediction.reshape(-1)[0]).all()) or spread_a == 0
    constant_target = bool((target == target.reshape(-1)[0]).all()) or spread_b == 0
    if constant_prediction or constant_target:
        return Correlation(float("nan"), constant_prediction, constant_target)
    value = float((a * b).sum()) / math.sqrt(spread_a * spread_b)
    return Correlation(max(-1.0, min(1.0, value)), False, False)


def active_fraction(model: nn.Sequential, x: torch.Tensor) -> list[torch.Tensor]:
    """For each ReLU layer, the fraction of the inputs on which each of its units is active.

    A unit is active on an input when its pre-activation is above 0, so that
    gradient flows through it. A unit active on no input is dead: it outputs 0
    everywhere and never learns again.

    Parameters
    ----------
    model : torch.nn.Sequential
        A network with at least one ``nn.ReLU`` (e.g. from :func:`annlab.models.mlp`).
    x : torch.Tensor, shape (n, d)
        The inputs, e.g. the training set.

    Returns
    -------
    list of torch.Tensor
        One 1-D tensor per ReLU layer, in order, with one fraction in [0, 1] per unit.

    Examples
    --------
    >>> from annlab.models import mlp
    >>> model = mlp([2, 16, 1, 1])
    >>> fractions = active_fraction(model, torch.randn(100, 2))
    >>> [tuple(f.shape) for f in fractions]
    [(16,), (1,)]
    >>> with torch.no_grad():
    ...     _ = model[2].bias.fill_(-100.0)  # kill the bottleneck unit
    >>> active_fraction(model, torch.randn(100, 2))[1]
    tensor([0.])
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential; got {type(model).__name__}")
    if not any(isinstance(layer, nn.ReLU) for layer in model):
        raise ValueError("model must contain at least one nn.ReLU layer")
    x = check_tensor(x, "x", ndim=2)
    in_features = next(
        (layer.in_features for layer in model if isinstance(layer, nn.Linear)), None
    )
    if in_features is not None and x.shape[1] != in_features:
        raise ValueError(
            f"x must have one column per input of the model ({in_features}); "
            f"got shape {tuple(x.shape)}"
        )
    parameter = next(model.parameters(), None)
    if parameter is not None:
        x = x.to(parameter.dtype)
    fractions = []
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.ReLU):
                fractions.append((x > 0).to(torch.float32).reshape(x.shape[0], -1).mean(dim=0))
            x = layer(x)
    return fractions


@dataclass(frozen=True)
class LineFit:
    """The least-squares line y ≈ slope·x + intercept, and its mean squared error."""

    slope: float
    intercept: float
    mse: float


def least_squares(x: torch.Tensor, y: torch.Tensor) -> LineFit:
    """The best straight line through the points, in closed form (ordinary least squares).

    slope = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)², intercept = ȳ − slope·x̄, computed
    in float64: no training, no learning rate, the exact minimum of the mean
    squared error over all lines.

    Parameters
    ----------
    x : torch.Tensor, shape (n, 1) or (n,)
        At least two different values.
    y : torch.Tensor, same shape as ``x``

    Returns
    -------
    LineFit
        ``slope``, ``intercept`` and ``mse``, the mean of the squared residuals.

    Examples
    --------
    >>> x = torch.tensor([[0.0], [1.0], [2.0]])
    >>> fit = least_squares(x, 3 * x + 1)
    >>> round(fit.slope, 6), round(fit.intercept, 6), round(fit.mse, 6)
    (3.0, 1.0, 0.0)
    """
    x = check_tensor(x, "x", ndim=(1, 2))
    if x.ndim == 2 and x.shape[1] != 1:
        raise ValueError(f"x must have shape (n, 1) or (n,); got shape {tuple(x.shape)}")
    x, y = check_same_shape(x, "x", y, "y")
    x, y = x.reshape(-1).to(torch.float64), y.reshape(-1).to(torch.float64)
    dx = x - x.mean()
    spread = float((dx * dx).sum())
    if spread == 0:
        raise ValueError("x must hold at least two different values to fit a line")
    slope = float((dx * (y - y.mean())).sum()) / spread
    intercept = float(y.mean()) - slope * float(x.mean())
    mse = float(((slope * x + intercept - y) ** 2).mean())
    return LineFit(slope=slope, intercept=intercept, mse=mse)
