"""The many-run experiments of pages 7, 9 and 10, on the many-run trainer.

Each function trains every run of one experiment in one batch
(:func:`annlab.many_runs.trainer.train_many`) and returns a small frozen dataclass of
per-run numbers, with ``runs`` saying how many runs stand behind each setting.
Defaults follow the notes' set-ups (their slopes, learning rates and epochs, and
the slope challenge's 50 runs per slope). The notes train one network per learning
rate on pages 9 and 10; the default ``runs`` there (50 and 25) is this project's
choice, so that each rate gets a success rate with an interval. Pass smaller sizes
for a quick look.
Plots of these results live in :mod:`annlab.plots.experiments`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import torch

from annlab._checks import (
    check_bool,
    check_choice,
    check_positive_float,
    check_positive_int,
    check_real,
    check_seed,
    check_sizes,
    check_tensor,
)
from annlab.data import _regression_runs, qwerties
from annlab.many_runs._spec import check_rates
from annlab.many_runs.statistics import (
    RateEstimate,
    least_squares_rows,
    pearson_rows,
    wilson_interval,
)
from annlab.many_runs.trainer import train_many

Tensor = torch.Tensor
SlopeActivation = Literal["relu", "identity"]
"""The slope challenge's hidden activations: the notes' ReLU, or none (a straight line)."""
SLOPE_ACTIVATIONS: tuple[SlopeActivation, ...] = get_args(SlopeActivation)


def _rows(values: Tensor, groups: int) -> Tensor:
    return values.reshape(groups, -1)


@dataclass(frozen=True)
class SlopeChallenge:
    """Page 7: a 1-1-1 network fitted to y = m·x + noise, many runs per slope m.

    Arrays are (slopes, runs). ``correlation`` is NaN where the prediction was
    constant (a dead ReLU); ``constant_predictions`` counts them per slope.
    ``least_squares_loss`` is the best straight line's MSE on the same data.
    """

    slopes: Tensor
    runs: int
    epochs: int
    standardize: bool
    hidden_activation: SlopeActivation
    final_loss: Tensor
    correlation: Tensor
    constant_predictions: Tensor
    least_squares_loss: Tensor
    diverged: Tensor

    def mean_correlation(self, *, nan_as_zero: bool = False) -> Tensor:
        """Mean correlation per slope over the runs whose prediction varied.

        ``nan_as_zero=True`` is the notes' way (constant runs count as 0).
        """
        if check_bool(nan_as_zero, "nan_as_zero"):
            return self.correlation.nan_to_num(0.0).mean(1)
        return self.correlation.nanmean(1)


def slope_challenge(
    slopes: Sequence[float] | Tensor | None = None,
    *,
    runs: int = 50,
    epochs: int = 500,
    learning_rate: float = 0.01,
    n_points: int = 50,
    standardize: bool = False,
    hidden_activation: SlopeActivation = "relu",
    seed: int = 0,
) -> SlopeChallenge:
    """Train the slope challenge: ``runs`` fresh data sets and networks per slope.

    Lecture 46's set-up: 50 points y = m·x + ε/2, a 1-1-1 network, MSE, SGD at
    0.01, 500 epochs. Run i (counting over all slopes) draws its data with seed
    ``seed + 2i`` and its weights with ``seed + 2i + 1``.

    Parameters
    ----------
    slopes : sequence of float, default 21 slopes from −2 to 2
    runs, epochs, learning_rate, n_points : int, int, float, int
    standardize : bool
        Rescale each data set's y to mean 0 and standard deviation 1.
    hidden_activation : {"relu", "identity"}
        ``"identity"`` drops the ReLU: the network is then a straight line.
    seed : int

    Examples
    --------
    >>> result = slope_challenge([0.0, 2.0], runs=3, epochs=100)
    >>> result.final_loss.shape, result.runs
    (torch.Size([2, 3]), 3)
    >>> bool((result.final_loss >= result.least_squares_loss - 1e-6).all())
    True
    """
    values = (
        torch.linspace(-2, 2, 21) if slopes is None else check_tensor(slopes, "slopes", ndim=1)
    )
    runs = check_positive_int(runs, "runs")
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    check_bool(standardize, "standardize")
    hidden_activation = check_choice(hidden_activation, "hidden_activation", SLOPE_ACTIVATIONS)
    seed = check_seed(seed)
    n_points = check_positive_int(n_points, "n_points")
    count = len(values) * runs
    # Run i's data: regression_data(its slope, n_points, seed=seed + 2i) (its default
    # noise, 0.5), all drawn at once.
    x, y = _regression_runs(
        values.repeat_interleave(runs), n_points, 0.5, [seed + 2 * i for i in range(count)]
    )
    if standardize:
        y = (y - y.mean(1, keepdim=True)) / y.std(1, keepdim=True)
    result = train_many(
        [1, 1, 1],
        x,
        y,
        seeds=[seed + 2 * i + 1 for i in range(count)],
        learning_rates=learning_rate,
        epochs=epochs,
        loss="mse",
        hidden_activation=hidden_activation,
    )
    prediction = result.end.outputs[:, :, 0].to(torch.float64)
    target = y[:, :, 0].to(torch.float64)
    constant = (prediction == prediction[:, :1]).all(1)
    correlation = pearson_rows(prediction, target).masked_fill(constant, float("nan"))
    groups = len(values)
    return SlopeChallenge(
        slopes=values,
        runs=runs,
        epochs=epochs,
        standardize=standardize,
        hidden_activation=hidden_activation,
        final_loss=_rows(result.final_loss, groups),
        correlation=_rows(correlation.float(), groups),
        constant_predictions=_rows(constant, groups).sum(1),
        least_squares_loss=_rows(least_squares_rows(x[:, :, 0], y[:, :, 0]), groups),
        diverged=_rows(result.diverged, groups),
    )


@dataclass(frozen=True)
class ClassifierRuns:
    """Many runs of one classifier over a learning-rate grid, arrays (rates, runs).

    ``accuracy`` and ``active`` are (checkpoints, rates, runs): the fraction of
    points classified right, and the fraction of points on which the last
    hidden layer's units are active (mean over its units: for a one-unit
    bottleneck, that unit's). ``active_start`` is the same before training.
    ``largest_logit`` is (checkpoints, rates, runs): the largest |logit| the
    run gives any training point there (float32's sigmoid rounds to exactly 1
    from a logit of about 16.6 on, where a Sigmoid + BCELoss pair saturates).
    ``largest_wrong_logit`` is the same over the points the run misclassifies
    (0 when it gets every point right): only there does the saturation change
    the gradient by more than the logit's e^-|logit|.
    """

    sizes: tuple[int, ...]
    learning_rates: Tensor
    runs: int
    checkpoints: tuple[int, ...]
    accuracy: Tensor
    final_loss: Tensor
    active_start: Tensor
    active: Tensor
    diverged: Tensor
    largest_logit: Tensor
    largest_wrong_logit: Tensor

    def success_rate(self, threshold: float = 0.9, *, per_rate: bool = True) -> RateEstimate:
        """Fraction of runs reaching ``accuracy >= threshold``, per checkpoint.

        Shape (checkpoints, rates) with ``per_rate``, else (checkpoints,) over all rates.
        """
        success = self.accuracy >= check_real(threshold, "threshold", minimum=0, maximum=1)
        check_bool(per_rate, "per_rate")
        if per_rate:
            return wilson_interval(success.sum(2), self.runs)
        return wilson_interval(success.sum((1, 2)), self.runs * len(self.learning_rates))


def _classifier_runs(
    sizes: Sequence[int],
    rates: Tensor,
    runs: int,
    epochs: int,
    checkpoints: Sequence[int],
    centres: Sequence[Sequence[float]],
    seed: int,
) -> ClassifierRuns:
    seed = check_seed(seed)
    x, y = qwerties(centres, seed=seed)
    runs = check_positive_int(runs, "runs")
    epochs = check_positive_int(epochs, "epochs")
    wanted = tuple(sorted({*checkpoints, epochs}))
    result = train_many(
        list(sizes),
        x,
        y,
        seeds=[seed + 1 + i for i in range(len(rates) * runs)],
        learning_rates=rates.repeat_interleave(runs),
        epochs=epochs,
        checkpoints=wanted,
    )
    snaps = [result.checkpoints[e] for e in wanted]
    groups = len(rates)
    assert all(s.accuracy is not None for s in snaps)
    return ClassifierRuns(
        sizes=tuple(sizes),
        learning_rates=rates,
        runs=runs,
        checkpoints=wanted,
        accuracy=torch.stack([_rows(s.accuracy, groups) for s in snaps if s.accuracy is not None]),
        final_loss=_rows(result.final_loss, groups),
        active_start=_rows(result.start.active_fractions[-1].mean(1), groups),
        active=torch.stack([_rows(s.active_fractions[-1].mean(1), groups) for s in snaps]),
        diverged=_rows(result.diverged, groups),
        largest_logit=torch.stack([_rows(s.outputs.abs().amax((1, 2)), groups) for s in snaps]),
        largest_wrong_logit=torch.stack(
            [_rows(_wrong_logit(s.outputs, y), groups) for s in snaps]
        ),
    )


def _learning_rates(learning_rates: Sequence[float] | Tensor | None) -> Tensor:
    """The notes' 40 rates from 0.001 to 0.1, or the reader's, checked once, at the door
    of the experiment they were passed to, so an error names them as the reader gave them
    (not the trainer's one rate per run that the experiment makes of them)."""
    if learning_rates is None:
        return torch.linspace(0.001, 0.1, 40)
    return check_rates(learning_rates, "learning_rates")


def _wrong_logit(logits: Tensor, y: Tensor) -> Tensor:
    """Each run's largest |logit| over its misclassified points (class 1 where logit > 0)."""
    z = logits[..., 0]  # (runs, points)
    wrong = (z > 0) != (y.reshape(-1) > 0.5)
    return (z.abs() * wrong).amax(1)


def learning_rate_sweep(
    learning_rates: Sequence[float] | Tensor | None = None,
    *,
    runs: int = 50,
    epochs: int = 1000,
    seed: int = 0,
) -> ClassifierRuns:
    """Page 9: the 2-1-1 classifier on the qwerties, ``runs`` seeds per learning rate.

    SGD, BCE from logits, one data set (``qwerties(seed=seed)``) for every run;
    run i's weights come from seed ``seed + 1 + i``. The default rates and epochs are
    the notes' (40 rates from 0.001 to 0.1, 1000 epochs); the notes train one network
    per rate, the default 50 runs per rate are this project's choice.

    Examples
    --------
    >>> sweep = learning_rate_sweep([0.01, 0.1], runs=4, epochs=50)
    >>> sweep.accuracy.shape, sweep.success_rate().rate.shape
    (torch.Size([1, 2, 4]), torch.Size([1, 2]))
    """
    rates = _learning_rates(learning_rates)
    return _classifier_runs([2, 1, 1], rates, runs, epochs, (), ((1, 1), (5, 1)), seed)


def multilayer_comparison(
    learning_rates: Sequence[float] | Tensor | None = None,
    *,
    runs: int = 25,
    checkpoints: Sequence[int] = (1000, 2000, 5000),
    architectures: Sequence[Sequence[int]] = ((2, 16, 1, 1), (2, 16, 1)),
    centres: Sequence[Sequence[float]] = ((1, 1), (1, 5)),
    seed: int = 0,
) -> tuple[ClassifierRuns, ...]:
    """Page 10: deep nets with and without a one-unit bottleneck, checked at several budgets.

    One training per architecture, as long as the last checkpoint; the
    snapshots at the earlier ones replace shorter trainings. The default rates are the
    notes' 40; the notes train one network per rate, the default 25 runs per rate are
    this project's choice.

    Examples
    --------
    >>> deep, wide = multilayer_comparison([0.05], runs=3, checkpoints=(20, 40))
    >>> deep.sizes, deep.accuracy.shape, wide.active.shape
    ((2, 16, 1, 1), torch.Size([2, 1, 3]), torch.Size([2, 1, 3]))
    """
    rates = _learning_rates(learning_rates)
    if isinstance(checkpoints, (str, bytes)) or not isinstance(checkpoints, Sequence):
        raise TypeError(f"checkpoints must be a sequence of epochs; got {checkpoints!r}")
    if len(checkpoints) < 1:
        raise ValueError(f"checkpoints must list at least one epoch; got {checkpoints!r}")
    epochs = max(check_positive_int(e, "checkpoints") for e in checkpoints)
    return tuple(
        _classifier_runs(sizes, rates, runs, epochs, checkpoints, centres, seed)
        for sizes in _check_architectures(architectures)
    )


def _check_architectures(architectures: object) -> list[list[int]]:
    """Qwerties classifiers: 2 inputs, a hidden layer (its activity is measured), 1 output."""
    if (
        isinstance(architectures, (str, bytes))
        or not isinstance(architectures, Sequence)
        or len(architectures) < 1
    ):
        raise TypeError(
            f"architectures must be a sequence of layer sizes, e.g. ((2, 16, 1),); "
            f"got {architectures!r}"
        )
    checked = [check_sizes(sizes, f"architectures[{i}]") for i, sizes in enumerate(architectures)]
    for i, sizes in enumerate(checked):
        if len(sizes) < 3 or sizes[0] != 2 or sizes[-1] != 1:
            raise ValueError(
                f"architectures[{i}] must take 2 inputs (the qwerties' features) through at "
                f"least one hidden layer to 1 output, e.g. (2, 16, 1); got {tuple(sizes)}"
            )
    return checked
