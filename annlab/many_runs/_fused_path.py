"""The fused path of :func:`annlab.many_runs.trainer.train_many`: the numba kernel's driver.

It takes a checked :class:`~annlab.many_runs._spec.RunSpec`, converts its tensors into
the flat NumPy arrays and integer codes of the compiled kernel
(:mod:`annlab.many_runs._numba_kernel`), runs it, and returns a
:class:`~annlab.many_runs._spec.PathResult`, as the pure-torch path
(:mod:`annlab.many_runs._torch_path`) does. numba is an optional dependency
(``pip install annlab[fast]``): it is imported, with the kernel, only when the fused
path first runs, after :func:`_choose_target` has chosen what numba compiles for.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import numpy as np
import torch

from annlab._progress import progress_bar
from annlab.many_runs._spec import PathResult, RunSpec

Tensor = torch.Tensor


def train_fused(spec: RunSpec, weights: list[Tensor], biases: list[Tensor]) -> PathResult:
    """Train ``spec``'s runs from these initial parameters with the kernel, one run at a time."""
    kernel = _kernel()
    sizes, runs, epochs, record_every = spec.sizes, spec.runs, spec.epochs, spec.record_every
    n = spec.x.shape[-1]
    flat = torch.cat(
        [w.reshape(runs, -1) for pair in zip(weights, biases, strict=True) for w in pair], dim=1
    )
    params = np.ascontiguousarray(flat.numpy(), dtype=np.float32)
    layout = np.asarray(sizes, np.int64)
    settings = kernel.Settings(
        hidden=kernel.ACTIVATION_CODES[spec.hidden_activation],
        output=kernel.ACTIVATION_CODES[spec.output_activation],
        loss=kernel.LOSS_CODES[spec.loss],
        adam=spec.optimizer == "adam",
        epochs=epochs,
        record_every=record_every,
        snap_epochs=np.asarray(spec.state_epochs, np.int64),
    )
    route = int(kernel._route(layout, settings.hidden, settings.output))
    xs = _padded(spec.x if spec.x.ndim == 3 else spec.x.unsqueeze(0), route != kernel.GENERIC)
    ys = _padded(spec.y if spec.y.ndim == 3 else spec.y.unsqueeze(0), route != kernel.GENERIC)
    shots = len(spec.state_epochs)
    out = kernel.Outputs(
        history=np.empty((runs, math.ceil(epochs / record_every)), np.float32),
        diverged=np.zeros(runs, np.bool_),
        snap_loss=np.empty((shots, runs), np.float32),
        snap_out=np.empty((shots, runs, sizes[-1], n), np.float32),
        snap_active=np.empty((shots, runs, sum(sizes[1:-1])), np.float32),
    )
    rates = spec.learning_rates.numpy().astype(np.float64)
    for first, stop in _chunks(runs, spec.progress):
        kernel.train_runs(params, xs, ys, layout, rates, settings, out, first, stop)
    return _unpack(spec, params, out, n)


@functools.cache
def _kernel() -> ModuleType:
    """The compiled kernel's module, imported (with numba) after choosing numba's target."""
    _choose_target()
    from annlab.many_runs import _numba_kernel

    return _numba_kernel


def _choose_target() -> str | None:
    """On a CPU with AVX-512, have numba compile with 512-bit vectors; return the features.

    LLVM's tuning for many Intel models (Rocket Lake, Sapphire Rapids, ...) prefers
    256-bit vectors even where the CPU has 512-bit ones, and numba compiles for the host
    with that tuning. On an Intel Xeon VM (LLVM: rocketlake), per full experiment of
    ``benchmarks/bench_many_runs.py``: the learning-rate sweep took 975 ms that way and
    553 ms with the preference off, the 2-16-1 comparison 5.2 s and 3.7 s; the slope
    challenge 77 ms both ways. AMD's Zen 4 and 5 use 512-bit vectors already.

    numba's target is one per process: this sets it for every function numba compiles
    afterwards. It runs once, just before the kernel is first imported and compiled
    (:func:`_kernel`), not when annlab is imported; it takes effect only while numba
    has compiled nothing yet (its target machine is made once), and never when the
    caller chose a target (``NUMBA_CPU_NAME`` or ``NUMBA_CPU_FEATURES``, as the site's
    numeric profiles do).
    """
    from llvmlite import binding  # type: ignore[import-untyped]
    from numba import config

    numba_config: Any = config  # its settings are set at import, unknown to mypy
    if numba_config.CPU_NAME is not None or numba_config.CPU_FEATURES is not None:
        return None
    try:
        features = binding.get_host_cpu_features().flatten()
    except RuntimeError:  # llvmlite cannot read them on every platform: numba's own choice
        return None
    if "+avx512f" not in features.split(","):
        return None
    numba_config.CPU_FEATURES = f"{features},-prefer-256-bit"
    return str(numba_config.CPU_FEATURES)


def _padded(data: Tensor, special_route: bool) -> np.ndarray:
    """(R, features, n) as float32, points padded to a multiple of 64 when n < 128,
    and to a multiple of 16 on the kernel's narrow and single-pass routes
    (``special_route``: see ``_numba_kernel._route``).

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
    if special_route:
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


def _unpack(spec: RunSpec, params: np.ndarray, out: Any, n: int) -> PathResult:
    """The kernel's arrays as a :class:`PathResult`: per-layer parameters, states by epoch."""
    flat = torch.from_numpy(params)
    runs = flat.shape[0]
    weights, biases, offset = [], [], 0
    for n_in, n_out in itertools.pairwise(spec.sizes):
        weights.append(flat[:, offset : offset + n_in * n_out].reshape(runs, n_out, n_in).clone())
        offset += n_in * n_out
        biases.append(flat[:, offset : offset + n_out].clone())
        offset += n_out
    active, unit = [], 0
    counts = torch.from_numpy(out.snap_active)
    for width in spec.sizes[1:-1]:
        active.append(counts[:, :, unit : unit + width] / n)
        unit += width
    losses, outputs = torch.from_numpy(out.snap_loss), torch.from_numpy(out.snap_out)
    relu = spec.hidden_activation == "relu"
    return PathResult(
        weights=weights,
        biases=biases,
        history=torch.from_numpy(out.history),
        diverged=torch.from_numpy(out.diverged),
        states={
            epoch: (losses[s], outputs[s], [a[s] for a in active] if relu else [])
            for s, epoch in enumerate(spec.state_epochs)
        },
    )
