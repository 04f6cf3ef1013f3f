"""Benchmark annlab's many-run trainer against the lecture notes' one-model-per-run loop.

    .venv/bin/python benchmarks/bench_many_runs.py            # full run, about 6 minutes
    .venv/bin/python benchmarks/bench_many_runs.py --quick    # smoke run, under a minute

Prints markdown tables on stdout (progress goes to stderr):

1. Each many-run experiment of :mod:`annlab.many_runs.experiments` (slope challenge, learning-rate
   sweep, the multilayer comparison's 2-16-1-1 and 2-16-1), timed three ways. "The
   notes' way" is lectures 46, 48 and 49's code: a Python loop over runs, one
   ``nn.Module`` and one ``torch.optim.SGD`` per run, and per epoch a full-batch
   forward, loss, ``zero_grad``, ``backward``, ``step``. It is timed on a small
   stated subset of the runs and extrapolated linearly (every run does the same
   work). The many-run trainer is timed on the full experiment, end to end, through
   the :mod:`annlab.many_runs.experiments` function (data, training, statistics), once with
   its fused CPU kernel (``kernel="auto"``, the default, which the experiments use)
   and once with the pure-torch path (``kernel="torch"``, patched into
   ``annlab.many_runs.experiments`` for that measurement).
2. Time per epoch of :func:`annlab.many_runs.trainer.train_many` against the number of
   models (1 to 2000), both kernels.
3. The physical bound of the fused kernel: floating-point operations per epoch per
   run (counted from the kernel's loops) and the fraction of two rates they reach:
   a large float32 matrix product on one thread (``torch.mm``, MKL), and this core's
   FMA peak measured by ``bench_fma_peak.py``. On the AMD Zen 5 machine of
   ``RESULTS.md`` the GEMM reaches about 90 GFLOP/s and the FMA peak about 235: the
   GEMM is not the core's peak.
4. The fused kernel's compile cost: numba compiles it on the first call in an
   environment and caches the machine code (``cache=True``); measured in fresh
   processes with an empty ``NUMBA_CACHE_DIR`` (compile) and then the filled one
   (cache load).
5. What bounds the torch path: operations dispatched per epoch, the cost of one tiny
   operation, and the cost of one elementwise pass over the activations at large R.

Everything runs on one CPU thread (``torch.set_num_threads(1)``): ``train_many``
pins one thread itself (its default, which the experiments use), and the loop gets
the same. Timings are wall-clock ``time.perf_counter``, best of a few repeats where a
repeat is short, after a warm-up; process CPU time is recorded alongside, because
on a shared machine it is the less disturbed of the two. In the full run each
measurement runs in a fresh Python process; the loop and the fused kernel, whose
ratio is the target, in three fresh processes each, and the ratio takes the median
process (the same code was seen 10-40 % slower in some processes than in others,
on both CPUs of ``RESULTS.md``). Its peak memory is that process's
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` after the timed work minus before it
(after imports and warm-up). ``--quick`` runs everything in this process, where
that delta only counts growth past earlier peaks.

One departure from the notes' code: they store ``losses[epoch] = loss``, which
keeps every epoch's autograd graph alive through ``losses``; here the loop stores
``loss.detach()`` so its memory is the training's, not that leak's. ``--literal``
restores the notes' line (no measurable effect on time; see RESULTS.md).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode

import annlab.many_runs.experiments as experiments
from annlab.data import qwerties
from annlab.many_runs.experiments import (
    learning_rate_sweep,
    multilayer_comparison,
    slope_challenge,
)
from annlab.many_runs.trainer import train_many

THREADS = 1
PROCESSES = 3  # fresh processes for the loop and the fused kernel (see the docstring)
Tensor = torch.Tensor

# Targets: the many-run trainer's speed-up over the loop, and the growth of its
# time per epoch from 1 to 1000 models.
TARGET_SPEEDUP = {"slope": 1000.0, "sweep": 500.0, "multi": 200.0, "wide": 200.0}
KERNELS = ("fused", "torch")
TARGET_GROWTH_AT_1000 = 3.0
FLOOR_RUNS = (1, 10, 100, 1000, 2000)
QUICK_FLOOR_RUNS = (1, 10, 100)


@dataclass(frozen=True)
class Spec:
    """One experiment: ``groups`` settings (slopes or rates) times ``runs`` runs each."""

    key: str
    title: str
    sizes: tuple[int, ...]
    groups: int
    runs: int
    epochs: int
    checkpoints: tuple[int, ...]
    loop_runs: int  # runs timed the notes' way, then extrapolated

    @property
    def total_runs(self) -> int:
        return self.groups * self.runs


FULL = {
    "slope": Spec("slope", "slope challenge (p. 7)", (1, 1, 1), 21, 50, 500, (), 21),
    "sweep": Spec("sweep", "learning-rate sweep (p. 9)", (2, 1, 1), 40, 50, 1000, (), 8),
    "multi": Spec(
        "multi",
        "multilayer 2-16-1-1 (p. 10)",
        (2, 16, 1, 1),
        40,
        25,
        5000,
        (1000, 2000, 5000),
        3,
    ),
    "wide": Spec(
        "wide", "multilayer 2-16-1 (p. 10)", (2, 16, 1), 40, 25, 5000, (1000, 2000, 5000), 3
    ),
}
QUICK = {
    "slope": Spec("slope", "slope challenge (p. 7)", (1, 1, 1), 3, 4, 50, (), 2),
    "sweep": Spec("sweep", "learning-rate sweep (p. 9)", (2, 1, 1), 4, 4, 100, (), 2),
    "multi": Spec(
        "multi", "multilayer 2-16-1-1 (p. 10)", (2, 16, 1, 1), 2, 2, 100, (20, 40, 100), 1
    ),
    "wide": Spec("wide", "multilayer 2-16-1 (p. 10)", (2, 16, 1), 2, 2, 100, (20, 40, 100), 1),
}


# ---------------------------------------------------------------------------
# The notes' way: lectures 46, 48 and 49, one model and one optimizer per run.
# ---------------------------------------------------------------------------


class ANNRegression(nn.Module):
    """Lecture 46's 1-1-1 regression network."""

    def __init__(self) -> None:
        super().__init__()
        self.stack = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 1))

    def forward(self, X: Tensor) -> Tensor:
        out: Tensor = self.stack(X)
        return out


class ANNClassify(nn.Module):
    """Lectures 48 and 49's classifiers: ReLU hidden layers, a sigmoid output (for BCELoss)."""

    def __init__(self, sizes: tuple[int, ...]) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            layers.append(nn.ReLU() if i < len(sizes) - 2 else nn.Sigmoid())
        self.stack = nn.Sequential(*layers)

    def forward(self, X: Tensor) -> Tensor:
        out: Tensor = self.stack(X)
        return out


def _store(losses: Tensor, epoch: int, loss: Tensor, literal: bool) -> None:
    losses[epoch] = loss if literal else loss.detach()


def build_and_train(X: Tensor, y: Tensor, epochs: int, literal: bool) -> tuple[Tensor, Tensor]:
    """Lecture 46's ``build_and_train``: MSE, SGD at 0.01, full batch."""
    model = ANNRegression()
    loss_func = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    losses = torch.zeros(epochs)
    for epoch in range(epochs):
        yHat = model(X)
        loss = loss_func(yHat, y)
        _store(losses, epoch, loss, literal)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    prediction = model(X)
    return (prediction if literal else prediction.detach()), losses


def train_classifier(
    sizes: tuple[int, ...],
    data: Tensor,
    labels: Tensor,
    lr: float,
    epochs: int,
    checkpoints: tuple[int, ...],
    literal: bool,
) -> tuple[Tensor, Tensor]:
    """Lectures 48 and 49's ``train(lr)``, with the accuracy also taken at ``checkpoints``."""
    model = ANNClassify(sizes)
    loss_func = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = torch.zeros(epochs)
    accuracies = torch.zeros(len(checkpoints))
    for epoch in range(epochs):
        yHat = model(data)
        loss = loss_func(yHat, labels)
        _store(losses, epoch, loss, literal)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch + 1 in checkpoints:
            prediction = model(data)
            accuracy = torch.mean(((prediction > 0.5) == labels).float()) * 100
            accuracies[checkpoints.index(epoch + 1)] = accuracy
    prediction = model(data)
    accuracy = torch.mean(((prediction > 0.5) == labels).float()) * 100
    return accuracies if checkpoints else accuracy.reshape(1), losses


def _spread(count: int, groups: int) -> list[int]:
    """``count`` group indices spread evenly over ``groups`` (a stated subset of runs)."""
    return [i * groups // count for i in range(count)]


def run_loop(spec: Spec, count: int, literal: bool) -> None:
    """Train ``count`` of the experiment's runs the notes' way, one after the other."""
    torch.manual_seed(0)
    if spec.key == "slope":
        slopes = torch.linspace(-2, 2, spec.groups)
        result = torch.zeros(len(slopes), spec.runs, 2)
        for i, slp in enumerate(_spread(count, spec.groups)):
            X = torch.randn(50, 1)  # lecture 46's generate_data(m)
            y = slopes[slp] * X + torch.randn(50, 1) / 2
            prediction, losses = build_and_train(X, y, spec.epochs, literal)
            exp = i // spec.groups % spec.runs
            result[slp, exp, 0] = torch.corrcoef(torch.vstack((prediction.T, y.T)))[0, 1]
            result[slp, exp, 1] = losses[-1]
        result[torch.isnan(result)] = 0
        return
    centres = ((1, 1), (5, 1)) if spec.key == "sweep" else ((1, 1), (1, 5))
    N = 100
    a = torch.stack((centres[0][0] + torch.randn(N), centres[0][1] + torch.randn(N)), dim=1)
    b = torch.stack((centres[1][0] + torch.randn(N), centres[1][1] + torch.randn(N)), dim=1)
    data = torch.vstack((a, b))
    labels = torch.vstack((torch.zeros(N, 1), torch.ones(N, 1)))
    lrs = torch.linspace(0.001, 0.1, spec.groups)
    accuracies = torch.zeros(spec.groups, max(1, len(spec.checkpoints)))
    for i in _spread(count, spec.groups):
        accuracy, _ = train_classifier(
            spec.sizes, data, labels, float(lrs[i]), spec.epochs, spec.checkpoints, literal
        )
        accuracies[i] = accuracy


def run_batched(spec: Spec, kernel: str = "auto") -> None:
    """The full experiment through :mod:`annlab.many_runs.experiments` (many-run trainer).

    The experiments call ``train_many`` with its default ``kernel="auto"``; for
    another kernel their module's name is pointed at a partial for the call's length.
    """
    original = experiments.train_many
    experiments.train_many = functools.partial(train_many, kernel=kernel)
    try:
        _run_experiment(spec)
    finally:
        experiments.train_many = original


def _run_experiment(spec: Spec) -> None:
    if spec.key == "slope":
        slope_challenge(torch.linspace(-2, 2, spec.groups), runs=spec.runs, epochs=spec.epochs)
    elif spec.key == "sweep":
        rates = torch.linspace(0.001, 0.1, spec.groups)
        learning_rate_sweep(rates, runs=spec.runs, epochs=spec.epochs)
    else:
        multilayer_comparison(
            torch.linspace(0.001, 0.1, spec.groups),
            runs=spec.runs,
            checkpoints=spec.checkpoints,
            architectures=(spec.sizes,),
        )


# ---------------------------------------------------------------------------
# Timing helpers
# ---------------------------------------------------------------------------


def maxrss_mb() -> float:
    """Peak resident set size of this process so far, MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and process CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def best_of(fn: Callable[[], object], repeats: int, budget: float) -> tuple[float, float, int]:
    """Best wall time (and that repeat's CPU time) of up to ``repeats`` calls.

    Stops repeating once ``budget`` seconds have been spent; always calls at least once.
    """
    best = (float("inf"), float("inf"))
    spent, done = 0.0, 0
    while done < repeats and (done == 0 or spent < budget):
        wall, cpu = timed(fn)
        spent += wall
        done += 1
        best = min(best, (wall, cpu))
    return best[0], best[1], done


def _small(spec: Spec) -> Spec:
    """A few epochs of the same experiment, for warming up."""
    checkpoints = (5, 10) if spec.checkpoints else ()
    return Spec(spec.key, spec.title, spec.sizes, 2, 2, 10, checkpoints, 1)


def measure_experiment(spec: Spec, way: str, quick: bool, literal: bool) -> dict[str, Any]:
    fn: Callable[[], object]
    if way == "loop":
        run_loop(_small(spec), 1, literal)
        fn = functools.partial(run_loop, spec, spec.loop_runs, literal)
        runs = spec.loop_runs
    else:
        run_batched(_small(spec), way)
        fn = functools.partial(run_batched, spec, way)
        runs = spec.total_runs
    before = maxrss_mb()
    wall, cpu, repeats = best_of(fn, 3, 0.5 if quick else 8.0)
    result = {
        "wall": wall,
        "cpu": cpu,
        "repeats": repeats,
        "runs": runs,
        "rss_delta_mb": maxrss_mb() - before,
    }
    if way != "loop":  # the fixed part: the same call with one epoch (data, draws, stats)
        checkpoints = (1,) if spec.checkpoints else ()
        one = Spec(spec.key, spec.title, spec.sizes, spec.groups, spec.runs, 1, checkpoints, 1)
        result["one_epoch_wall"] = best_of(functools.partial(run_batched, one, way), 3, 2.0)[0]
    return result


# ---------------------------------------------------------------------------
# The dispatch floor and what bounds it
# ---------------------------------------------------------------------------


class _CountOps(TorchDispatchMode):  # type: ignore[no-untyped-call]
    """Counts the aten operations dispatched (each one a kernel call on the CPU)."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.count = 0

    def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        self.count += 1
        return func(*args, **(kwargs or {}))


def _floor_data(net: str, runs: int) -> tuple[list[int], Tensor, Tensor, str]:
    """2-1-1: the shared qwerties (200 points, BCE). 1-1-1: 50 points per run (MSE).

    2-16-1-1 (profiled only): lecture 49's qwerties, as the multilayer comparison.
    """
    if net == "2-1-1":
        x, y = qwerties()
        return [2, 1, 1], x, y, "bce_with_logits"
    if net in ("2-16-1-1", "2-16-1"):
        x, y = qwerties(((1, 1), (1, 5)))
        return [int(n) for n in net.split("-")], x, y, "bce_with_logits"
    g = torch.Generator().manual_seed(0)
    x = torch.randn(runs, 50, 1, generator=g)
    return [1, 1, 1], x, 0.5 * x + torch.randn(runs, 50, 1, generator=g) / 2, "mse"


def _batched_call(net: str, runs: int, epochs: int, kernel: str = "torch") -> Callable[[], object]:
    sizes, x, y, loss = _floor_data(net, runs)
    return functools.partial(
        train_many,
        sizes,
        x,
        y,
        seeds=list(range(runs)),
        learning_rates=0.01,
        epochs=epochs,
        loss=loss,
        kernel=kernel,
    )


def batched_epoch_seconds(
    net: str, runs: int, quick: bool, kernel: str = "torch"
) -> tuple[float, int]:
    """Seconds per epoch of ``train_many``: (best t(2E) − best t(E)) / E.

    The difference removes the fixed cost of a call (checks, initial draws, copying
    the result back), so this is the per-epoch cost alone. E is chosen so that a call
    takes about 0.25 s (up to 5000 epochs for the torch path and 200 000 for the fused
    kernel, whose one-model epoch is well under a microsecond).
    """
    timed(_batched_call(net, runs, 5, kernel))  # warm-up
    estimate = timed(_batched_call(net, runs, 200, kernel))[0] / 200
    target = 0.005 if quick else 0.25
    cap = 200_000 if kernel == "fused" else 5000
    epochs = max(10, min(cap, int(target / estimate)))
    short = best_of(_batched_call(net, runs, epochs, kernel), 3, 10.0)[0]
    long = best_of(_batched_call(net, runs, 2 * epochs, kernel), 3, 10.0)[0]
    if long <= short:  # noise swamped the difference: fall back to the plain mean
        return long / (2 * epochs), epochs
    return (long - short) / epochs, epochs


def _loop_epochs(net: str, epochs: int) -> Callable[[], object]:
    if net == "1-1-1":
        X = torch.randn(50, 1)
        return functools.partial(build_and_train, X, 0.5 * X, epochs, False)
    data, labels = qwerties()
    return functools.partial(train_classifier, (2, 1, 1), data, labels, 0.01, epochs, (), False)


def loop_epoch_seconds(net: str, quick: bool) -> float:
    """Seconds per epoch of the notes' loop, one model (set-up included, negligible)."""
    epochs = 20 if quick else 1000
    timed(_loop_epochs(net, 20))
    return best_of(_loop_epochs(net, epochs), 3, 5.0)[0] / epochs


def ops_per_epoch(fn_for_epochs: Callable[[int], Callable[[], object]]) -> float:
    """Aten operations dispatched per epoch: count(20 epochs) − count(10 epochs), over 10."""
    counts: list[int] = []
    for epochs in (10, 20):
        counter = _CountOps()
        with counter:
            fn_for_epochs(epochs)()
        counts.append(counter.count)
    return (counts[1] - counts[0]) / 10


def tiny_op_seconds() -> float:
    """One in-place multiply of one-element tensors: the per-operation dispatch cost."""
    a, b = torch.zeros(1), torch.ones(1)

    def many() -> None:
        for _ in range(10_000):
            a.mul_(b)

    return best_of(many, 5, 5.0)[0] / 10_000


def pass_seconds(shape: tuple[int, ...]) -> float:
    """One elementwise pass ``a.mul_(b)`` over a float32 tensor of ``shape`` (best of 20)."""
    a, b = torch.rand(shape), torch.rand(shape)
    a.mul_(b)
    return best_of(functools.partial(a.mul_, b), 20, 2.0)[0]


def _profile(net: str, runs: int, epochs: int) -> dict[str, tuple[float, int]]:
    """Self CPU time (µs) and calls of each aten operation in one ``train_many`` call."""
    call = _batched_call(net, runs, epochs)
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        call()
    return {e.key: (float(e.self_cpu_time_total), int(e.count)) for e in prof.key_averages()}


def _least(net: str, runs: int, epochs: int, repeats: int) -> dict[str, tuple[float, int]]:
    """Each operation's least self time over ``repeats`` profiles (a busy machine adds spikes)."""
    profiles = [_profile(net, runs, epochs) for _ in range(repeats)]
    return {op: min(p.get(op, (0.0, 0)) for p in profiles) for op in profiles[0]}


def profile_top(
    net: str, runs: int, epochs: int, repeats: int = 3, top: int = 5
) -> list[dict[str, Any]]:
    """The operations taking most time per epoch: profile(2E) − profile(E), over E.

    ``torch.profiler``'s self CPU time (time inside each aten operation itself), each
    operation's least over ``repeats`` profiles; the difference of two call lengths
    removes the set-up (initial draws, result copies).
    """
    timed(_batched_call(net, runs, 2))
    short, long = _least(net, runs, epochs, repeats), _least(net, runs, 2 * epochs, repeats)
    rows = []
    for op, (t2, n2) in long.items():
        t1, n1 = short.get(op, (0.0, 0))
        rows.append((op, max(0.0, t2 - t1) / epochs, (n2 - n1) / epochs))
    total = sum(t for _, t, _ in rows)
    rows.sort(key=lambda r: -r[1])
    return [
        {"op": op, "us_per_epoch": t, "share": t / total, "calls": n} for op, t, n in rows[:top]
    ]


def same_product_two_ways(runs: int) -> dict[str, float]:
    """Products with an inner size of 1, as in the 1-unit layers: bmm against broadcasting."""
    n = 200
    w, a, d = torch.rand(runs, 1, 1), torch.rand(runs, 1, n), torch.rand(runs, 1, n)
    cases: dict[str, Callable[[], object]] = {
        "bmm (R,1,1)·(R,1,n)": functools.partial(torch.bmm, w, a),
        "broadcast w * a": functools.partial(torch.mul, w, a),
        "bmm (R,1,n)·(R,n,1)": functools.partial(torch.bmm, a, d.transpose(1, 2)),
        "(a * d).sum(2)": lambda: (a * d).sum(2, keepdim=True),
        "bce_with_logits (R,1,n)": functools.partial(
            torch.nn.functional.binary_cross_entropy_with_logits, a, d, reduction="none"
        ),
        "a * d (R,1,n)": functools.partial(torch.mul, a, d),
    }
    return {name: best_of(fn, 20, 2.0)[0] for name, fn in cases.items()}


def measure_floor(quick: bool) -> dict[str, Any]:
    runs_list = QUICK_FLOOR_RUNS if quick else FLOOR_RUNS
    result: dict[str, Any] = {"nets": {}}
    for net in ("2-1-1", "1-1-1"):
        per_kernel: dict[str, dict[str, Any]] = {kernel: {} for kernel in KERNELS}
        for runs in runs_list:
            for kernel in KERNELS:
                seconds, epochs = batched_epoch_seconds(net, runs, quick, kernel)
                per_kernel[kernel][str(runs)] = {"seconds": seconds, "epochs": epochs}
        result["nets"][net] = {
            "batched": per_kernel["torch"],
            "fused": per_kernel["fused"],
            "loop_one_model": loop_epoch_seconds(net, quick),
            "ops_batched": ops_per_epoch(functools.partial(_batched_call, net, 1)),
            "ops_loop": ops_per_epoch(functools.partial(_loop_epochs, net)),
        }
    result["tiny_op"] = tiny_op_seconds()
    big = runs_list[-1] if quick else 1000
    shapes = {
        "2-1-1": (big, 1, 200),  # the hidden layer of the sweep's nets
        "1-1-1": (big, 1, 50),  # the slope challenge's
        "2-16-1-1": (big, 16, 200),  # the multilayer comparison's first hidden layer
    }
    result["passes"] = {
        name: {"shape": list(shape), "seconds": pass_seconds(shape)}
        for name, shape in shapes.items()
    }
    profiled = (("2-1-1", 20), ("1-1-1", 20), ("2-16-1-1", 3))
    result["profiles"] = {
        net: profile_top(net, big, 2 if quick else epochs, repeats=1 if quick else 3)
        for net, epochs in profiled
    }
    result["products"] = same_product_two_ways(big)
    result["big"] = big
    result["fused_work"] = {
        net: {
            "flops": flops_per_epoch(net),
            "seconds": batched_epoch_seconds(net, big, quick, "fused")[0] / big,
        }
        for net in WORK_NETS
    }
    result["peak"] = peak_flops(quick)
    result["fma_peak"] = fma_peak_flops()
    return result


WORK_NETS = ("1-1-1", "2-1-1", "2-16-1", "2-16-1-1")


def flops_per_epoch(net: str) -> int:
    """Floating-point operations of one run's epoch in the fused kernel, counted from its loops.

    Adds, multiplies and divides (an FMA counts 2); ReLU's compare-and-select and the
    active-fraction counts are not counted. Per layer (in → out) and point: forward
    2·in·out (bias plus in products); backward 1 + 2·in per unit (bias and weight
    gradients) and, above the first layer, 2·out per unit below (W^T delta). Loss per
    output value: MSE 4; BCE from logits 53 (exp 21, then log1p 23 and sigmoid 2
    as the kernel's polynomials with their one shared division, the loss and delta
    7). SGD update: 2 per parameter. The data as in the experiments: 50 points for
    1-1-1 (MSE), 200 otherwise (BCE). The useful work, not the kernel's own: its
    narrow route (2-16-1, 2-16-1-1) also computes the hidden pre-activations again
    in the backward pass (2·in more per hidden unit and point); the narrow and
    single-pass routes multiply by layer 1's weights once per sum, not per point,
    and every route applies the loss's 2/n or 1/n once per gradient; the padding
    points (200 to 208, 50 to 64) are not counted either.
    """
    sizes = [int(k) for k in net.split("-")]
    points, loss = (50, 4) if net == "1-1-1" else (200, 53)
    total = points * sizes[-1] * loss
    params = 0
    for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        total += points * n_out * 2 * n_in  # forward
        total += points * n_out * (1 + 2 * n_in)  # bias and weight gradients
        if layer:
            total += points * n_in * 2 * n_out  # W^T delta
        params += n_out * (n_in + 1)
    return total + 2 * params


def peak_flops(quick: bool) -> dict[str, float]:
    """This core's attainable float32 rate: a large ``torch.mm`` on one thread (best of 3)."""
    size = 1024 if quick else 4096
    a, b = torch.rand(size, size), torch.rand(size, size)
    torch.mm(a, b)
    seconds = best_of(functools.partial(torch.mm, a, b), 3, 10.0)[0]
    return {"size": size, "seconds": seconds, "flops_per_second": 2 * size**3 / seconds}


def fma_peak_flops() -> float:
    """This core's float32 FMA peak on one thread, FLOP/s (``bench_fma_peak.py``)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bench_fma_peak  # imports numba, as the fused kernel does

    return bench_fma_peak.peak_gflops() * 1e9


def compile_probe() -> dict[str, float]:
    """In a fresh process: import the kernel's module, then two calls (compile or load, run)."""
    start = time.perf_counter()
    from annlab.many_runs._fused_path import _kernel

    _kernel()  # the fused path's first step: choose numba's target, import kernel and numba

    imported = time.perf_counter()
    call = _batched_call("2-1-1", 1, 10, "fused")
    call()
    first = time.perf_counter()
    call()
    second = time.perf_counter()
    return {"import": imported - start, "first": first - imported, "second": second - first}


def measure_compile() -> dict[str, Any]:
    """The probe in two fresh processes sharing one new, empty ``NUMBA_CACHE_DIR``."""
    result = {}
    with tempfile.TemporaryDirectory(prefix="annlab-numba-cache-") as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for label in ("cold cache (compiles)", "warm cache (loads)"):
            done = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "--worker", '{"kind": "probe"}'],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            )
            result[label] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------------------
# Running the measurements (each in a fresh process for the full run)
# ---------------------------------------------------------------------------


def measure(job: dict[str, Any]) -> dict[str, Any]:
    torch.set_num_threads(THREADS)
    if job["kind"] == "probe":
        return compile_probe()
    if job["kind"] == "compile":
        return measure_compile()
    quick = bool(job["quick"])
    if job["kind"] == "floor":
        return measure_floor(quick)
    spec = (QUICK if quick else FULL)[job["exp"]]
    return measure_experiment(spec, job["kind"], quick, bool(job["literal"]))


def run_job(job: dict[str, Any], fresh_process: bool) -> dict[str, Any]:
    load = os.getloadavg()[0]
    print(
        f"  {job['kind']:<7} {job.get('exp', '')} (load {load:.1f}) ...",
        file=sys.stderr,
        end="",
        flush=True,
    )
    start = time.perf_counter()
    if fresh_process:
        done = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--worker", json.dumps(job)],
            check=True,
            capture_output=True,
            text=True,
        )
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    else:
        result = measure(job)
    result["load"] = (load + os.getloadavg()[0]) / 2
    print(f" {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return result


def median_process(job: dict[str, Any], processes: int) -> dict[str, Any]:
    """The job in ``processes`` fresh processes (in this one for a quick run): the
    median process's result, with every process's wall time in ``process_walls``."""
    runs = [run_job(job, fresh_process=not job["quick"]) for _ in range(processes)]
    runs.sort(key=lambda result: result["wall"])
    median = runs[len(runs) // 2]
    median["process_walls"] = [result["wall"] for result in runs]
    return median


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _seconds(value: float) -> str:
    if value >= 100:
        return f"{value:.0f} s"
    if value >= 1:
        return f"{value:.1f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.1f} µs"


def _micro(value: float) -> str:
    return f"{value * 1e6:.3g} µs"


def _verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**MISS**"


def report_experiments(
    specs: list[Spec], results: dict[str, dict[str, dict[str, Any]]]
) -> list[tuple[str, bool]]:
    print("## 1. The experiments: the notes' loop against the many-run trainer\n")
    print(
        "Loop: the notes' code (one `nn.Module` + one `torch.optim.SGD` per run) timed on "
        "the stated subset of runs and **extrapolated linearly** to all runs. Fused and "
        "torch: the full experiment through `annlab.many_runs.experiments`, end to end, with "
        "`train_many`'s fused CPU kernel (the default) and with its pure-torch path. "
        "Speed-up = extrapolated loop time / batched time, on wall-clock time (CPU time "
        "in brackets); the target applies to the fused kernel, the default. In brackets "
        "after each batched time: the same call with 1 epoch, its fixed part (data, "
        "initial draws, statistics). The loop and the fused kernel: the median of "
        "their fresh processes (listed below the table), each the best of its repeats.\n"
    )
    print(
        "| experiment | runs × epochs | loop: runs timed → time | loop, all runs (extrap.) "
        "| fused, all runs (1-epoch call) | speed-up | target | torch path (1-epoch call) "
        "| speed-up |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    verdicts = []
    for spec in specs:
        loop = results[spec.key]["loop"]
        scale = spec.total_runs / loop["runs"]
        loop_wall, loop_cpu = loop["wall"] * scale, loop["cpu"] * scale
        cells = {}
        for kernel in KERNELS:
            row = results[spec.key][kernel]
            speedup = loop_wall / row["wall"]
            cells[kernel] = (
                f"{_seconds(row['wall'])} ({_seconds(row['one_epoch_wall'])})",
                f"{speedup:.0f}× ({loop_cpu / row['cpu']:.0f}×)",
                speedup,
            )
        target = TARGET_SPEEDUP[spec.key]
        ok = cells["fused"][2] >= target
        verdicts.append((f"{spec.title}: speed-up ≥ {target:.0f}×", ok))
        print(
            f"| {spec.title} | {spec.groups}×{spec.runs} × {spec.epochs} "
            f"| {loop['runs']} → {_seconds(loop['wall'])} | {_seconds(loop_wall)} "
            f"| {cells['fused'][0]} | {cells['fused'][1]} | ≥ {target:.0f}× {_verdict(ok)} "
            f"| {cells['torch'][0]} | {cells['torch'][1]} |"
        )
    print()
    print("Per process, each the best of its repeats (the loop: its runs timed):\n")
    for spec in specs:
        parts = [
            f"{way} "
            + " / ".join(_seconds(t) for t in results[spec.key][way].get("process_walls", []))
            for way in ("loop", "fused")
        ]
        print(f"- {spec.title}: " + "; ".join(parts))
    print()
    print(
        "Per epoch per model (µs) and peak RSS delta (`ru_maxrss` of the timed work; the "
        "loop's is for its subset, and does not grow with the number of runs):\n"
    )
    print(
        "| experiment | µs / epoch / model: loop | fused | torch | peak RSS Δ: loop | fused "
        "| torch |"
    )
    print("|---|---|---|---|---|---|---|")
    for spec in specs:
        rows = results[spec.key]
        loop_wall = rows["loop"]["wall"] * spec.total_runs / rows["loop"]["runs"]
        model_epochs = spec.total_runs * spec.epochs
        per = [loop_wall] + [rows[k]["wall"] for k in KERNELS]
        rss = [rows[k]["rss_delta_mb"] for k in ("loop", *KERNELS)]
        print(
            f"| {spec.title} | "
            + " | ".join(_micro(t / model_epochs) for t in per)
            + " | "
            + " | ".join(f"{m:.1f} MB" for m in rss)
            + " |"
        )
    print()
    print("Repeats (best taken) and mean 1-minute load average during each measurement:\n")
    for spec in specs:
        parts = [
            f"{way} {results[spec.key][way]['repeats']} repeat(s), load "
            f"{results[spec.key][way]['load']:.1f}"
            for way in ("loop", *KERNELS)
        ]
        print(f"- {spec.title}: " + "; ".join(parts))
    print()
    return verdicts


def report_floor(floor: dict[str, Any]) -> list[tuple[str, bool]]:
    print("## 2. Time per epoch of `train_many` against the number of models\n")
    print(
        "Full batch, SGD. 2-1-1: the shared 200 qwerties, BCE from logits. 1-1-1: 50 "
        "points per run, MSE. Per epoch = (best t(2E) − best t(E)) / E, which removes "
        "each call's fixed cost. Ratio = time per epoch / time per epoch with 1 model, "
        "same kernel.\n"
    )
    nets = list(floor["nets"])
    runs_list = list(floor["nets"][nets[0]]["batched"])
    header = " | ".join(f"{n} {k}: per epoch | ratio" for n in nets for k in KERNELS)
    print(f"| models | {header} |")
    print("|---|" + "---|---|" * len(nets) * len(KERNELS))
    for runs in runs_list:
        cells = []
        for net in nets:
            for kernel in KERNELS:
                row = floor["nets"][net]["batched" if kernel == "torch" else "fused"]
                seconds, one = row[runs]["seconds"], row["1"]["seconds"]
                cells.append(f"{_micro(seconds)} | {seconds / one:.1f}×")
        print(f"| {runs} | " + " | ".join(cells) + " |")
    cells = [f"{_micro(floor['nets'][n]['loop_one_model'])} | – | – | –" for n in nets]
    print("| 1, the notes' loop | " + " | ".join(cells) + " |")
    print()
    verdicts = []
    for net in nets:
        fused, torch_row = floor["nets"][net]["fused"], floor["nets"][net]["batched"]
        if "1000" not in fused:
            continue
        loop_one = floor["nets"][net]["loop_one_model"]
        for kernel, row in (("fused", fused), ("torch", torch_row)):
            against_loop = row["1000"]["seconds"] / loop_one
            verdicts.append(
                (
                    f"{net}, {kernel}: per epoch at 1000 models ≤ 3× the notes' loop's "
                    f"epoch of 1 model (measured {against_loop:.2f}×)",
                    against_loop <= TARGET_GROWTH_AT_1000,
                )
            )
        for kernel, row in (("fused", fused), ("torch", torch_row)):
            growth = row["1000"]["seconds"] / row["1"]["seconds"]
            bound = ""
            if kernel == "fused" and net in floor.get("fused_work", {}):
                # The least time 1000 models' arithmetic can take at the core's FMA peak.
                least = 1000 * floor["fused_work"][net]["flops"] / floor["fma_peak"]
                bound = (
                    f"; bound: 1000 × {floor['fused_work'][net]['flops']:,} FLOPs at the "
                    f"FMA peak take {_micro(least)}, {least / row['1']['seconds']:.0f}× "
                    "the 1-model epoch"
                )
            verdicts.append(
                (
                    f"{net}, {kernel}: per epoch at 1000 models ≤ 3× at 1 model, same kernel "
                    f"(measured {growth:.1f}×{bound})",
                    growth <= TARGET_GROWTH_AT_1000,
                )
            )
        one_fused, one_torch = fused["1"]["seconds"], torch_row["1"]["seconds"]
        print(
            f"- {net}: the fused epoch at 1000 models is "
            f"{fused['1000']['seconds'] / one_torch:.1f}× the torch path's epoch at 1 model "
            f"(its dispatch floor); the fused kernel's own 1-model epoch is "
            f"{_micro(one_fused)}, {one_torch / one_fused:.0f}× below that floor."
        )
    print()
    return verdicts


def report_work(floor: dict[str, Any]) -> None:
    peak = floor["peak"]
    rate = peak["flops_per_second"]
    print("## 3. The fused kernel against this core's peak\n")
    print(
        f"Peak: `torch.mm` of two {peak['size']}×{peak['size']} float32 matrices on one "
        f"thread, {_seconds(peak['seconds'])}, i.e. **{rate / 1e9:.1f} GFLOP/s** "
        "(2n³ operations; MKL's GEMM, which on an AMD CPU need not use its widest vectors). "
        f"FMA peak: **{floor['fma_peak'] / 1e9:.1f} GFLOP/s**, independent FMA chains on "
        "float32 vectors in L1 (`bench_fma_peak.py`): the core's own bound. FLOPs per "
        "epoch per run: counted from the kernel's loops (see `flops_per_epoch`). Time: "
        f"fused epoch at {floor['big']} models, per model.\n"
    )
    print(
        "| net (points) | FLOPs / epoch / run | fused µs / epoch / run | GFLOP/s "
        "| of GEMM | of FMA peak |"
    )
    print("|---|---|---|---|---|---|")
    for net, row in floor["fused_work"].items():
        achieved = row["flops"] / row["seconds"]
        points = 50 if net == "1-1-1" else 200
        print(
            f"| {net} ({points}) | {row['flops']:,} | {row['seconds'] * 1e6:.3f} "
            f"| {achieved / 1e9:.1f} | {achieved / rate:.0%} "
            f"| {achieved / floor['fma_peak']:.0%} |"
        )
    print()


def report_compile(compiled: dict[str, Any]) -> None:
    print("## 4. The fused kernel's compile cost\n")
    print(
        "Two fresh processes sharing a new, empty `NUMBA_CACHE_DIR`; each imports "
        "`annlab.many_runs._numba_kernel` (numba with it), then calls `train_many` twice "
        "(2-1-1, 1 run, 10 epochs). The first call of the first process compiles and stores "
        "the kernel; the second process loads it. A site build pays the compile once per cache "
        "(by default `annlab/many_runs/__pycache__`, git-ignored).\n"
    )
    print("| process | import numba + kernel module | first call | second call |")
    print("|---|---|---|---|")
    for label, row in compiled.items():
        if not isinstance(row, dict):  # run_job's load average
            continue
        print(
            f"| {label} | {_seconds(row['import'])} | {_seconds(row['first'])} "
            f"| {_seconds(row['second'])} |"
        )
    print()


def report_bounds(floor: dict[str, Any], per_epoch: dict[str, tuple[int, float]]) -> None:
    print("## 5. What bounds the torch path\n")
    tiny = floor["tiny_op"]
    print(
        f"- One tiny operation (`a.mul_(b)` on one-element tensors, from Python): {_micro(tiny)}."
    )
    for net, row in floor["nets"].items():
        one = row["batched"]["1"]["seconds"]
        print(
            f"- {net}: `train_many` dispatches {row['ops_batched']:.0f} aten operations "
            f"per epoch (the notes' loop {row['ops_loop']:.0f}); × {_micro(tiny)} = "
            f"{_micro(row['ops_batched'] * tiny)}, against {_micro(one)} measured per epoch "
            f"with 1 model ({one / row['ops_batched'] * 1e6:.2f} µs per operation)."
        )
    for name, entry in floor["passes"].items():
        shape, seconds = entry["shape"], entry["seconds"]
        numel = 1
        for n in shape:
            numel *= n
        rate = 3 * 4 * numel / seconds / 1e9
        line = (
            f"- One elementwise pass over a {tuple(shape)} float32 tensor ({name}): "
            f"{_micro(seconds)} ({rate:.0f} GB/s, 2 reads + 1 write)"
        )
        net_row = floor["nets"].get(name, {}).get("batched", {}).get(str(shape[0]))
        if net_row is not None:
            line += (
                f"; an epoch with {shape[0]} models costs {_micro(net_row['seconds'])}, "
                f"{net_row['seconds'] / seconds:.0f} such passes"
            )
        elif name in per_epoch:
            runs, epoch = per_epoch[name]
            line += (
                f"; the full experiment's epoch ({runs} models, set-up included) costs "
                f"{_micro(epoch)}, {epoch / seconds:.0f} such passes"
            )
        print(line + ".")
    print()
    big = floor["big"]
    print(f"Where an epoch with {big} models goes (`torch.profiler`, self CPU time):\n")
    print("| net | operation | µs per epoch | share | calls per epoch |")
    print("|---|---|---|---|---|")
    for net, rows in floor["profiles"].items():
        for row in rows:
            print(
                f"| {net} | `{row['op']}` | {row['us_per_epoch']:.0f} | "
                f"{row['share']:.0%} | {row['calls']:.0f} |"
            )
    print()
    print(f"The same products two ways, R = {big}, n = 200 (best of 20):\n")
    print("| operation | time |")
    print("|---|---|")
    for name, seconds in floor["products"].items():
        print(f"| `{name}` | {_micro(seconds)} |")
    print()


def report(
    args: argparse.Namespace, specs: list[Spec], results: dict[str, Any], total: float
) -> None:
    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    print("# annlab many-run trainer benchmark" + (" (QUICK smoke run)" if args.quick else ""))
    print()
    where = (
        "in-process measurements"
        if args.quick
        else f"fresh processes ({PROCESSES} for the loop and the fused kernel, the median "
        "taken; one for every other measurement)"
    )
    print(
        f"{date}; nproc {os.cpu_count()}; torch {torch.__version__}; Python "
        f"{platform.python_version()}; torch threads {THREADS} (set_num_threads, "
        f"loop and batched alike); {where}; notes' loss line "
        f"{'literal' if args.literal else 'with .detach()'}; whole run {total:.0f} s."
    )
    print()
    verdicts = report_experiments(specs, results["experiments"])
    if args.only:
        print("## Targets\n")
        for text, ok in verdicts:
            print(f"- {_verdict(ok)} {text}")
        return
    verdicts += report_floor(results["floor"])
    report_work(results["floor"])
    report_compile(results["compile"])
    per_epoch = {}
    for spec in specs:
        wall = results["experiments"][spec.key]["torch"]["wall"]
        net = "-".join(str(n) for n in spec.sizes)
        per_epoch[net] = (spec.total_runs, wall / spec.epochs)
    report_bounds(results["floor"], per_epoch)
    print("## Targets\n")
    for text, ok in verdicts:
        print(f"- {_verdict(ok)} {text}")
    if args.quick:
        print("\n(QUICK run: tiny experiments; the numbers say nothing about the targets.)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run of a few seconds")
    parser.add_argument(
        "--literal",
        action="store_true",
        help="the notes' `losses[epoch] = loss` (keeps the graphs)",
    )
    parser.add_argument(
        "--only",
        help="comma-separated experiments (slope, sweep, multi, wide): only their table "
        "(section 1) and targets, without the floor, work, compile and bounds sections",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(json.loads(args.worker))))
        return
    torch.set_num_threads(THREADS)
    start = time.perf_counter()
    table = QUICK if args.quick else FULL
    keys = args.only.split(",") if args.only else ["slope", "sweep", "multi", "wide"]
    unknown = sorted(set(keys) - set(table))
    if unknown:
        parser.error(f"--only: unknown {', '.join(unknown)}; choose from {', '.join(table)}")
    specs = [table[k] for k in keys]
    results: dict[str, Any] = {"experiments": {}}
    for spec in specs:  # loop, then batched, back to back, so the ratios share one load
        results["experiments"][spec.key] = {
            way: median_process(
                {"kind": way, "exp": spec.key, "quick": args.quick, "literal": args.literal},
                1 if args.quick or way == "torch" else PROCESSES,
            )
            for way in ("loop", *KERNELS)
        }
    if not args.only:
        results["floor"] = run_job({"kind": "floor", "quick": args.quick}, not args.quick)
        results["compile"] = run_job({"kind": "compile"}, fresh_process=False)
    report(args, specs, results, time.perf_counter() - start)
    if os.environ.get("BENCH_JSON"):
        with open(os.environ["BENCH_JSON"], "w") as out:
            json.dump({"specs": [asdict(s) for s in specs], **results}, out, indent=1)


if __name__ == "__main__":
    main()
