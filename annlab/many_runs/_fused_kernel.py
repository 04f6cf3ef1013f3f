"""Choosing the many-run trainer's kernel, and running the fused one.

:func:`annlab.many_runs.trainer.train_many` has two implementations of the same
training: the pure-torch path (:mod:`annlab.many_runs._math`, any device, the
reference) and the fused CPU kernel (:mod:`annlab.many_runs._fused`, numba). This module
picks one (``kernel="auto"``: fused on the CPU when numba is installed) and
converts between torch tensors and the kernel's flat NumPy arrays. numba is an
optional dependency (``pip install annlab[fast]``), imported only here and only
when the fused kernel runs.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from annlab._checks import check_choice
from annlab._progress import progress_bar

KERNELS = ("auto", "fused", "torch")
Tensor = torch.Tensor


def numba_available() -> bool:
    """Whether numba can be imported (without importing it)."""
    return importlib.util.find_spec("numba") is not None


def choose_kernel(kernel: str, device: torch.device) -> str:
    """``"fused"`` or ``"torch"``: what ``kernel`` means on ``device``.

    Examples
    --------
    >>> choose_kernel("torch", torch.device("cpu"))
    'torch'
    >>> choose_kernel("auto", torch.device("cuda"))
    'torch'
    >>> choose_kernel("fast", torch.device("cpu"))
    Traceback (most recent call last):
    ...
    ValueError: kernel must be one of 'auto', 'fused', 'torch'; got 'fast'
    """
    check_choice(kernel, "kernel", KERNELS)
    if kernel == "torch":
        return "torch"
    if device.type != "cpu":
        if kernel == "fused":
            raise ValueError(
                f"kernel='fused' runs on the CPU only; got device={str(device)!r} "
                "(use kernel='auto' or 'torch' there)"
            )
        return "torch"
    if numba_available():
        return "fused"
    if kernel == "fused":
        raise ImportError("kernel='fused' needs numba: pip install annlab[fast]")
    return "torch"


@dataclass(frozen=True)
class FusedOutput:
    """What the kernel fills: final parameters, history, flags, snapshot data."""

    weights: list[Tensor]  # (R, out, in) per layer
    biases: list[Tensor]  # (R, out) per layer
    history: Tensor  # (R, T)
    diverged: Tensor  # (R,) bool
    losses: Tensor  # (S, R)
    outputs: Tensor  # (S, R, k, n)
    active: list[Tensor]  # per hidden layer, (S, R, units): fraction of points with a > 0


def train_fused(
    sizes: Sequence[int],
    x: Tensor,
    y: Tensor,
    weights: list[Tensor],
    biases: list[Tensor],
    rates: Tensor,
    hidden: str,
    output: str,
    loss: str,
    adam: bool,
    epochs: int,
    record_every: int,
    snap_epochs: Sequence[int],
    progress: bool,
) -> FusedOutput:
    """Run the fused kernel; ``x`` (d, n) or (R, d, n) and ``y`` feature-major, float32."""
    from annlab.many_runs import _fused  # imports numba: only when the fused kernel runs

    runs, n = len(rates), x.shape[-1]
    flat = torch.cat(
        [w.reshape(runs, -1) for pair in zip(weights, biases, strict=True) for w in pair], dim=1
    )
    params = np.ascontiguousarray(flat.numpy(), dtype=np.float32)
    layout = np.asarray(sizes, np.int64)
    codes = _fused.ACTIVATION_CODES[hidden], _fused.ACTIVATION_CODES[output]
    route = int(_fused._route(layout, *codes))
    xs = _padded(x if x.ndim == 3 else x.unsqueeze(0), route)
    ys = _padded(y if y.ndim == 3 else y.unsqueeze(0), route)
    hidden_units = sum(sizes[1:-1])
    shots = np.asarray(snap_epochs, np.int64)
    history = np.empty((runs, math.ceil(epochs / record_every)), np.float32)
    diverged = np.zeros(runs, np.bool_)
    snap_loss = np.empty((len(shots), runs), np.float32)
    snap_out = np.empty((len(shots), runs, sizes[-1], n), np.float32)
    snap_active = np.empty((len(shots), runs, hidden_units), np.float32)
    args = (
        layout,
        rates.numpy().astype(np.float64),
        _fused.ACTIVATION_CODES[hidden],
        _fused.ACTIVATION_CODES[output],
        _fused.LOSS_CODES[loss],
        adam,
        epochs,
        record_every,
        shots,
    )
    outputs = (history, diverged, snap_loss, snap_out, snap_active)
    for first, stop in _chunks(runs, progress):
        _fused.train_runs(params, xs, ys, *args, *outputs, first, stop)
    return _unpack(sizes, params, history, diverged, snap_loss, snap_out, snap_active, n)


def _padded(data: Tensor, route: int) -> np.ndarray:
    """(R, features, n) as float32, points padded to a multiple of 64 when n < 128,
    and to a multiple of 16 on the kernel's narrow and single-pass routes
    (``_fused._route``).

    LLVM vectorises the kernel's loops over the points 64 at a time (16 float32
    lanes, unrolled 4 times) and leaves the rest to a scalar loop: with the slope
    challenge's 50 points, every loop was scalar. The narrow route's loops hold
    16 sums or more, and LLVM does not unroll them: 16 at a time, so a multiple of
    16 leaves no scalar loop (with 200 points, 8 scalar points of 16 hidden units
    cost about as much as the other 192; 2-16-1 per run-epoch: 0.62 µs at 200
    points, 0.56 µs padded to 208). The padding points repeat the
    last point, so their values are finite whenever the real ones are; the kernel
    gives them a delta of 0, which adds exact zeros to every gradient sum.
    """
    n = data.shape[-1]
    width = n if n >= 128 else -(-n // 64) * 64
    if route > 0:  # the narrow and single-pass routes
        width = -(-width // 16) * 16
    if width > n:
        data = torch.cat([data, data[..., -1:].expand(*data.shape[:-1], width - n)], dim=-1)
    return np.ascontiguousarray(data.numpy(), np.float32)


def _chunks(runs: int, progress: bool) -> Iterator[tuple[int, int]]:
    """All runs in one call, or about 50 calls of consecutive runs under a progress bar."""
    if not progress:
        yield 0, runs
        return
    step = max(1, runs // 50)
    with progress_bar(total=runs, desc="training runs (fused)", unit="run") as bar:
        for lo in range(0, runs, step):
            hi = min(runs, lo + step)
            yield lo, hi
            bar.update(hi - lo)


def _unpack(
    sizes: Sequence[int],
    params: np.ndarray,
    history: np.ndarray,
    diverged: np.ndarray,
    snap_loss: np.ndarray,
    snap_out: np.ndarray,
    snap_active: np.ndarray,
    n: int,
) -> FusedOutput:
    flat = torch.from_numpy(params)
    runs = flat.shape[0]
    weights, biases, offset = [], [], 0
    for n_in, n_out in itertools.pairwise(sizes):
        weights.append(flat[:, offset : offset + n_in * n_out].reshape(runs, n_out, n_in))
        offset += n_in * n_out
        biases.append(flat[:, offset : offset + n_out].clone())
        offset += n_out
    active, unit = [], 0
    counts = torch.from_numpy(snap_active)
    for width in sizes[1:-1]:
        active.append(counts[:, :, unit : unit + width] / n)
        unit += width
    return FusedOutput(
        weights=[w.clone() for w in weights],
        biases=biases,
        history=torch.from_numpy(history),
        diverged=torch.from_numpy(diverged),
        losses=torch.from_numpy(snap_loss),
        outputs=torch.from_numpy(snap_out),
        active=active,
    )
