"""The pure-torch path of :func:`annlab.many_runs.trainer.train_many`.

One PyTorch operation over all R runs at a time (:mod:`annlab.many_runs._math`), on
any device: the reference the fused CPU kernel (:mod:`annlab.many_runs._numba_kernel`)
is tested against, and what a CUDA device runs. It takes a checked
:class:`~annlab.many_runs._spec.RunSpec` and returns a
:class:`~annlab.many_runs._spec.PathResult`, as the fused path does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch

from annlab._progress import progress_bar
from annlab.many_runs._math import Adam, backward, forward, loss_and_delta
from annlab.many_runs._spec import PathResult, RawState, RunSpec

Tensor = torch.Tensor


def train_torch(spec: RunSpec, weights: list[Tensor], biases: list[Tensor]) -> PathResult:
    """Train ``spec``'s runs from these initial parameters, all runs per operation."""
    dev, runs, epochs, record_every = spec.device, spec.runs, spec.epochs, spec.record_every
    x, y = spec.x.to(dev), spec.y.to(dev)
    rates = spec.learning_rates.to(dev).view(runs, 1, 1)
    hidden_activation, output_activation = spec.hidden_activation, spec.output_activation
    loss, wanted = spec.loss, spec.state_epochs
    params = [w.to(dev) for w in weights] + [b.to(dev).unsqueeze(2) for b in biases]
    n_layers = len(weights)
    weights = params[:n_layers]
    names = [hidden_activation] * (n_layers - 1) + [output_activation]
    adam = Adam(params, rates) if spec.optimizer == "adam" else None
    neg_rates = (-rates).to(x.dtype)
    alive = torch.ones(runs, 1, 1, dtype=torch.bool, device=dev)
    history = torch.empty(math.ceil(epochs / record_every), runs, device=dev)
    states: dict[int, RawState] = {}
    scratch: dict[str, Tensor] = {}  # hidden layers' buffers, reused every epoch
    for epoch in _epochs(epochs, spec.progress):
        outputs = forward(weights, params[n_layers:], x, names, scratch)
        value, delta = loss_and_delta(outputs[-1], y, loss, output_activation)
        if epoch < epochs and epoch % record_every == 0:
            history[epoch // record_every] = value
        if epoch in wanted:
            fractions = (
                [(a > 0).float().mean(2) for a in outputs[:-1]]
                if hidden_activation == "relu"
                else []
            )
            states[epoch] = (value.clone(), outputs[-1].clone(), fractions)
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
    return PathResult(
        weights=[w.cpu() for w in weights],
        biases=[b.squeeze(2).cpu() for b in params[n_layers:]],
        diverged=~alive.view(runs).cpu(),
        history=history.T.cpu(),
        states=states,
    )


def _epochs(epochs: int, progress: bool) -> Iterable[int]:
    """Epochs 0 to ``epochs``: the last pass only measures the final parameters."""
    if not progress:
        return range(epochs + 1)
    bar: Iterable[int] = progress_bar(range(epochs + 1), desc="training runs", unit="epoch")
    return bar
