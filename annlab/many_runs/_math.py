"""Backpropagation for R networks at once, written out by hand.

The forward pass, the loss and its gradient, the backward pass and Adam's
update of :func:`annlab.many_runs.trainer.train_many`. Tensors are feature-major,
(R, units, n): run, unit, training point. Each run's gradient is its own: the
runs share operations, never numbers.

Each product picks its kernel by the layer's shape. A batched matrix product
(``bmm``/``baddbmm``) pays a fixed cost per run's matrix, which dominates when the
matrices are 1x1, 1x2 or 1x16: the notes' networks (1-1-1, 2-1-1, 2-16-1-1). A
size-1 inner dimension is an outer product, i.e. a broadcast multiply, and a layer
whose input is shared by all runs is one ordinary matrix product. Times below are
best of 20-40, one thread, R = 1000 runs, n = 200 points (n = 50 in brackets), on the
2-core machine of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F

from annlab.by_hand.activations import ActivationName
from annlab.by_hand.losses import GradientLossName

_BETAS = (0.9, 0.999)  # torch.optim.Adam's defaults
_EPS = 1e-8
Tensor = torch.Tensor


def _relu_times_slope(delta: Tensor, a: Tensor) -> Tensor:
    """ReLU: ``threshold_backward`` (autograd's own ReLU backward) keeps delta where
    a > 0 and writes 0 elsewhere in one pass, in place: 0.7-1.0 ms on (R, 16, n)
    against 1.6 ms for ``sign(a)`` into a buffer then a multiply, and 5.1 ms for
    ``mul_(a > 0)`` (53 against 75 us for sign and multiply on (R, 1, n)).
    """
    # In place: the out= variant may write over its input.
    result: Tensor = torch.ops.aten.threshold_backward.grad_input(delta, a, 0, grad_input=delta)
    return result


# Each activation in place, and its derivative written with its output ``a``.
_ACTIVATE: dict[ActivationName, Callable[[Tensor], Tensor]] = {
    "sigmoid": Tensor.sigmoid_,
    "tanh": Tensor.tanh_,
    "relu": Tensor.relu_,
    "identity": lambda z: z,
}
_TIMES_SLOPE: dict[ActivationName, Callable[[Tensor, Tensor], Tensor]] = {
    "sigmoid": lambda delta, a: delta.mul_(a * (1 - a)),
    "tanh": lambda delta, a: delta.mul_(1 - a * a),
    "relu": _relu_times_slope,
    "identity": lambda delta, a: delta,
}


def activate_(z: Tensor, name: ActivationName) -> Tensor:
    """The activation ``name`` of ``z``, in place."""
    return _ACTIVATE[name](z)


def times_slope(delta: Tensor, a: Tensor, name: ActivationName) -> Tensor:
    """``delta`` times the activation's derivative, written with its output ``a``, in place."""
    return _TIMES_SLOPE[name](delta, a)


def _buffer(
    scratch: dict[str, Tensor] | None, key: str, shape: torch.Size, like: Tensor
) -> Tensor | None:
    """A tensor of ``shape`` kept in ``scratch`` from one epoch to the next (None: no reuse).

    Hidden layers' outputs and deltas are rewritten in place every epoch: a fresh
    (1000, 16, 200) tensor per epoch is 12.8 MB that the allocator hands back to the
    system and faults in again (3400 page faults and 9 ms of system time per 2-16-1-1
    epoch before, 400 and 1.9 ms after, measured with getrusage). The 2->16 addmm
    alone: 0.75 ms into a reused buffer, 2.0 ms into a fresh one.
    """
    if scratch is None:
        return None
    buffer = scratch.get(key)
    if buffer is None or buffer.shape != shape or buffer.dtype != like.dtype:
        buffer = scratch[key] = torch.empty(shape, dtype=like.dtype, device=like.device)
    return buffer


def _layer(w: Tensor, b: Tensor, a: Tensor, out: Tensor | None) -> Tensor:
    """z = W a + b for every run: W (R, out, in), b (R, out, 1), a (d, n) or (R, in, n)."""
    runs, units, inputs = w.shape
    if a.ndim == 2:
        # Inputs shared by all runs: one (R*out, in) x (in, n) matrix product.
        # 2->1: 80 us against 112 us for baddbmm on the expanded inputs; 2->16:
        # 3.0 ms against 3.3 ms.
        flat = None if out is None else out.view(runs * units, -1)
        z = torch.addmm(b.view(runs * units, 1), w.view(runs * units, inputs), a, out=flat)
        return z.view(runs, units, -1)
    if inputs == 1:
        # An outer product: broadcast (R, out, 1) * (R, 1, n), then add the bias in
        # place. 1->1: 52 (28) us against 786 (397) us for baddbmm; addcmul, which
        # broadcasts three operands, took 129 (62) us.
        return torch.mul(w, a, out=out).add_(b)
    # Wider inputs (16->1): baddbmm wins, 1.5 ms against 1.65 ms for einsum and
    # 3.1 ms for a broadcast multiply and sum over the 16 inputs.
    return torch.baddbmm(b, w, a, out=out)


def forward(
    weights: list[Tensor],
    biases: list[Tensor],
    x: Tensor,
    names: list[ActivationName],
    scratch: dict[str, Tensor] | None = None,
) -> list[Tensor]:
    """Every layer's output, feature-major: (R, units, n). ``x`` is (d, n) or (R, d, n).

    With ``scratch``, hidden layers' outputs overwrite the previous call's; the last
    layer's is always new (snapshots keep it).
    """
    outputs = []
    a = x
    for layer, (w, b, name) in enumerate(zip(weights, biases, names, strict=True)):
        shape = torch.Size((w.shape[0], w.shape[1], x.shape[-1]))
        last = layer == len(weights) - 1
        out = None if last else _buffer(scratch, f"z{layer}", shape, w)
        a = activate_(_layer(w, b, a, out), name)
        outputs.append(a)
    return outputs


def loss_and_delta(
    out: Tensor, y: Tensor, loss: GradientLossName, output_activation: ActivationName
) -> tuple[Tensor, Tensor]:
    """Each run's mean loss (R,) and d(loss)/d(output before activation), (R, k, n)."""
    count = out.shape[1] * out.shape[2]
    if loss == "mse":
        diff = out - y
        value = diff.square().mean((1, 2))
        delta = diff.mul_(2 / count)
    else:
        value = F.binary_cross_entropy_with_logits(out, y.expand_as(out), reduction="none")
        value = value.mean((1, 2))
        delta = torch.sigmoid(out).sub_(y).mul_(1 / count)
    return value, times_slope(delta, out, output_activation)


def _weight_grad(delta: Tensor, below: Tensor) -> Tensor:
    """d(loss)/dW, (R, out, in): delta (R, out, n) times the layer's input, transposed."""
    runs, out, n = delta.shape
    if below.ndim == 2:
        # Shared inputs (d, n): one (R*out, n) x (n, d) matrix product. 2-16-1-1's
        # first layer: 1.5 ms against 3.7-5.0 ms for one matrix-vector product per
        # input; 2-1-1's: 60-104 us against 70-88 us (a tie).
        return torch.mm(delta.view(runs * out, n), below.T).view(runs, out, len(below))
    if below.shape[1] == 1:
        # One input: a dot product over the points, broadcast over out. 1x1:
        # 59 (33) us against 174 (59) us for bmm.
        return (delta * below).sum(2, keepdim=True)
    # Wider inputs (16->1): bmm wins, 0.86 ms against 1.4 ms for einsum and 2.1 ms
    # for a broadcast multiply and sum.
    return torch.bmm(below, delta.transpose(1, 2)).transpose(1, 2)


def _delta_below(w: Tensor, delta: Tensor, out: Tensor | None) -> Tensor:
    """W^T delta: (R, in, out) times (R, out, n)."""
    if w.shape[1] == 1:
        # One output: an outer product, broadcast (R, in, 1) * (R, 1, n). 1x1:
        # 28 us against 800 us for bmm; 1->16: 1.4-1.7 ms against 2.6 ms.
        return torch.mul(w.transpose(1, 2), delta, out=out)
    return torch.bmm(w.transpose(1, 2), delta, out=out)


def backward(
    weights: list[Tensor],
    outputs: list[Tensor],
    x: Tensor,
    delta: Tensor,
    hidden: ActivationName,
    scratch: dict[str, Tensor] | None = None,
) -> list[Tensor]:
    """Backpropagation: the gradients of weights then biases, layer by layer.

    With ``scratch``, hidden layers' deltas overwrite the previous call's.
    """
    weight_grads, bias_grads = [], []
    for layer in reversed(range(len(weights))):
        below = outputs[layer - 1] if layer else x
        weight_grads.append(_weight_grad(delta, below))
        bias_grads.append(delta.sum(2, keepdim=True))
        if layer:
            out = _buffer(scratch, f"delta{layer - 1}", below.shape, delta)
            delta = times_slope(_delta_below(weights[layer], delta, out), below, hidden)
    return weight_grads[::-1] + bias_grads[::-1]


class Adam:
    """torch.optim.Adam's update (default betas, eps=1e-8, bias corrections), per run."""

    def __init__(self, params: list[Tensor], learning_rates: Tensor) -> None:
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]
        self.learning_rates = learning_rates  # float64, (R, 1, 1)
        self.step = 0

    def updates(self, grads: list[Tensor], alive: Tensor) -> list[Tensor]:
        beta1, beta2 = _BETAS
        self.step += 1
        step_size = (self.learning_rates / (1 - beta1**self.step)).to(grads[0].dtype)
        step_size = step_size * alive
        root_correction = math.sqrt(1 - beta2**self.step)
        result = []
        for g, m, v in zip(grads, self.m, self.v, strict=True):
            m.lerp_(g, 1 - beta1)
            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            denominator = v.sqrt().div_(root_correction).add_(_EPS)
            result.append(m.div(denominator).mul_(-step_size))
        return result
