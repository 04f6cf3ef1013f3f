"""The statistics the many-run experiments report, computed for all runs at once.

A success rate with its confidence interval, and Pearson's correlation and the
least-squares line's error for every run (row) of a batch, following the rules
of :func:`annlab.metrics.pearson_correlation` and :func:`annlab.metrics.least_squares`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from annlab._checks import (
    check_positive_float,
    check_positive_int,
    check_same_shape,
    check_tensor,
)

Tensor = torch.Tensor


@dataclass(frozen=True)
class RateEstimate:
    """A fraction of runs with its 95% Wilson interval, one entry per setting."""

    rate: Tensor
    low: Tensor
    high: Tensor
    runs: int


def wilson_interval(successes: Tensor, runs: int, z: float = 1.96) -> RateEstimate:
    """Estimate a probability from ``successes`` out of ``runs``, with a Wilson interval.

    Unlike the rate ± 2 standard errors, the interval stays inside [0, 1] and is
    not empty when every run (or none) succeeded.

    Examples
    --------
    >>> estimate = wilson_interval(torch.tensor([0, 25, 50]), runs=50)
    >>> estimate.rate.tolist()
    [0.0, 0.5, 1.0]
    >>> bool(estimate.high[0] > 0) and bool(estimate.low[2] < 1)
    True
    """
    runs = check_positive_int(runs, "runs")
    z = check_positive_float(z, "z")
    counts = check_tensor(successes, "successes").to(torch.float64)
    if not bool(((counts >= 0) & (counts <= runs) & (counts == counts.round())).all()):
        raise ValueError(
            f"successes must be whole counts from 0 to runs={runs}; got {counts.tolist()[:10]}"
        )
    p = counts / runs
    centre = (p + z**2 / (2 * runs)) / (1 + z**2 / runs)
    half = z / (1 + z**2 / runs) * torch.sqrt(p * (1 - p) / runs + z**2 / (4 * runs**2))
    return RateEstimate(p, (centre - half).clamp(min=0), (centre + half).clamp(max=1), runs)


def pearson_rows(a: Tensor, b: Tensor) -> Tensor:
    """Pearson's r of each row pair, as :func:`annlab.metrics.pearson_correlation` (float64).

    Rows where either side is constant give NaN (0 / 0).

    Examples
    --------
    >>> a = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], dtype=torch.float64)
    >>> pearson_rows(a, torch.tensor([[3.0, 2.0, 1.0]]).expand(2, 3).double()).tolist()[0]
    -1.0
    """
    a, b = _check_rows(a, "a", b, "b")
    a, b = a - a.mean(1, keepdim=True), b - b.mean(1, keepdim=True)
    return ((a * b).sum(1) / ((a * a).sum(1) * (b * b).sum(1)).sqrt()).clamp(-1, 1)


def least_squares_rows(x: Tensor, y: Tensor) -> Tensor:
    """MSE of each row's closed-form least-squares line (computed in float64).

    Examples
    --------
    >>> x = torch.tensor([[0.0, 1.0, 2.0]])
    >>> least_squares_rows(x, 3 * x + 1).tolist()
    [0.0]
    """
    x, y = _check_rows(x, "x", y, "y")
    x, y = x.to(torch.float64), y.to(torch.float64)
    dx, dy = x - x.mean(1, keepdim=True), y - y.mean(1, keepdim=True)
    slope = (dx * dy).sum(1, keepdim=True) / (dx * dx).sum(1, keepdim=True)
    return ((dy - slope * dx) ** 2).mean(1).float()


def _check_rows(a: object, a_name: str, b: object, b_name: str) -> tuple[Tensor, Tensor]:
    """Two (runs, points) tables of one shape; NaN is let through (a diverged run's row)."""
    a = check_tensor(a, a_name, ndim=2, finite=False)
    return check_same_shape(a, a_name, b, b_name, finite=False)
