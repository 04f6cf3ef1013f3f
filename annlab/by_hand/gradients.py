"""Gradients written out by hand with the chain rule, to check against autograd.

Gradient descent moves every parameter a small step against its gradient,
w ← w − η ∂C/∂w. The functions here compute ∂C/∂w without autograd, naming every
intermediate quantity of the chain rule, so each line can be read against the
backpropagation page: for one neuron (:func:`sigmoid_bce_gradient`,
:func:`linear_mse_gradient`), and for a network of two layers, walked back one layer
at a time (:func:`two_layer_backward`); :func:`sgd_step` then moves each parameter
against its gradient. Costs are means over every entry, like PyTorch's
``reduction="mean"``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from annlab._checks import (
    check_bool,
    check_choice,
    check_positive_float,
    check_same_rows,
    check_tensor,
)
from annlab.by_hand.activations import (
    ActivationName,
    check_activation,
    get_activation,
    sigmoid,
)
from annlab.by_hand.losses import GRADIENT_LOSS_NAMES, GradientLossName, _mean_bce_from_logits
from annlab.by_hand.neuron import weighted_sum


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
    check_bool(half, "half")
    x, y, z = _neuron_inputs(x, y, weights, bias)
    dc_dz = (1.0 if half else 2.0) * (z - y) / x.shape[0]
    return NeuronGradient(weights=dc_dz @ x, bias=float(dc_dz.sum()))


@dataclass(frozen=True)
class TwoLayerGradients:
    """Gradients of a two-layer network, with the forward pass's values they came from.

    Attributes
    ----------
    w1, b1, w2, b2 : torch.Tensor
        ∂C/∂ of each parameter, same shapes as the parameters.
    z1, h, z2 : torch.Tensor
        The forward pass: pre-activations and activations of the hidden layer,
        shape (n, hidden), and outputs (logits for ``"bce_with_logits"``), (n, out).
    loss : float
        The cost at these parameters.
    """

    w1: torch.Tensor
    b1: torch.Tensor
    w2: torch.Tensor
    b2: torch.Tensor
    z1: torch.Tensor
    h: torch.Tensor
    z2: torch.Tensor
    loss: float


def _check_shape(value: object, name: str, shape: tuple[int, ...], why: str) -> torch.Tensor:
    tensor = check_tensor(value, name, min_rows=0)
    if tuple(tensor.shape) != shape:
        raise ValueError(f"{name} must have shape {shape} ({why}); got {tuple(tensor.shape)}")
    return tensor


def two_layer_backward(
    x: torch.Tensor,
    y: torch.Tensor,
    w1: torch.Tensor,
    b1: torch.Tensor,
    w2: torch.Tensor,
    b2: torch.Tensor,
    hidden_activation: ActivationName = "relu",
    loss: GradientLossName = "bce_with_logits",
) -> TwoLayerGradients:
    """Backpropagation through two layers by hand: the forward pass, then the chain rule.

    Forward: z1 = x w1ᵀ + b1, h = act(z1), z2 = h w2ᵀ + b2 (``nn.Linear``'s
    layout). Backward, with δ for ∂C/∂(pre-activation):

    - δ2 = ∂C/∂z2: (σ(z2) − y)/N for ``"bce_with_logits"``, 2(z2 − y)/N for ``"mse"``
      (N = number of entries of y);
    - ∂C/∂w2 = δ2ᵀ h, ∂C/∂b2 = Σ δ2 over rows;
    - δ1 = (δ2 w2) ⊙ act′(z1): the error sent back through w2, scaled by the slope;
    - ∂C/∂w1 = δ1ᵀ x, ∂C/∂b1 = Σ δ1 over rows.

    Parameters
    ----------
    x : torch.Tensor, shape (n, d)
    y : torch.Tensor, shape (n, out), or (n,) when out is 1
    w1 : torch.Tensor, shape (hidden, d)
    b1 : torch.Tensor, shape (hidden,)
    w2 : torch.Tensor, shape (out, hidden)
    b2 : torch.Tensor, shape (out,)
    hidden_activation : {"relu", "sigmoid", "tanh", "identity"}
    loss : {"bce_with_logits", "mse"}

    Returns
    -------
    TwoLayerGradients

    Examples
    --------
    >>> x, y = torch.tensor([[1.0, -1.0]]), torch.tensor([[3.0]])
    >>> w1, b1 = torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.zeros(2)
    >>> w2, b2 = torch.tensor([[2.0, 5.0]]), torch.zeros(1)
    >>> grads = two_layer_backward(x, y, w1, b1, w2, b2, loss="mse")
    >>> grads.h  # the second hidden ReLU is off, so it passes no gradient back
    tensor([[1., 0.]])
    >>> grads.w1[0]  # δ2 = 2(2 − 3) = −2, δ1 = −2·2 = −4 on the live unit, times x
    tensor([-4.,  4.])
    >>> bool(torch.all(grads.w1[1] == 0))  # nothing reaches the weights of the dead unit
    True
    """
    check_activation(hidden_activation, "hidden_activation")
    check_choice(loss, "loss", GRADIENT_LOSS_NAMES)
    x = check_tensor(x, "x", ndim=2)
    w1 = check_tensor(w1, "w1", ndim=2)
    hidden, d = w1.shape
    if d != x.shape[1]:
        raise ValueError(f"w1 must have one column per column of x ({x.shape[1]}); got {d}")
    b1 = _check_shape(b1, "b1", (hidden,), "one entry per row of w1")
    w2 = check_tensor(w2, "w2", ndim=2)
    out = w2.shape[0]
    w2 = _check_shape(w2, "w2", (out, hidden), "one column per row of w1")
    b2 = _check_shape(b2, "b2", (out,), "one entry per row of w2")
    y = check_tensor(y, "y", ndim=(1, 2))
    if y.ndim == 1 and out == 1:
        y = y.reshape(-1, 1)
    y = _check_shape(y, "y", (x.shape[0], out), "one row per row of x, one column per row of w2")
    if loss == "bce_with_logits" and bool(((y < 0) | (y > 1)).any()):
        raise ValueError("y must hold targets between 0 and 1 for loss='bce_with_logits'")
    dtype = functools.reduce(torch.promote_types, [t.dtype for t in (x, y, w1, b1, w2, b2)])
    x, y, w1, b1, w2, b2 = (t.detach().to(dtype) for t in (x, y, w1, b1, w2, b2))
    activation, derivative = get_activation(hidden_activation)

    z1 = x @ w1.T + b1
    h = activation(z1)
    z2 = h @ w2.T + b2
    if loss == "mse":
        cost = ((z2 - y) ** 2).mean()
        delta2 = 2 * (z2 - y) / y.numel()
    else:
        cost = _mean_bce_from_logits(z2, y)
        delta2 = (sigmoid(z2) - y) / y.numel()
    delta1 = (delta2 @ w2) * derivative(z1)
    return TwoLayerGradients(
        w1=delta1.T @ x,
        b1=delta1.sum(dim=0),
        w2=delta2.T @ h,
        b2=delta2.sum(dim=0),
        z1=z1,
        h=h,
        z2=z2,
        loss=float(cost),
    )


def sgd_step(
    parameters: Sequence[torch.Tensor], gradients: Sequence[torch.Tensor], learning_rate: float
) -> list[torch.Tensor]:
    """One step of gradient descent, w ← w − η ∂C/∂w, for each parameter (as new tensors).

    Parameters
    ----------
    parameters : sequence of torch.Tensor
    gradients : sequence of torch.Tensor
        One per parameter, of the same shape.
    learning_rate : float
        The step size η, above 0.

    Returns
    -------
    list of torch.Tensor
        The updated parameters; the inputs are left unchanged.

    Examples
    --------
    >>> sgd_step([torch.tensor([1.0, 2.0])], [torch.tensor([10.0, -10.0])], 0.1)
    [tensor([0., 3.])]
    """
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    for value, name in ((parameters, "parameters"), (gradients, "gradients")):
        if isinstance(value, (str, bytes, torch.Tensor)) or not isinstance(value, Sequence):
            raise TypeError(f"{name} must be a list of tensors; got {type(value).__name__}")
    if len(parameters) != len(gradients):
        lengths = f"{len(parameters)} and {len(gradients)}"
        raise ValueError(f"parameters and gradients must have the same length; got {lengths}")
    updated = []
    for i, (parameter, gradient) in enumerate(zip(parameters, gradients, strict=True)):
        parameter = check_tensor(parameter, f"parameters[{i}]", min_rows=0)
        shape = tuple(parameter.shape)
        gradient = _check_shape(gradient, f"gradients[{i}]", shape, f"that of parameters[{i}]")
        updated.append((parameter - learning_rate * gradient).detach())
    return updated
