"""The pure-torch path of :func:`annlab.many_runs.trainer.train_many`, and its snapshots.

One PyTorch operation over all R runs at a time (:mod:`annlab.many_runs._math`), on
any device: the reference the fused CPU kernel (:mod:`annlab.many_runs._fused`) is tested
against, and what a CUDA device runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch

from annlab._progress import progress_bar
from annlab.many_runs._math import Adam, backward, forward, loss_and_delta

Tensor = torch.Tensor


# What one recorded epoch leaves: the loss per run, the last layer's output (R, k, n), and
# the active fraction of each hidden ReLU layer: copies, since the buffers are reused.
RawSnapshot = tuple[Tensor, Tensor, list[Tensor]]
TorchOutput = tuple[list[Tensor], list[Tensor], Tensor, Tensor, dict[int, RawSnapshot]]


def train_torch(
    x: Tensor,
    y: Tensor,
    rates: Tensor,
    weights: list[Tensor],
    biases: list[Tensor],
    hidden_activation: str,
    output_activation: str,
    loss: str,
    optimizer: str,
    epochs: int,
    record_every: int,
    wanted: tuple[int, ...],
    progress: bool,
) -> TorchOutput:
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
    snapshots: dict[int, RawSnapshot] = {}
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
            snapshots[epoch] = (value.clone(), outputs[-1].clone(), fractions)
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
    bar: Iterable[int] = progress_bar(range(epochs + 1), desc="training runs", unit="epoch")
    return bar
