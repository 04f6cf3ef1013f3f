"""What the batched trainer returns: per-run losses, snapshots and final parameters.

:func:`annlab.batched.train_batched` trains R networks at once; this module
holds the records it fills (:class:`Snapshot`, :class:`BatchedResult`) and the
one step it shares with :func:`annlab.models.mlp`: drawing each run's initial
weights from that run's seed in the same order, so run r starts exactly where
``mlp(sizes, seed=seeds[r])`` starts.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from annlab.models import mlp
from annlab.validation import as_generator


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
    runs = len(seeds)
    pairs = list(itertools.pairwise(sizes))
    weights = [torch.empty(runs, n_out, n_in) for n_in, n_out in pairs]
    biases = [torch.empty(runs, n_out) for _, n_out in pairs]
    for run, seed in enumerate(seeds):
        generator = as_generator(seed)
        for layer, (n_in, _) in enumerate(pairs):
            bound = 1 / math.sqrt(n_in)
            weights[layer][run].uniform_(-bound, bound, generator=generator)
            biases[layer][run].uniform_(-bound, bound, generator=generator)
    return weights, biases


@dataclass(frozen=True)
class Snapshot:
    """The state of every run at one epoch (after that many updates).

    Attributes
    ----------
    epoch : int
        Number of updates made before this snapshot (0 is the start).
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
class BatchedResult:
    """R runs trained together: their losses, snapshots and final parameters.

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
    start, end : Snapshot
        Before the first update and after the last.
    checkpoints : dict of int to Snapshot
        The snapshots asked for with ``checkpoints=``.
    """

    sizes: tuple[int, ...]
    hidden_activation: str
    output_activation: str
    seeds: tuple[int, ...]
    learning_rates: torch.Tensor
    loss_history: torch.Tensor
    recorded_epochs: torch.Tensor
    diverged: torch.Tensor
    weights: tuple[torch.Tensor, ...]
    biases: tuple[torch.Tensor, ...]
    start: Snapshot
    end: Snapshot
    checkpoints: dict[int, Snapshot]

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
        >>> from annlab.batched import train_batched
        >>> x = torch.linspace(-1, 1, 8).reshape(-1, 1)
        >>> result = train_batched([1, 1], x, 2 * x, seeds=[0, 1], learning_rates=0.1,
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
