"""The statistics the many-run experiments report, computed for all runs at once.

A success rate with its confidence interval, a test for a share that rises or falls
across settings, and Pearson's correlation and the least-squares line's error for
every run (row) of a batch, following the rules of
:func:`annlab.metrics.pearson_correlation` and :func:`annlab.metrics.least_squares`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

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


class TrendTest(NamedTuple):
    """The Cochran–Armitage trend test's statistic and its two-sided p-value.

    ``z > 0``: the share rises with the score; ``z < 0``: it falls. Both are NaN when
    every run or no run has the property (nothing varies, so nothing to test). A
    named pair: ``z, p = trend_test(...)`` works too.
    """

    z: float
    p: float


def trend_test(hits: Tensor, scores: Tensor) -> TrendTest:
    """Test whether the share of runs with a property changes steadily with a score.

    ``hits`` is a (settings, runs) table of booleans: run ``i`` of setting ``j`` has
    the property. ``scores`` gives each setting a number (a slope, a learning rate's
    logarithm). With k_j hits of n runs at setting j, p̄ the pooled share and s_j
    the scores,

        z = Σ_j (s_j − s̄) k_j / √( p̄ (1 − p̄) · n · Σ_j (s_j − s̄)² )

    is close to standard normal when the share is the same at every setting, and
    the two-sided p-value is erfc(|z| / √2). The test
    looks for a steady rise or fall: a share that rises, then falls, can give a
    ``z`` near 0. Far out in the tail the normal approximation is not accurate:
    report a p below about 1e-6 only as a bound.

    Examples
    --------
    >>> hits = torch.tensor([[True] * 2 + [False] * 8, [True] * 5 + [False] * 5,
    ...                      [True] * 8 + [False] * 2])
    >>> result = trend_test(hits, torch.tensor([1.0, 2.0, 3.0]))
    >>> round(result.z, 2), round(result.p, 4)
    (2.68, 0.0073)
    >>> trend_test(hits, torch.tensor([3.0, 2.0, 1.0])).z < 0
    True
    """
    hits = check_tensor(hits, "hits", ndim=2, dtype="any")
    if hits.dtype != torch.bool:
        raise TypeError(
            f"hits must be a (settings, runs) tensor of booleans (run has the property); "
            f"got dtype {hits.dtype}"
        )
    scores = check_tensor(scores, "scores", ndim=1)
    if len(scores) != hits.shape[0]:
        raise ValueError(
            f"scores must give one number per setting (row of hits): hits has "
            f"{hits.shape[0]} rows, scores {len(scores)} entries"
        )
    s = scores.double() - scores.double().mean()  # s_j - s-bar
    if not bool((s != 0).any()):
        raise ValueError(
            "scores must not all be equal: the test compares settings with different scores"
        )
    if hits.shape[1] == 0:
        raise ValueError("hits must have at least one run (column) per setting")
    k = hits.sum(1).double()  # k_j: runs with the property, per setting
    pooled = k.sum() / hits.numel()  # p-bar
    if pooled in (0, 1):
        return TrendTest(math.nan, math.nan)
    variance = pooled * (1 - pooled) * hits.shape[1] * (s**2).sum()
    z = ((s * k).sum() / variance.sqrt()).item()
    return TrendTest(z, math.erfc(abs(z) / math.sqrt(2)))


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
