"""Loss functions written out by hand, to compare with PyTorch's.

Every loss takes ``(prediction, target)`` in that order, as PyTorch does, and
returns the cost: the mean of the per-observation losses (PyTorch's
``reduction="mean"``). Prediction and target must have exactly the same shape:
an ``(n, 1)`` prediction against an ``(n,)`` target would broadcast to an
``(n, n)`` table of every prediction against every target, which
``nn.MSELoss`` averages without complaint (only a warning) into a wrong number.
"""

from __future__ import annotations

from typing import Literal, get_args

import torch

from annlab._checks import check_bool, check_same_shape

LossName = Literal["mse", "bce", "bce_with_logits"]
"""The losses annlab knows, by name (:data:`annlab.training.LOSSES` has their functions):
mean squared error, binary cross-entropy of probabilities, and of logits."""

GradientLossName = Literal["mse", "bce_with_logits"]
"""The losses whose gradient annlab writes out by hand: in
:func:`annlab.by_hand.gradients.two_layer_backward` and in both kernels of the many-run
trainer (``tests/library/test_names.py`` checks that they are among :data:`LossName`)."""

LOSS_NAMES: tuple[LossName, ...] = get_args(LossName)
GRADIENT_LOSS_NAMES: tuple[GradientLossName, ...] = get_args(GradientLossName)

_LOG_FLOOR = -100.0
"""PyTorch clamps log(ŷ) and log(1 − ŷ) at −100 in binary cross-entropy, so ŷ = 0 costs 100."""


def _check_unit_interval(value: torch.Tensor, name: str) -> None:
    if bool(((value < 0) | (value > 1)).any()):
        low, high = float(value.min()), float(value.max())
        raise ValueError(f"{name} must lie between 0 and 1; got values from {low} to {high}")


def mse(prediction: torch.Tensor, target: torch.Tensor, *, half: bool = False) -> torch.Tensor:
    """Mean squared error: the mean over all entries of (ŷ − y)².

    Parameters
    ----------
    prediction : torch.Tensor
        The model's outputs ŷ.
    target : torch.Tensor, same shape as ``prediction``
        The true values y.
    half : bool
        Multiply by ½, as the lectures do so that the ½ cancels the 2 of the
        derivative. PyTorch's ``nn.MSELoss`` has no ½ (``half=False``).

    Returns
    -------
    torch.Tensor
        A 0-dimensional tensor.

    Raises
    ------
    ValueError
        If the shapes differ (even if they would broadcast) or an entry is NaN or inf.

    Examples
    --------
    >>> prediction, target = torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0])
    >>> float(mse(prediction, target))
    2.5
    >>> float(mse(prediction, target, half=True))
    1.25
    >>> mse(torch.zeros(3, 1), torch.zeros(3))
    Traceback (most recent call last):
    ...
    ValueError: prediction and target must have the same shape; got prediction of shape (3, 1) ...
    """
    check_bool(half, "half")
    prediction, target = check_same_shape(prediction, "prediction", target, "target")
    cost = ((prediction - target) ** 2).mean()
    return cost / 2 if half else cost


def binary_cross_entropy(probability: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of probabilities: −mean(y·log ŷ + (1 − y)·log(1 − ŷ)).

    Each log is clamped at −100, as PyTorch does, so a confident wrong answer
    (ŷ = 0 for y = 1) costs 100 instead of infinity; the result matches
    ``torch.nn.functional.binary_cross_entropy``.

    Parameters
    ----------
    probability : torch.Tensor
        Predicted probabilities ŷ of class 1, each in [0, 1] (a sigmoid's output).
    target : torch.Tensor, same shape as ``probability``
        The true classes y, each in [0, 1] (usually 0 or 1).

    Returns
    -------
    torch.Tensor
        A 0-dimensional tensor.

    Raises
    ------
    ValueError
        If the shapes differ, a value is outside [0, 1], NaN or inf.

    Examples
    --------
    >>> probability, target = torch.tensor([0.9, 0.2]), torch.tensor([1.0, 0.0])
    >>> loss = binary_cross_entropy(probability, target)
    >>> import math
    >>> by_hand = -(math.log(0.9) + math.log(1 - 0.2)) / 2
    >>> abs(float(loss) - by_hand) < 1e-6
    True
    >>> float(binary_cross_entropy(torch.tensor([0.0]), torch.tensor([1.0])))
    100.0
    """
    probability, target = check_same_shape(probability, "probability", target, "target")
    _check_unit_interval(probability, "probability")
    _check_unit_interval(target, "target")
    log_p = torch.log(probability).clamp(min=_LOG_FLOOR)
    log_not_p = torch.log1p(-probability).clamp(min=_LOG_FLOOR)
    return -(target * log_p + (1 - target) * log_not_p).mean()


def binary_cross_entropy_with_logits(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy computed from logits z (before the sigmoid), safely for any z.

    Mathematically this is ``binary_cross_entropy(sigmoid(z), y)``, but written
    as max(z, 0) − z·y + log(1 + e^(−|z|)), which never takes the exponential
    of a large positive number nor the log of 0, so it stays finite even at
    z = ±1000, where σ(z) rounds to exactly 0 or 1. This is what
    ``nn.BCEWithLogitsLoss`` computes.

    Parameters
    ----------
    logits : torch.Tensor
        The model's raw outputs z (any finite real numbers).
    target : torch.Tensor, same shape as ``logits``
        The true classes y, each in [0, 1].

    Returns
    -------
    torch.Tensor
        A 0-dimensional tensor.

    Examples
    --------
    >>> logits, target = torch.tensor([0.0, 1000.0]), torch.tensor([1.0, 0.0])
    >>> loss = binary_cross_entropy_with_logits(logits, target)
    >>> import math
    >>> abs(float(loss) - (math.log(2) + 1000) / 2) < 1e-4
    True
    """
    logits, target = check_same_shape(logits, "logits", target, "target")
    _check_unit_interval(target, "target")
    return _mean_bce_from_logits(logits, target)


def _mean_bce_from_logits(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """max(z, 0) − z·y + log(1 + e^(−|z|)), averaged; the arguments are already checked."""
    losses = logits.clamp(min=0) - logits * target + torch.log1p(torch.exp(-logits.abs()))
    return losses.mean()
