"""Train many small networks at once: R runs held as one batch of tensors.

The experiments of pages 7, 9 and 10 train the same small network hundreds of
times (one run per seed, learning rate or data set). Training them one by one
costs a Python loop, a model and an optimizer per run, and most of the time
goes to PyTorch's per-operation overhead, not arithmetic. Here the parameters
of all R runs are stacked along a leading run dimension (weights (R, out, in),
biases (R, out)) and trained together, in one of two ways (``kernel=``):

- **fused** (the default on the CPU when numba is installed,
  :mod:`annlab.many_runs._numba_kernel`): one compiled loop takes the runs one after
  the other and does each run's whole training there, every epoch's forward pass,
  loss, backward pass and update in one sweep while that run's activations sit in
  the L1 cache.
- **torch** (:mod:`annlab.many_runs._math`, any device): one PyTorch operation over
  all R runs at a time, the gradient written out by hand (backpropagation, as on
  page 5) with batched products, or a broadcast multiply or one plain matrix
  product where a layer's matrices are tiny. It is the reference, and the path a
  CUDA device runs.

:func:`train_many` checks its arguments once into a run spec
(:class:`annlab.many_runs._spec.RunSpec`), draws the initial parameters, and hands
both to one of the two paths (:mod:`annlab.many_runs._fused_path`,
:mod:`annlab.many_runs._torch_path`), which return the same thing.

See ``benchmarks/RESULTS.md`` for both paths against the notes' loop. Each run
gets exactly its own gradient either way: the runs never mix, so the tests check
every run trained together against a one-model training to 1e-5, and the fused kernel
against the torch path to 1e-5.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from annlab._checks import check_positive_int, check_sizes
from annlab.by_hand.activations import ActivationName
from annlab.by_hand.losses import GradientLossName
from annlab.many_runs._fused_path import train_fused
from annlab.many_runs._spec import Kernel, RawState, RunSpec, check_seeds, run_spec
from annlab.many_runs._torch_path import train_torch
from annlab.models import mlp
from annlab.training import OptimizerName

Tensor = torch.Tensor


def initial_parameters(
    sizes: Sequence[int], seeds: Sequence[int]
) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Draw the initial weights (R, out, in) and biases (R, out) of R runs, one seed each.

    Layer by layer, weight before bias, uniform in ±1/√fan_in from one
    generator per run: the draw of :func:`annlab.models.mlp`.

    Examples
    --------
    >>> weights, biases = initial_parameters([2, 3, 1], seeds=[0, 7])
    >>> [tuple(w.shape) for w in weights], [tuple(b.shape) for b in biases]
    ([(2, 3, 2), (2, 1, 3)], [(2, 3), (2, 1)])
    >>> bool(torch.equal(weights[0][1], mlp([2, 3, 1], seed=7)[0].weight))
    True
    """
    sizes, seeds = check_sizes(sizes), check_seeds(seeds)
    runs = len(seeds)
    pairs = list(itertools.pairwise(sizes))
    # Each layer's weights and bias side by side in one row per run, drawn in one
    # call: uniform_ takes its numbers one after another from the generator, so
    # that is the same draw as weight, then bias (tested against mlp).
    layers = [torch.empty(runs, n_out * (n_in + 1)) for n_in, n_out in pairs]
    bounds = [1 / math.sqrt(n_in) for n_in, _ in pairs]
    generator = torch.Generator()  # manual_seed resets it whole: as a new one per run
    for run, seed in enumerate(seeds):
        generator.manual_seed(seed)
        for layer, bound in zip(layers, bounds, strict=True):
            layer[run].uniform_(-bound, bound, generator=generator)
    weights, biases = [], []
    for layer, (n_in, n_out) in zip(layers, pairs, strict=True):
        weights.append(layer[:, : n_in * n_out].reshape(runs, n_out, n_in).contiguous())
        biases.append(layer[:, n_in * n_out :].contiguous())
    return weights, biases


@dataclass(frozen=True)
class EpochState:
    """The state of every run at one epoch (after that many updates).

    Attributes
    ----------
    epoch : int
        Number of updates made before this state (0 is the start).
    loss : torch.Tensor, shape (R,)
        Each run's loss, the mean over its training points.
    outputs : torch.Tensor, shape (R, n, k)
        Each run's network output on its training points (logits when trained
        with ``"bce_with_logits"``).
    accuracy : torch.Tensor of shape (R,), or None
        Fraction of points classified right (sigmoid of the logit above 0.5),
        for ``"bce_with_logits"`` only.
    active_fractions : tuple of torch.Tensor, each (R, units)
        For each hidden ReLU layer, the fraction of training points on which
        each unit's output is above 0. Empty for other hidden activations.
    """

    epoch: int
    loss: torch.Tensor
    outputs: torch.Tensor
    accuracy: torch.Tensor | None
    active_fractions: tuple[torch.Tensor, ...]

    @property
    def runs(self) -> int:
        """How many runs stand behind these numbers."""
        return int(self.loss.shape[0])


@dataclass(frozen=True)
class ManyRunsResult:
    """R runs trained together: their losses, states and final parameters.

    Attributes
    ----------
    sizes, hidden_activation, output_activation : the architecture of every run.
    seeds : tuple of int
        Run r was initialised as ``mlp(sizes, ..., seed=seeds[r])``.
    learning_rates : torch.Tensor, shape (R,)
    loss_history : torch.Tensor, shape (R, T)
        Loss of each run before the update of each recorded epoch.
    recorded_epochs : torch.Tensor, shape (T,)
        The epochs of ``loss_history``'s columns (every ``record_every``-th).
    diverged : torch.Tensor, shape (R,), bool
        Runs whose loss became NaN or inf; their parameters froze there.
    weights, biases : tuple of torch.Tensor
        Final parameters, per layer: (R, out, in) and (R, out).
    start, end : EpochState
        Before the first update and after the last.
    checkpoints : dict of int to EpochState
        The states at the epochs asked for with ``checkpoints=``.
    """

    sizes: tuple[int, ...]
    hidden_activation: ActivationName
    output_activation: ActivationName
    seeds: tuple[int, ...]
    learning_rates: torch.Tensor
    loss_history: torch.Tensor
    recorded_epochs: torch.Tensor
    diverged: torch.Tensor
    weights: tuple[torch.Tensor, ...]
    biases: tuple[torch.Tensor, ...]
    start: EpochState
    end: EpochState
    checkpoints: dict[int, EpochState]

    @property
    def runs(self) -> int:
        """How many runs stand behind these numbers."""
        return len(self.seeds)

    @property
    def final_loss(self) -> torch.Tensor:
        """Each run's loss with its final parameters, shape (R,)."""
        return self.end.loss

    def model(self, run: int) -> nn.Sequential:
        """Rebuild run ``run`` as an ordinary ``nn.Sequential`` with its final parameters.

        Examples
        --------
        >>> from annlab.many_runs.trainer import train_many
        >>> x = torch.linspace(-1, 1, 8).reshape(-1, 1)
        >>> result = train_many([1, 1], x, 2 * x, seeds=[0, 1], learning_rates=0.1,
        ...                        epochs=5, loss="mse")
        >>> model = result.model(1)
        >>> bool(torch.allclose(model(x), result.end.outputs[1]))
        True
        """
        if isinstance(run, bool) or not isinstance(run, int) or not 0 <= run < self.runs:
            raise ValueError(f"run must be an int from 0 to {self.runs - 1}; got {run!r}")
        model = mlp(self.sizes, self.hidden_activation, self.output_activation, seed=0)
        layers = [m for m in model if isinstance(m, nn.Linear)]
        with torch.no_grad():
            for layer, weight, bias in zip(layers, self.weights, self.biases, strict=True):
                layer.weight.copy_(weight[run])
                assert layer.bias is not None
                layer.bias.copy_(bias[run])
        return model


def train_many(
    sizes: Sequence[int],
    x: Any,
    y: Any,
    *,
    seeds: Sequence[int],
    learning_rates: float | Sequence[float] | Tensor,
    epochs: int,
    hidden_activation: ActivationName = "relu",
    output_activation: ActivationName = "identity",
    loss: GradientLossName = "bce_with_logits",
    optimizer: OptimizerName = "sgd",
    checkpoints: Sequence[int] = (),
    record_every: int = 1,
    device: str | torch.device = "cpu",
    progress: bool = False,
    threads: int | None = 1,
    kernel: Kernel = "auto",
) -> ManyRunsResult:
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
        Increasing epochs (1 to ``epochs``) at which to keep an :class:`EpochState`.
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
        operation over all runs at a time (:mod:`annlab.many_runs._math`), on any
        device; the reference the fused kernel is tested against (1e-5).
        ``"auto"`` (default): fused on the CPU when numba is installed, torch
        otherwise. Both give the same results up to float32 rounding; the fused
        kernel is several times faster on the notes' experiments
        (``benchmarks/RESULTS.md``). Its first call in a fresh environment
        compiles it (10-30 s, then cached on disk: see
        :mod:`annlab.many_runs._numba_kernel`). On a CPU with AVX-512 it asks numba
        for 512-bit vectors (LLVM's tuning for many Intel CPUs keeps to 256), for the
        whole process and only if you set no target yourself (``NUMBA_CPU_NAME`` or
        ``NUMBA_CPU_FEATURES``).

    Returns
    -------
    ManyRunsResult

    Raises
    ------
    TypeError, ValueError
        For a bad argument, named in the message. A run whose loss becomes NaN
        or inf raises nothing: it is flagged in ``diverged`` and frozen.
    ImportError
        For ``kernel="fused"`` without numba (``"auto"`` falls back to torch).

    Examples
    --------
    >>> x = torch.linspace(-1, 1, 20).reshape(-1, 1)
    >>> result = train_many([1, 1], x, 3 * x, seeds=[0, 1, 2], loss="mse",
    ...                        learning_rates=[0.01, 0.1, 0.5], epochs=50)
    >>> result.runs, tuple(result.loss_history.shape)
    (3, (3, 50))
    >>> bool(result.final_loss[2] < result.final_loss[1] < result.final_loss[0])
    True

    The two kernels agree to float32 rounding:

    >>> reference = train_many([1, 1], x, 3 * x, seeds=[0, 1, 2], loss="mse",
    ...                           learning_rates=[0.01, 0.1, 0.5], epochs=50, kernel="torch")
    >>> torch.allclose(result.loss_history, reference.loss_history, atol=1e-5)
    True
    """
    spec = run_spec(
        sizes,
        x,
        y,
        seeds=seeds,
        learning_rates=learning_rates,
        epochs=epochs,
        hidden_activation=hidden_activation,
        output_activation=output_activation,
        loss=loss,
        optimizer=optimizer,
        checkpoints=checkpoints,
        record_every=record_every,
        device=device,
        progress=progress,
        kernel=kernel,
    )
    with _cpu_threads(threads):
        return _train(spec)


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


def _train(spec: RunSpec) -> ManyRunsResult:
    """Train a checked spec's runs on its path and gather the result."""
    weights, biases = initial_parameters(spec.sizes, spec.seeds)
    train = train_fused if spec.path == "fused" else train_torch
    trained = train(spec, weights, biases)
    states = {epoch: _epoch_state(epoch, state, spec) for epoch, state in trained.states.items()}
    return ManyRunsResult(
        sizes=spec.sizes,
        hidden_activation=spec.hidden_activation,
        output_activation=spec.output_activation,
        seeds=spec.seeds,
        learning_rates=spec.learning_rates,
        loss_history=trained.history,
        recorded_epochs=torch.arange(0, spec.epochs, spec.record_every),
        diverged=trained.diverged,
        weights=tuple(trained.weights),
        biases=tuple(trained.biases),
        start=states[0],
        end=states[spec.epochs],
        checkpoints={epoch: states[epoch] for epoch in spec.checkpoints},
    )


def _epoch_state(epoch: int, state: RawState, spec: RunSpec) -> EpochState:
    """An :class:`EpochState` from what a path left (last layer's output (R, k, n))."""
    value, out, fractions = state
    out = out.cpu()
    accuracy = None
    if spec.loss == "bce_with_logits":
        accuracy = ((torch.sigmoid(out) > 0.5) == (spec.y > 0.5)).float().mean((1, 2)).cpu()
    return EpochState(
        epoch,
        value.cpu(),
        out.transpose(1, 2).cpu().contiguous(),
        accuracy,
        tuple(f.cpu() for f in fractions),
    )


Snapshot = EpochState  # its former name, kept so that code written against it still runs
