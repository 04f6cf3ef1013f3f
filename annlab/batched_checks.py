"""Checks at the door of the batched trainer: runs, data shapes, rates, checkpoints.

Each check raises a ``TypeError`` or ``ValueError`` naming the argument of
:func:`annlab.batched.train_batched` it is about, with what was received and
what was expected.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import torch

from annlab.validation import check_positive_float, check_positive_int, check_tensor


def check_sizes(sizes: Any) -> list[int]:
    """Layer sizes: at least an input and an output size, each a positive int.

    Examples
    --------
    >>> check_sizes((2, 16, 1))
    [2, 16, 1]
    >>> check_sizes([3])
    Traceback (most recent call last):
    ...
    ValueError: sizes must list at least an input and an output size; got [3]
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output size; got {sizes!r}")
    return [check_positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]


def check_seeds(seeds: Any) -> list[int]:
    """One non-negative int seed per run, at least one run.

    Examples
    --------
    >>> check_seeds(range(3))
    [0, 1, 2]
    >>> check_seeds([0, -1])
    Traceback (most recent call last):
    ...
    ValueError: seeds[1] must be a non-negative int; got -1
    """
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or len(seeds) < 1:
        raise TypeError(f"seeds must be a sequence of ints, one per run; got {seeds!r}")
    for i, seed in enumerate(seeds):
        if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
            raise ValueError(f"seeds[{i}] must be a non-negative int; got {seed!r}")
    return [int(seed) for seed in seeds]


def check_learning_rates(value: Any, runs: int) -> torch.Tensor:
    """One rate for every run, or one per run; returned as float64, shape (runs,).

    Examples
    --------
    >>> check_learning_rates(0.1, 2)
    tensor([0.1000, 0.1000], dtype=torch.float64)
    >>> check_learning_rates([0.1, 0.2, 0.3], 2)
    Traceback (most recent call last):
    ...
    ValueError: learning_rates must hold one rate per run (2); got 3
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        rate = check_positive_float(value, "learning_rates")
        return torch.full((runs,), rate, dtype=torch.float64)
    rates = check_tensor(value, "learning_rates", ndim=1, finite=False).to(torch.float64)
    if len(rates) != runs:
        raise ValueError(f"learning_rates must hold one rate per run ({runs}); got {len(rates)}")
    if not bool((torch.isfinite(rates) & (rates > 0)).all()):
        raise ValueError(f"learning_rates must all be finite and above 0; got {rates.tolist()}")
    return rates


def check_checkpoints(checkpoints: Any, epochs: int) -> tuple[int, ...]:
    """Increasing epochs from 1 to ``epochs``.

    Examples
    --------
    >>> check_checkpoints([10, 20], 20)
    (10, 20)
    >>> check_checkpoints([10, 30], 20)
    Traceback (most recent call last):
    ...
    ValueError: checkpoints must be increasing epochs from 1 to epochs=20; got [10, 30]
    """
    if isinstance(checkpoints, (str, bytes)) or not isinstance(checkpoints, Sequence):
        raise TypeError(f"checkpoints must be a sequence of ints; got {checkpoints!r}")
    for i, epoch in enumerate(checkpoints):
        if isinstance(epoch, bool) or not isinstance(epoch, Integral):
            raise TypeError(f"checkpoints[{i}] must be an int; got {epoch!r}")
    values = tuple(int(e) for e in checkpoints)
    increasing = all(a < b for a, b in itertools.pairwise(values))
    if not increasing or (values and (values[0] < 1 or values[-1] > epochs)):
        raise ValueError(
            f"checkpoints must be increasing epochs from 1 to epochs={epochs}; got {list(values)}"
        )
    return values


def _check_one(value: Any, name: str, columns: int, runs: int) -> torch.Tensor:
    tensor = check_tensor(value, name, ndim=(2, 3))
    if tensor.shape[-1] != columns:
        raise ValueError(
            f"{name} must have {columns} columns to match sizes; got shape {tuple(tensor.shape)}"
        )
    if tensor.ndim == 3 and tensor.shape[0] != runs:
        raise ValueError(
            f"{name} of shape {tuple(tensor.shape)} must hold one data set per run: "
            f"{runs} along its first dimension (one per seed)"
        )
    return tensor.to(torch.float32)


def check_data(
    x: Any, y: Any, sizes: list[int], runs: int, *, binary: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """Check inputs and targets and return them feature-major: (d, n) or (R, d, n).

    Examples
    --------
    >>> x, y = check_data(torch.zeros(5, 2), torch.zeros(3, 5, 1), [2, 1], 3, binary=True)
    >>> tuple(x.shape), tuple(y.shape)
    ((2, 5), (3, 1, 5))
    >>> check_data(torch.zeros(5, 2), torch.zeros(4, 1), [2, 1], 3, binary=True)
    Traceback (most recent call last):
    ...
    ValueError: x and y must have the same number of points; got 5 and 4
    """
    x = _check_one(x, "x", sizes[0], runs)
    y = _check_one(y, "y", sizes[-1], runs)
    if x.shape[-2] != y.shape[-2]:
        raise ValueError(
            f"x and y must have the same number of points; got {x.shape[-2]} and {y.shape[-2]}"
        )
    if binary and not bool(((y >= 0) & (y <= 1)).all()):
        raise ValueError("y must lie between 0 and 1 (class labels) with loss='bce_with_logits'")
    return x.transpose(-1, -2).contiguous(), y.transpose(-1, -2).contiguous()
