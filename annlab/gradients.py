"""Gradients written out by hand with the chain rule, to check against autograd.

Gradient descent moves every parameter a small step against its gradient,
w ← w − η ∂C/∂w. The functions here compute ∂C/∂w for one neuron and for a
network of two layers (that one, and the gradient-descent step, in
:mod:`annlab.backprop`) without autograd, naming every intermediate quantity of the
chain rule, so each line can be read against the backpropagation page.
Costs are means over every entry, like PyTorch's ``reduction="mean"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from annlab.activations import sigmoid
from annlab.neuron import weighted_sum
from annlab.validation import check_same_rows, check_tensor


@dataclass(frozen=True)
class NeuronGradient:
    """The gradient of the cost for one neuron: ``weights`` ∂C/∂wᵢ, shape (d,); ``bias`` ∂C/∂b."""

    weights: torch.Tensor
    bias: float


def _neuron_inputs(
    x: torch.Tensor, y: torch.Tensor, weights: torch.Tensor, bias: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Validate one neuron's inputs; return x, y as (n,) in x's dtype, and z = b + x·w."""
    z = weighted_sum(x, weights, bias)
    x = check_tensor(x, "x", ndim=2)
    y = check_tensor(y, "y", ndim=(1, 2))
    check_same_rows(x, "x", y, "y")
    if y.ndim == 2 and y.shape[1] != 1:
        raise ValueError(f"y must have shape (n,) or (n, 1); got shape {tuple(y.shape)}")
    return x, y.reshape(-1).to(z.dtype), z


def sigmoid_bce_gradient(
    x: torch.Tensor, y: torch.Tensor, weights: torch.Tensor, bias: float
) -> NeuronGradient:
    """Gradient of binary cross-entropy for one sigmoid neuron: (1/n) Σ (ŷ − y)·x.

    For ŷ = σ(z) with z = b + x·w, the chain rule gives ∂C/∂z = ŷ − y for each
    observation (the sigmoid's slope cancels against the log of the loss), then
    ∂z/∂w = x and ∂z/∂b = 1.

    Parameters
    ----------
    x : torch.Tensor, shape (n, d)
    y : torch.Tensor, shape (n,) or (n, 1)
        Targets, each in [0, 1].
    weights : torch.Tensor, shape (d,)
    bias : float

    Returns
    -------
    NeuronGradient

    Examples
    --------
    >>> x, y = torch.tensor([[1.0, 2.0], [3.0, -1.0]]), torch.tensor([1.0, 0.0])
    >>> gradient = sigmoid_bce_gradient(x, y, torch.zeros(2), 0.0)
    >>> gradient.weights  # ŷ = ½ everywhere: ((½ − 1)·x₁ + (½ − 0)·x₂) / 2
    tensor([ 0.5000, -0.7500])
    >>> gradient.bias
    0.0
    """
    x, y, z = _neuron_inputs(x, y, weights, bias)
    if bool(((y < 0) | (y > 1)).any()):
        raise ValueError("y must hold targets between 0 and 1")
    dc_dz = (sigmoid(z) - y) / x.shape[0]
    return NeuronGradient(weights=dc_dz @ x, bias=float(dc_dz.sum()))


def linear_mse_gradient(
    x: torch.Tensor, y: torch.Tensor, weights: torch.Tensor, bias: float, *, half: bool = False
) -> NeuronGradient:
    """Gradient of mean squared error for one linear unit: (2/n) Σ (ŷ − y)·x.

    For ŷ = b + x·w and C = mean((ŷ − y)²), ∂C/∂ŷ = 2(ŷ − y)/n. With the
    lectures' ½ in front of the cost (``half=True``) the 2 cancels: the
    gradient is half of PyTorch's ``MSELoss`` gradient.

    Parameters
    ----------
    x, y, weights, bias
        As for :func:`sigmoid_bce_gradient`, but y may be any finite numbers.
    half : bool
        Use the cost ½·mean((ŷ − y)²).

    Returns
    -------
    NeuronGradient

    Examples
    --------
    >>> x, y = torch.tensor([[1.0], [2.0]]), torch.tensor([0.0, 0.0])
    >>> linear_mse_gradient(x, y, torch.tensor([1.0]), 0.0).weights  # (2/2)(1·1 + 2·2)
    tensor([5.])
    >>> linear_mse_gradient(x, y, torch.tensor([1.0]), 0.0, half=True).weights
    tensor([2.5000])
    """
    if not isinstance(half, bool):
        raise TypeError(f"half must be True or False; got {half!r}")
    x, y, z = _neuron_inputs(x, y, weights, bias)
    dc_dz = (1.0 if half else 2.0) * (z - y) / x.shape[0]
    return NeuronGradient(weights=dc_dz @ x, bias=float(dc_dz.sum()))
