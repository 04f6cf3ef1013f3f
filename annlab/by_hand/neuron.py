"""The forward pass of one neuron, by hand: y = σ(b + Σᵢ xᵢ wᵢ).

Written two ways, which the forward-pass page shows are the same: with the bias
kept apart, and with the bias absorbed as weight w₀ of a constant input x₀ = 1.
"""

from __future__ import annotations

from numbers import Real

import torch

from annlab._checks import check_tensor
from annlab.by_hand.activations import ActivationName, get_activation


def add_bias_input(x: torch.Tensor) -> torch.Tensor:
    """Prepend the constant input x₀ = 1 to every row: x̃ = [1, x₁, …, x_d].

    Parameters
    ----------
    x : torch.Tensor, shape (n, d)
        n observations of d features.

    Returns
    -------
    torch.Tensor, shape (n, d + 1)

    Examples
    --------
    >>> add_bias_input(torch.tensor([[2.0, 3.0]]))
    tensor([[1., 2., 3.]])
    """
    x = check_tensor(x, "x", ndim=2)
    return torch.cat([torch.ones(x.shape[0], 1, dtype=x.dtype), x], dim=1)


def _check_weights(x: torch.Tensor, weights: torch.Tensor, name: str) -> torch.Tensor:
    weights = check_tensor(weights, name, ndim=1)
    if weights.shape[0] != x.shape[1]:
        raise ValueError(
            f"{name} must have one entry per column of x ({x.shape[1]}); "
            f"got {weights.shape[0]} entries"
        )
    return weights.to(x.dtype)


def weighted_sum(
    x: torch.Tensor, weights: torch.Tensor, bias: float | torch.Tensor = 0.0
) -> torch.Tensor:
    """The neuron's pre-activation z = b + Σᵢ xᵢ wᵢ, for every row of ``x``.

    Parameters
    ----------
    x : torch.Tensor, shape (n, d)
    weights : torch.Tensor, shape (d,)
    bias : float or 0-d tensor

    Returns
    -------
    torch.Tensor, shape (n,)

    Examples
    --------
    >>> weighted_sum(torch.tensor([[1.0, 1.0]]), torch.tensor([-2.0, 1.0]), bias=1.0)
    tensor([0.])
    """
    x = check_tensor(x, "x", ndim=2)
    weights = _check_weights(x, weights, "weights")
    # Keep the bias a tensor in x's dtype: float() would round a float64 bias to float32
    # precision and cut a bias that requires grad off from autograd.
    if isinstance(bias, Real) and not isinstance(bias, bool):
        bias = torch.tensor(float(bias), dtype=x.dtype)
    bias_tensor = check_tensor(bias, "bias", ndim=0).to(x.dtype)
    return bias_tensor + x @ weights


def neuron_forward(
    x: torch.Tensor,
    weights: torch.Tensor,
    bias: float | torch.Tensor = 0.0,
    activation: ActivationName = "sigmoid",
) -> torch.Tensor:
    """One neuron's output y = σ(b + Σᵢ xᵢ wᵢ), with the bias kept apart.

    Parameters
    ----------
    x : torch.Tensor, shape (n, d)
        n observations of d features.
    weights : torch.Tensor, shape (d,)
    bias : float or 0-d tensor
    activation : {"sigmoid", "tanh", "relu", "identity"}

    Returns
    -------
    torch.Tensor, shape (n,)

    Examples
    --------
    >>> x = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    >>> neuron_forward(x, torch.tensor([-2.0, 1.0]), bias=1.0)
    tensor([0.7311, 0.5000])
    """
    function, _ = get_activation(activation)
    return function(weighted_sum(x, weights, bias))


def neuron_forward_augmented(
    x: torch.Tensor, augmented_weights: torch.Tensor, activation: ActivationName = "sigmoid"
) -> torch.Tensor:
    """One neuron's output y = σ(x̃ᵀw̃), the bias absorbed as w̃₀ of the input x₀ = 1.

    Parameters
    ----------
    x : torch.Tensor, shape (n, d)
        The features, without the constant column (it is added here).
    augmented_weights : torch.Tensor, shape (d + 1,)
        ``[bias, w₁, …, w_d]``.
    activation : {"sigmoid", "tanh", "relu", "identity"}

    Returns
    -------
    torch.Tensor, shape (n,)

    Examples
    --------
    >>> x = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    >>> neuron_forward_augmented(x, torch.tensor([1.0, -2.0, 1.0]))
    tensor([0.7311, 0.5000])
    """
    x_tilde = add_bias_input(x)
    augmented_weights = _check_weights(x_tilde, augmented_weights, "augmented_weights")
    function, _ = get_activation(activation)
    return function(x_tilde @ augmented_weights)
