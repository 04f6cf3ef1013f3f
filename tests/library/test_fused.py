"""The fused CPU kernel gives what the pure-torch path gives, to float32 rounding (1e-5)."""

from __future__ import annotations

from typing import Any

import pytest
import torch

import annlab.many_runs._spec as run_spec
import annlab.many_runs.trainer as trainer
from annlab.many_runs.trainer import ManyRunsResult, train_many
from tests.library.conftest import epochs_for

SEEDS = [3, 4, 5, 6]
RATES = [0.01, 0.02, 0.03, 0.05]
ARCHITECTURES = [[1, 1, 1], [2, 1, 1], [2, 16, 1], [2, 16, 1, 1]]
CLOSE = {"atol": 1e-5, "rtol": 1e-5}  # float32 rounding

pytest.importorskip("numba", reason="the fused kernel needs numba (pip install annlab[fast])")


pytestmark = pytest.mark.usefixtures("one_thread")


def make_data(n_inputs: int, loss: str, runs: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """40 points shared by all runs, or ``runs`` data sets of 40 points each."""
    g = torch.Generator().manual_seed(0)
    shape = (runs, 40, n_inputs) if runs else (40, n_inputs)
    x = torch.randn(*shape, generator=g) + 0.5
    total = x.sum(-1, keepdim=True)
    if loss == "mse":
        return x, total + torch.randn(total.shape, generator=g) / 2
    return x, (total > 0.5 * n_inputs).float()


def both(*args, **kwargs) -> tuple[ManyRunsResult, ManyRunsResult]:  # type: ignore[no-untyped-def]
    return (
        train_many(*args, kernel="fused", **kwargs),
        train_many(*args, kernel="torch", **kwargs),
    )


def assert_same(fused: ManyRunsResult, torch_path: ManyRunsResult) -> None:
    torch.testing.assert_close(fused.loss_history, torch_path.loss_history, **CLOSE)
    for a, b in zip(
        fused.weights + fused.biases, torch_path.weights + torch_path.biases, strict=True
    ):
        torch.testing.assert_close(a, b, **CLOSE)
    assert torch.equal(fused.diverged, torch_path.diverged)
    assert fused.checkpoints.keys() == torch_path.checkpoints.keys()
    pairs = [(fused.start, torch_path.start), (fused.end, torch_path.end)]
    pairs += [(fused.checkpoints[e], torch_path.checkpoints[e]) for e in fused.checkpoints]
    for a, b in pairs:
        assert a.epoch == b.epoch
        torch.testing.assert_close(a.loss, b.loss, **CLOSE)
        torch.testing.assert_close(a.outputs, b.outputs, **CLOSE)
        if b.accuracy is None:
            assert a.accuracy is None
        else:
            torch.testing.assert_close(a.accuracy, b.accuracy)
        assert len(a.active_fractions) == len(b.active_fractions)
        for fa, fb in zip(a.active_fractions, b.active_fractions, strict=True):
            torch.testing.assert_close(fa, fb)


def assert_agree_over_rates(
    sizes: list[int], x: torch.Tensor, y: torch.Tensor, **kwargs: Any
) -> None:
    """Train the runs ``SEEDS`` at the rates ``RATES`` both ways: the two paths give the
    same results and no run diverges."""
    fused, torch_path = both(
        sizes, x, y, seeds=SEEDS, learning_rates=torch.tensor(RATES), **kwargs
    )
    assert_same(fused, torch_path)
    assert not fused.diverged.any()


def assert_same_divergence(fused: ManyRunsResult, torch_path: ManyRunsResult) -> torch.Tensor:
    """Both paths flag the same runs as diverged, their recorded losses stop being finite
    at the same epochs, and the finite ones agree; returns where they are finite."""
    assert torch.equal(fused.diverged, torch_path.diverged)
    finite = torch.isfinite(torch_path.loss_history)
    assert torch.equal(torch.isfinite(fused.loss_history), finite)
    history = fused.loss_history[finite], torch_path.loss_history[finite]
    torch.testing.assert_close(*history, **CLOSE)
    return finite


@pytest.mark.parametrize("sizes", ARCHITECTURES)
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("loss", ["mse", "bce_with_logits"])
@pytest.mark.parametrize("per_run", [False, True])
def test_fused_equals_torch_path(sizes, optimizer, loss, per_run):  # type: ignore[no-untyped-def]
    x, y = make_data(sizes[0], loss, runs=len(SEEDS) if per_run else 0)
    epochs = epochs_for(optimizer)
    assert_agree_over_rates(
        sizes,
        x,
        y,
        epochs=epochs,
        loss=loss,
        optimizer=optimizer,
        checkpoints=(1, epochs // 2),
        record_every=3,
    )


@pytest.mark.parametrize(
    ("hidden", "output"), [("tanh", "sigmoid"), ("sigmoid", "identity"), ("identity", "relu")]
)
def test_other_activations_agree(hidden, output):  # type: ignore[no-untyped-def]
    x, y = make_data(2, "mse", runs=len(SEEDS))
    y = torch.sigmoid(y)
    assert_same(
        *both(
            [2, 4, 1],
            x,
            y,
            seeds=SEEDS,
            learning_rates=0.05,
            epochs=100,
            loss="mse",
            hidden_activation=hidden,
            output_activation=output,
        )
    )


def test_divergence_is_flagged_and_frozen_the_same_way():
    x, y = make_data(1, "mse")
    rates = [0.01, 20.0, 0.02, 50.0]
    fused, torch_path = both(
        [1, 1, 1],
        x,
        y,
        seeds=SEEDS,
        learning_rates=rates,
        epochs=60,
        loss="mse",
        checkpoints=(30,),
    )
    assert fused.diverged.tolist() == [False, True, False, True]
    assert_same_divergence(fused, torch_path)
    for a, b in zip(
        fused.weights + fused.biases, torch_path.weights + torch_path.biases, strict=True
    ):
        torch.testing.assert_close(a, b, **CLOSE)  # frozen where the first bad loss came


def test_progress_bar_by_runs_gives_the_same_result():
    x, y = make_data(2, "bce_with_logits")
    kwargs = {"seeds": list(range(7)), "learning_rates": 0.1, "epochs": 30}
    plain = train_many([2, 16, 1, 1], x, y, kernel="fused", **kwargs)
    shown = train_many([2, 16, 1, 1], x, y, kernel="fused", progress=True, **kwargs)
    torch.testing.assert_close(plain.loss_history, shown.loss_history, atol=0.0, rtol=0.0)


def test_kernel_is_checked_and_chosen():
    x, y = make_data(2, "bce_with_logits")
    with pytest.raises(ValueError, match="kernel"):
        train_many([2, 1, 1], x, y, seeds=[0], learning_rates=0.1, epochs=2, kernel="numba")
    cpu, cuda = torch.device("cpu"), torch.device("cuda")
    assert run_spec.choose_kernel("auto", cpu) == "fused"
    assert run_spec.choose_kernel("auto", cuda) == "torch"
    assert run_spec.choose_kernel("torch", cpu) == "torch"
    with pytest.raises(ValueError, match="kernel='fused' runs on the CPU only"):
        run_spec.choose_kernel("fused", cuda)


def test_auto_falls_back_to_torch_without_numba(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(run_spec, "numba_available", lambda: False)
    assert run_spec.choose_kernel("auto", torch.device("cpu")) == "torch"
    with pytest.raises(ImportError, match="annlab\\[fast\\]"):
        run_spec.choose_kernel("fused", torch.device("cpu"))
    called = []
    monkeypatch.setattr(trainer, "train_fused", lambda *a, **k: called.append(1))
    x, y = make_data(2, "bce_with_logits")
    result = train_many([2, 1, 1], x, y, seeds=[0, 1], learning_rates=0.1, epochs=5)
    assert not called and result.runs == 2


def test_cuda_device_runs_the_torch_path():
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device: the torch path on CUDA is tested only where a GPU is present")
    x, y = make_data(2, "bce_with_logits")
    on_gpu = train_many(
        [2, 16, 1, 1], x, y, seeds=SEEDS, learning_rates=0.1, epochs=50, device="cuda"
    )
    on_cpu = train_many([2, 16, 1, 1], x, y, seeds=SEEDS, learning_rates=0.1, epochs=50)
    assert on_gpu.loss_history.device.type == "cpu"
    torch.testing.assert_close(on_gpu.loss_history, on_cpu.loss_history, atol=1e-5, rtol=1e-5)


def many_points(n_inputs: int, n: int = 200) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` points (at least 128, so the points are padded only on the narrow and
    single-pass routes)."""
    g = torch.Generator().manual_seed(1)
    x = torch.randn(n, n_inputs, generator=g) * 2 + 1
    return x, (x.sum(-1, keepdim=True) > n_inputs).float()


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [([2, 16, 1], "relu"), ([2, 16, 1, 1], "relu"), ([1, 8, 1], "relu"), ([2, 8, 1], "identity")],
)
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_narrow_route_on_200_points_agrees(sizes, hidden, optimizer):  # type: ignore[no-untyped-def]
    """The narrow route (``_numba_kernel._narrow``) on the experiments' 200 points, padded
    to 208."""
    x, y = many_points(sizes[0])
    epochs = epochs_for(optimizer)
    assert_agree_over_rates(
        sizes,
        x,
        y,
        epochs=epochs,
        optimizer=optimizer,
        hidden_activation=hidden,
        checkpoints=(1, 7, epochs // 2),
    )


@pytest.mark.parametrize("sizes", [[1, 1, 1], [2, 1, 1]])
@pytest.mark.parametrize("hidden", ["relu", "identity"])
@pytest.mark.parametrize("loss", ["mse", "bce_with_logits"])
def test_single_pass_route_on_200_points_agrees(sizes, hidden, loss):  # type: ignore[no-untyped-def]
    """The single-pass route (``_numba_kernel._tiny``: d-1-1 nets, the slope challenge's and
    the sweep's) on 200 points, padded to 208, with a snapshot every few epochs."""
    x, y = many_points(sizes[0])
    if loss == "mse":
        y = x.sum(-1, keepdim=True) * 0.5 + y
    assert_agree_over_rates(
        sizes, x, y, epochs=150, loss=loss, hidden_activation=hidden, checkpoints=(1, 7, 75)
    )


def test_routes_are_chosen_by_architecture():
    import numpy as np

    from annlab.many_runs import _numba_kernel as kernel

    relu, identity, tanh = (kernel.ACTIVATION_CODES[k] for k in ("relu", "identity", "tanh"))
    generic, narrow, tiny = kernel.GENERIC, kernel.NARROW, kernel.TINY
    cases = [
        ([1, 1, 1], relu, identity, tiny),
        ([2, 1, 1], identity, identity, tiny),
        ([2, 1, 1], tanh, identity, generic),  # tanh: no single pass
        ([2, 1, 1], relu, relu, generic),  # an output activation: generic
        ([3, 1, 1], relu, identity, generic),
        ([2, 2, 1], relu, identity, generic),
        ([2, 16, 1], relu, identity, narrow),
        ([2, 16, 1, 1], relu, identity, narrow),
        ([2, 16, 2], relu, identity, generic),
    ]
    for sizes, hidden, output, route in cases:
        assert kernel._route(np.asarray(sizes, np.int64), hidden, output) == route, sizes


@pytest.mark.parametrize("sizes", [[2, 16, 1], [2, 16, 1, 1]])
def test_narrow_route_divergence_is_frozen_the_same_way(sizes):  # type: ignore[no-untyped-def]
    """A run that diverges between snapshots: its later snapshots (active fractions
    included, which the narrow route's forward pass stores only at snapshot epochs)
    are the torch path's."""
    x, y = many_points(2)
    y = y * 40 - 20
    rates = [0.001, 5.0, 0.002, 50.0]
    fused, torch_path = both(
        sizes, x, y, seeds=SEEDS, learning_rates=rates, epochs=60, loss="mse", checkpoints=(30,)
    )
    assert fused.diverged.tolist() == [False, True, False, True]
    finite = assert_same_divergence(fused, torch_path)
    assert not finite[1].all() and finite[1, 0]  # diverged after epoch 0, before 30
    # Frozen where the first bad loss came. The diverged runs' weights grew about a
    # million-fold in their last epochs, which magnifies float32 rounding: 1.7e-5
    # relative at rate 50 (weights and outputs), with this kernel and the one before.
    kept = ~fused.diverged
    for a, b in zip(
        fused.weights + fused.biases, torch_path.weights + torch_path.biases, strict=True
    ):
        torch.testing.assert_close(a[kept], b[kept], **CLOSE)
        torch.testing.assert_close(a[~kept], b[~kept], atol=1e-5, rtol=1e-4)
    for a, b in [(fused.checkpoints[30], torch_path.checkpoints[30]), (fused.end, torch_path.end)]:
        torch.testing.assert_close(a.loss, b.loss, equal_nan=True, **CLOSE)  # inf, not NaN
        torch.testing.assert_close(a.outputs[kept], b.outputs[kept], **CLOSE)
        torch.testing.assert_close(
            a.outputs[~kept], b.outputs[~kept], equal_nan=True, atol=1e-5, rtol=1e-4
        )
        for fa, fb in zip(a.active_fractions, b.active_fractions, strict=True):
            torch.testing.assert_close(fa, fb, atol=0.0, rtol=0.0)


VECTOR_SETTING = """
import annlab.many_runs._numba_kernel  # importing the kernel chooses nothing
from numba import config
before = config.CPU_NAME, config.CPU_FEATURES
from annlab.many_runs._fused_path import _kernel
_kernel()  # what the fused path calls before its first run
assert before == (None, None) or "NUMBA_CPU_NAME" in __import__("os").environ, before
print(config.CPU_NAME, config.CPU_FEATURES)
"""


def test_full_width_vectors_on_avx512_unless_the_caller_chose_a_target():
    """numba compiles the kernel with 512-bit vectors where the CPU has them (LLVM's
    tuning for many Intel CPUs keeps to 256), chosen when the fused path first loads the
    kernel (not on import), and leaves a target the caller set alone."""
    import os
    import subprocess
    import sys

    from llvmlite import binding

    def setting(**env: str) -> str:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CPU_")}
        found = subprocess.run(
            [sys.executable, "-c", VECTOR_SETTING],
            env={**clean, **env},
            capture_output=True,
            text=True,
        )
        assert found.returncode == 0, found.stderr[-2000:]
        return found.stdout.strip()

    host = binding.get_host_cpu_features().flatten()
    if "+avx512f" in host.split(","):
        assert setting() == f"None {host},-prefer-256-bit"
    else:
        assert setting() == "None None", "no AVX-512: numba's own choice"
    assert setting(NUMBA_CPU_NAME="haswell") == "haswell None"
