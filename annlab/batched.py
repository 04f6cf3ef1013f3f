"""Train many small networks at once: R runs held as one batch of tensors.

The experiments of pages 7, 9 and 10 train the same small network hundreds of
times (one run per seed, learning rate or data set). Training them one by one
costs a Python loop, a model and an optimizer per run, and most of the time
goes to PyTorch's per-operation overhead, not arithmetic. Here the parameters
of all R runs are stacked along a leading run dimension (weights (R, out, in),
biases (R, out)) and one batched matrix product does the work of R.

The gradient is written out by hand (backpropagation, as on page 5) with
batched products (``torch.bmm``, or a broadcast multiply or one plain matrix
product where a layer's matrices are tiny: see :mod:`annlab.batched_math`), not
taken from autograd on the summed loss. Measured on this 2-core machine before
those tiny-layer kernels (one thread, time per epoch)::

    network, points, runs      hand-written backward   autograd on summed loss
    1-1-1, 50, 1000                    0.99 ms                 1.39 ms
    2-1-1, 200, 1000                   2.8 ms                  7.1 ms
    2-1-1, 200, 1                      0.12 ms                 0.38 ms
    2-16-1-1, 200, 1000               44 ms (first draft)     36 ms

Autograd pays its graph bookkeeping every epoch, which dominates for these
tiny networks; see ``benchmarks/RESULTS.md`` for the final numbers.
Each run still gets exactly its own gradient: the runs never mix, so the tests
check every batched run against a one-model training to 1e-5.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import torch

from annlab._fused_train import choose_kernel, train_fused
from annlab.activations import ACTIVATIONS
from annlab.batched_checks import (
    check_checkpoints,
    check_data,
    check_learning_rates,
    check_seeds,
    check_sizes,
)
from annlab.batched_math import Adam, backward, forward, loss_and_delta
from annlab.batched_result import BatchedResult, Snapshot, initial_parameters
from annlab.validation import check_choice, check_positive_int

LOSSES = ("mse", "bce_with_logits")
OPTIMIZERS = ("sgd", "adam")
Tensor = torch.Tensor


def train_batched(
    sizes: Sequence[int],
    x: Any,
    y: Any,
    *,
    seeds: Sequence[int],
    learning_rates: float | Sequence[float] | Tensor,
    epochs: int,
    hidden_activation: str = "relu",
    output_activation: str = "identity",
    loss: str = "bce_with_logits",
    optimizer: str = "sgd",
    checkpoints: Sequence[int] = (),
    record_every: int = 1,
    device: str | torch.device = "cpu",
    progress: bool = False,
    threads: int | None = 1,
    kernel: str = "auto",
) -> BatchedResult:
    """Train R copies of one small network at once, full batch, one seed per run.

    Parameters
    ----------
    sizes : sequence of int
        Layer sizes, as for :func:`annlab.models.mlp`, e.g. ``[2, 16, 1, 1]``.
    x : tensor of shape (n, d), shared by all runs, or (R, n, d), one data set per run.
    y : tensor of shape (n, k) or (R, n, k)
        Targets (0 or 1 for ``"bce_with_logits"``).
    seeds : sequence of R ints
        Run r starts as ``mlp(sizes, hidden_activation, output_activation, seed=seeds[r])``.
    learning_rates : float or sequence of R floats
        One rate for all runs, or one per run (a learning-rate sweep is one batch).
    epochs : int
        Full-batch updates per run.
    hidden_activation, output_activation : {"relu", "sigmoid", "tanh", "identity"}
    loss : {"bce_with_logits", "mse"}
        Each run's loss is the mean over its points. ``"bce_with_logits"`` needs
        ``output_activation="identity"`` (the network outputs logits).
    optimizer : {"sgd", "adam"}
        Plain SGD (``p -= lr * grad``) or torch.optim.Adam's update with its defaults.
    checkpoints : sequence of int
        Increasing epochs (1 to ``epochs``) at which to take a :class:`Snapshot`.
    record_every : int
        Keep the loss of every ``record_every``-th epoch in ``loss_history``.
    device : str or torch.device
        Where to train; results come back on the CPU. A CUDA device always runs
        the pure-torch path (``kernel="auto"`` chooses it there).
    progress : bool
        Show a tqdm progress bar (needs ``pip install annlab[progress]``): by
        epoch on the torch path, by run on the fused one.
    threads : int or None
        CPU threads torch may use while training, restored afterwards. One is
        fastest for matrices this small (two threads were 2-20x slower on a
        busy 2-core machine); None keeps torch's own setting. The fused
        kernel is single-threaded either way.
    kernel : {"auto", "fused", "torch"}
        How to compute. ``"fused"``: one compiled loop (numba, ``pip install
        annlab[fast]``) trains the runs one after the other, each run's
        forward pass, loss, backward pass and update in one sweep while its
        activations stay in cache; CPU only. ``"torch"``: one PyTorch
        operation over all runs at a time (:mod:`annlab.batched_math`), on any
        device; the reference the fused kernel is tested against (1e-5).
        ``"auto"`` (default): fused on the CPU when numba is installed, torch
        otherwise. Both give the same results up to float32 rounding; the
        fused kernel was 4-40x faster in ``benchmarks/RESULTS.md``. Its first
        call in a fresh environment compiles it (about half a minute, cached on
        disk: see :mod:`annlab._fused`).

    Returns
    -------
    BatchedResult

    Raises
    ------
    TypeError, ValueError
        For a bad argument, named in the message. A run whose loss becomes NaN
        or inf raises nothing: it is flagged in ``diverged`` and frozen.

    Examples
    --------
    >>> x = torch.linspace(-1, 1, 20).reshape(-1, 1)
    >>> result = train_batched([1, 1], x, 3 * x, seeds=[0, 1, 2], loss="mse",
    ...                        learning_rates=[0.01, 0.1, 0.5], epochs=50)
    >>> result.runs, tuple(result.loss_history.shape)
    (3, (3, 50))
    >>> bool(result.final_loss[2] < result.final_loss[1] < result.final_loss[0])
    True
    """
    with _cpu_threads(threads):
        return _train(
            sizes, x, y, seeds, learning_rates, epochs, hidden_activation, output_activation,
            loss, optimizer, checkpoints, record_every, device, progress, kernel,
        )  # fmt: skip


@contextmanager
def _cpu_threads(threads: int | None) -> Iterator[None]:
    """Let torch use ``threads`` CPU threads for a while, then restore its setting."""
    if threads is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(check_positive_int(threads, "threads"))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _train(
    sizes: Any, x: Any, y: Any, seeds: Any, learning_rates: Any, epochs: Any,
    hidden_activation: str, output_activation: str, loss: str, optimizer: str,
    checkpoints: Any, record_every: Any, device: Any, progress: bool, kernel: str,
) -> BatchedResult:  # fmt: skip
    sizes = check_sizes(sizes)
    seeds = check_seeds(seeds)
    runs = len(seeds)
    check_choice(hidden_activation, "hidden_activation", ACTIVATIONS)
    check_choice(output_activation, "output_activation", ACTIVATIONS)
    check_choice(loss, "loss", LOSSES)
    check_choice(optimizer, "optimizer", OPTIMIZERS)
    if loss == "bce_with_logits" and output_activation != "identity":
        raise ValueError(
            "output_activation must be 'identity' with loss='bce_with_logits' (the loss "
            f"applies the sigmoid itself); got {output_activation!r}"
        )
    epochs = check_positive_int(epochs, "epochs")
    record_every = check_positive_int(record_every, "record_every")
    wanted = check_checkpoints(checkpoints, epochs)
    dev = torch.device(device)
    path = choose_kernel(kernel, dev)
    x, y = check_data(x, y, sizes, runs, binary=loss == "bce_with_logits")
    rates = check_learning_rates(learning_rates, runs)
    weights, biases = initial_parameters(sizes, seeds)
    if path == "fused":
        shots = sorted({0, epochs, *wanted})
        out = train_fused(
            sizes, x, y, weights, biases, rates, hidden_activation, output_activation, loss,
            optimizer == "adam", epochs, record_every, shots, progress,
        )  # fmt: skip
        relu = hidden_activation == "relu"
        snapshots = {
            epoch: _snapshot(epoch, out.losses[s], out.outputs[s], y, loss,
                             [a[s] for a in out.active] if relu else [])
            for s, epoch in enumerate(shots)
        }  # fmt: skip
        diverged, history = out.diverged, out.history
        weights, biases = out.weights, out.biases
    else:
        weights, biases, diverged, history, snapshots = _train_torch(
            x.to(dev), y.to(dev), rates.to(dev).view(runs, 1, 1), weights, biases,
            hidden_activation, output_activation, loss, optimizer, epochs, record_every,
            wanted, progress,
        )  # fmt: skip
    return BatchedResult(
        sizes=tuple(sizes),
        hidden_activation=hidden_activation,
        output_activation=output_activation,
        seeds=tuple(seeds),
        learning_rates=rates,
        loss_history=history,
        recorded_epochs=torch.arange(0, epochs, record_every),
        diverged=diverged,
        weights=tuple(weights),
        biases=tuple(biases),
        start=snapshots[0],
        end=snapshots[epochs],
        checkpoints={epoch: snapshots[epoch] for epoch in wanted},
    )


TorchOutput = tuple[list[Tensor], list[Tensor], Tensor, Tensor, dict[int, Snapshot]]


def _train_torch(
    x: Tensor, y: Tensor, rates: Tensor, weights: list[Tensor], biases: list[Tensor],
    hidden_activation: str, output_activation: str, loss: str, optimizer: str, epochs: int,
    record_every: int, wanted: tuple[int, ...], progress: bool,
) -> TorchOutput:  # fmt: skip
    """The pure-torch path: one operation over all runs at a time, on x's device."""
    dev, runs = x.device, rates.shape[0]
    params = [w.to(dev) for w in weights] + [b.to(dev).unsqueeze(2) for b in biases]
    n_layers = len(weights)
    weights = params[:n_layers]
    names = [hidden_activation] * (n_layers - 1) + [output_activation]
    adam = Adam(params, rates) if optimizer == "adam" else None
    neg_rates = (-rates).to(x.dtype)
    alive = torch.ones(runs, 1, 1, dtype=torch.bool, device=dev)
    history = torch.empty(math.ceil(epochs / record_every), runs, device=dev)
    snapshots: dict[int, Snapshot] = {}
    scratch: dict[str, Tensor] = {}  # hidden layers' buffers, reused every epoch
    for epoch in _epochs(epochs, progress):
        outputs = forward(weights, params[n_layers:], x, names, scratch)
        value, delta = loss_and_delta(outputs[-1], y, loss, output_activation)
        if epoch < epochs and epoch % record_every == 0:
            history[epoch // record_every] = value
        if epoch in wanted or epoch in (0, epochs):
            fractions = (
                [(a > 0).float().mean(2) for a in outputs[:-1]]
                if hidden_activation == "relu"
                else []
            )
            snapshots[epoch] = _snapshot(epoch, value, outputs[-1], y, loss, fractions)
        if epoch == epochs:
            break
        finite = torch.isfinite(value)
        if not bool(finite.all()):
            alive &= finite.view(runs, 1, 1)
            neg_rates = neg_rates * alive
        grads = backward(weights, outputs, x, delta, hidden_activation, scratch)
        if not bool(alive.all()):  # NaN-proof: a frozen run's gradient is dropped, not scaled
            grads = [torch.where(alive, g, 0.0) for g in grads]
        if adam is None:
            for p, g in zip(params, grads, strict=True):
                p.addcmul_(neg_rates, g)
        else:
            for p, u in zip(params, adam.updates(grads, alive), strict=True):
                p.add_(u if bool(alive.all()) else torch.where(alive, u, 0.0))
    return (
        [w.cpu() for w in weights],
        [b.squeeze(2).cpu() for b in params[n_layers:]],
        ~alive.view(runs).cpu(),
        history.T.cpu(),
        snapshots,
    )


def _epochs(epochs: int, progress: bool) -> Iterable[int]:
    """Epochs 0 to ``epochs``: the last pass only measures the final parameters."""
    if not progress:
        return range(epochs + 1)
    try:
        from tqdm.auto import tqdm
    except ImportError as error:
        raise ImportError("progress=True needs tqdm: pip install annlab[progress]") from error
    bar: Iterable[int] = tqdm(range(epochs + 1), desc="batched training", unit="epoch")
    return bar


def _snapshot(
    epoch: int, value: Tensor, out: Tensor, y: Tensor, loss: str, fractions: list[Tensor]
) -> Snapshot:
    """A :class:`Snapshot` from the last layer's output (R, k, n) and the active fractions."""
    accuracy = None
    if loss == "bce_with_logits":
        accuracy = ((torch.sigmoid(out) > 0.5) == (y > 0.5)).float().mean((1, 2)).cpu()
    return Snapshot(
        epoch,
        value.cpu(),
        out.transpose(1, 2).cpu().contiguous(),
        accuracy,
        tuple(f.cpu() for f in fractions),
    )
