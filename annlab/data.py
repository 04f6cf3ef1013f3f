"""Seeded toy data sets from the lectures: clusters, a noisy line, a sleep-and-study class.

Every generator takes ``seed`` (an int, a ``torch.Generator`` or None), turns it
into a generator with :func:`annlab._checks.as_generator` and draws from that
alone, so the same seed always gives the same tensors and the global torch seed
is never touched. Every tensor returned is ``float32``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import torch

from annlab._checks import check_positive_float, check_positive_int, check_real
from annlab.seeding import as_generator

Point = tuple[float, float]


def _check_centres(centres: Any) -> tuple[Point, Point]:
    """Check that ``centres`` is two points of two finite numbers each."""
    expected = "two points of two finite numbers each, e.g. ((1, 1), (5, 1))"
    if isinstance(centres, torch.Tensor):
        centres = centres.tolist()
    if isinstance(centres, (str, bytes)) or not isinstance(centres, Sequence):
        raise TypeError(f"centres must be {expected}; got {centres!r}")
    if len(centres) != 2:
        raise ValueError(f"centres must be {expected}; got {len(centres)} entries")
    points: list[Point] = []
    for i, point in enumerate(centres):
        if isinstance(point, (str, bytes)) or not isinstance(point, Sequence) or len(point) != 2:
            raise ValueError(f"centres[{i}] must be a point of two numbers; got {point!r}")
        for number in point:
            if isinstance(number, bool) or not isinstance(number, Real):
                raise TypeError(f"centres[{i}] must hold two numbers; got {point!r}")
            if not math.isfinite(float(number)):
                raise ValueError(f"centres[{i}] must hold finite numbers; got {point!r}")
        points.append((float(point[0]), float(point[1])))
    return points[0], points[1]


def gaussian_clusters(
    centres: Sequence[Sequence[float]],
    n_per_cluster: int = 100,
    spread: float = 1.0,
    seed: int | torch.Generator | None = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw two round clouds of 2-D points, one per class, around two centres.

    Each point is its cluster's centre plus independent normal noise of standard
    deviation ``spread`` on each coordinate.

    Parameters
    ----------
    centres : pair of (float, float)
        The centre of class 0, then the centre of class 1.
    n_per_cluster : int
        Points drawn around each centre.
    spread : float
        Standard deviation of the noise on each coordinate (above 0).
    seed : int, torch.Generator or None
        Seeds the draw.

    Returns
    -------
    x : torch.Tensor, shape (2 * n_per_cluster, 2)
        The points, all of class 0 first.
    labels : torch.Tensor, shape (2 * n_per_cluster, 1)
        0.0 for the first ``n_per_cluster`` rows, 1.0 for the rest.

    Raises
    ------
    TypeError, ValueError
        If ``centres`` is not two pairs of finite numbers, ``n_per_cluster`` is
        not a positive int or ``spread`` is not above 0.

    Examples
    --------
    >>> x, labels = gaussian_clusters(((0, 0), (10, 10)), n_per_cluster=50)
    >>> tuple(x.shape), tuple(labels.shape)
    ((100, 2), (100, 1))
    >>> bool((x[:50].mean(dim=0) - torch.tensor([0.0, 0.0])).abs().max() < 0.5)
    True
    >>> float(labels[:50].sum()), float(labels[50:].sum())
    (0.0, 50.0)
    """
    first, second = _check_centres(centres)
    n = check_positive_int(n_per_cluster, "n_per_cluster")
    spread = check_positive_float(spread, "spread")
    generator = as_generator(seed)
    means = torch.tensor([first, second], dtype=torch.float32).repeat_interleave(n, dim=0)
    noise = torch.randn(2 * n, 2, generator=generator)
    labels = torch.cat([torch.zeros(n, 1), torch.ones(n, 1)])
    return means + spread * noise, labels


def qwerties(
    centres: Sequence[Sequence[float]] = ((1.0, 1.0), (5.0, 1.0)),
    n_per_cluster: int = 100,
    spread: float = 1.0,
    seed: int | torch.Generator | None = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The "qwerties" of the classification lectures: two clusters at (1, 1) and (5, 1).

    The same draw as :func:`gaussian_clusters`, with the lectures' defaults
    (lectures 47 and 48). The multilayer lecture (49) moves the second cluster
    to (1, 5): pass ``centres=((1, 1), (1, 5))``.

    Returns
    -------
    x : torch.Tensor, shape (2 * n_per_cluster, 2)
    labels : torch.Tensor, shape (2 * n_per_cluster, 1)

    Examples
    --------
    >>> x, labels = qwerties()
    >>> tuple(x.shape), tuple(labels.shape)
    ((200, 2), (200, 1))
    >>> x_49, _ = qwerties(centres=((1, 1), (1, 5)))
    >>> bool(x_49[100:, 1].mean() > 4)
    True
    """
    return gaussian_clusters(centres, n_per_cluster, spread, seed)


def regression_data(
    slope: float = 1.0,
    n_points: int = 50,
    noise: float = 0.5,
    seed: int | torch.Generator | None = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw points scattered around a line through the origin: y = slope·x + noise·ε.

    ``x`` and ``ε`` are independent standard normal draws, so with the default
    ``noise=0.5`` this is the regression lectures' ``y = m*x + randn/2``. The
    noise has variance ``noise**2`` (0.25 by default): no model can reach a
    mean squared error below it on average.

    Parameters
    ----------
    slope : float
        The true slope m (any finite number).
    n_points : int
    noise : float
        Standard deviation of the noise (0 gives points exactly on the line).
    seed : int, torch.Generator or None

    Returns
    -------
    x, y : torch.Tensor, each of shape (n_points, 1)

    Examples
    --------
    >>> x, y = regression_data(slope=2.0, noise=0.0)
    >>> tuple(x.shape), bool(torch.equal(y, 2 * x))
    ((50, 1), True)
    """
    slope = check_real(slope, "slope")
    n = check_positive_int(n_points, "n_points")
    noise = check_real(noise, "noise", minimum=0.0)
    generator = as_generator(seed)
    x = torch.randn(n, 1, generator=generator)
    epsilon = torch.randn(n, 1, generator=generator)
    return x, slope * x + noise * epsilon


def _regression_runs(
    slopes: torch.Tensor, n_points: int, noise: float, seeds: Sequence[int]
) -> tuple[torch.Tensor, torch.Tensor]:
    """``regression_data(slopes[i], n_points, noise, seeds[i])`` for every i, stacked
    into (R, n_points, 1) tensors with the very same values, at a third of the cost
    (the many-run experiments draw a thousand of them). Arguments are not checked:
    the caller has.

    >>> x, y = _regression_runs(torch.tensor([0.5, -1.0]), 5, 0.5, [3, 4])
    >>> one = regression_data(-1.0, n_points=5, seed=4)
    >>> bool(torch.equal(x[1], one[0]) and torch.equal(y[1], one[1]))
    True
    """
    runs = len(seeds)
    x = torch.empty(runs, n_points, 1)
    epsilon = torch.empty(runs, n_points, 1)
    generator = torch.Generator()  # manual_seed resets it whole: as a new one per run
    for run, seed in enumerate(seeds):
        generator.manual_seed(seed)
        x[run].normal_(generator=generator)  # as torch.randn(n_points, 1, generator=...)
        epsilon[run].normal_(generator=generator)
    return x, slopes.to(torch.float32).view(runs, 1, 1) * x + noise * epsilon


@dataclass(frozen=True)
class SleepStudy:
    """Students described by two features, with a categorical and a continuous target.

    Attributes
    ----------
    features : torch.Tensor, shape (n, 2)
        Column 0: hours of sleep per night; column 1: hours of study per day.
    passed : torch.Tensor, shape (n, 1)
        1.0 if the student passed (mark at least 50), else 0.0.
    mark : torch.Tensor, shape (n, 1)
        The exam mark, between 0 and 100.
    """

    features: torch.Tensor
    passed: torch.Tensor
    mark: torch.Tensor


def sleep_study(n_students: int = 100, seed: int | torch.Generator | None = 0) -> SleepStudy:
    """Draw a made-up class of students: hours of sleep and study, exam mark, pass or fail.

    Each student draws hours of sleep uniformly in [4, 10] and hours of study
    uniformly in [0, 10], then gets the mark

        mark = 100 · σ(0.45 · (study − 5) + 0.35 · (sleep − 7) + ε),  ε ~ N(0, 0.5²),

    where σ is the sigmoid, so the mark is a smooth, increasing function of both
    features between 0 and 100. A student passes when the mark is at least 50,
    that is when 0.45·study + 0.35·sleep + ε ≥ 4.7: without the noise ε the
    pass/fail boundary would be a straight line, so a linear model separates
    the classes well but, because of ε, not perfectly.

    Parameters
    ----------
    n_students : int
    seed : int, torch.Generator or None

    Returns
    -------
    SleepStudy
        ``features`` (n, 2), ``passed`` (n, 1) and ``mark`` (n, 1).

    Examples
    --------
    >>> students = sleep_study(200)
    >>> tuple(students.features.shape), tuple(students.passed.shape)
    ((200, 2), (200, 1))
    >>> bool(torch.equal(students.passed, (students.mark >= 50).float()))
    True
    >>> 0.2 < float(students.passed.mean()) < 0.8
    True
    """
    n = check_positive_int(n_students, "n_students")
    generator = as_generator(seed)
    sleep = 4 + 6 * torch.rand(n, 1, generator=generator)
    study = 10 * torch.rand(n, 1, generator=generator)
    epsilon = 0.5 * torch.randn(n, 1, generator=generator)
    mark = 100 * torch.sigmoid(0.45 * (study - 5) + 0.35 * (sleep - 7) + epsilon)
    passed = (mark >= 50).to(torch.float32)
    return SleepStudy(features=torch.cat([sleep, study], dim=1), passed=passed, mark=mark)
