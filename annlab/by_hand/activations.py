"""Activation functions and their derivatives, written out by hand.

Each activation takes the weighted sum ``z`` of a neuron and returns its output;
each derivative returns d(output)/dz at ``z``. The derivatives are what
backpropagation multiplies along the chain rule (see the backpropagation page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, get_args

import torch

from annlab._checks import check_choice, check_tensor

Activation = Callable[[torch.Tensor], torch.Tensor]

ActivationName = Literal["sigmoid", "tanh", "relu", "identity"]
"""The activations annlab knows, by name: the one list of them.

Everything else that takes an activation's name (:func:`annlab.models.mlp`, the
many-run trainer and its two kernels, :func:`annlab.plots.curves.plot_activations`)
keys its own table by these names, and ``tests/library/test_names.py`` checks that every
such table covers them all.
"""

ACTIVATION_NAMES: tuple[ActivationName, ...] = get_args(ActivationName)


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """Squash any number into (0, 1): 1 / (1 + e^(-z)).

    Parameters
    ----------
    z : torch.Tensor
        Weighted sums, any shape.

    Returns
    -------
    torch.Tensor
        Values strictly between 0 and 1 (rounded to 0 or 1 only when float32
        runs out of digits, for ``|z|`` above about 17), same shape as ``z``.

    Examples
    --------
    >>> sigmoid(torch.tensor([0.0, 2.0]))
    tensor([0.5000, 0.8808])
    """
    z = check_tensor(z, "z", finite=False)
    return torch.sigmoid(z)


def sigmoid_derivative(z: torch.Tensor) -> torch.Tensor:
    """Slope of the sigmoid: σ(z)·(1 − σ(z)), at most 1/4 (at z = 0).

    Examples
    --------
    >>> sigmoid_derivative(torch.tensor([0.0, 10.0]))
    tensor([2.5000e-01, 4.5396e-05])
    """
    # Validate first: −z on a list (which check_tensor accepts) is a Python TypeError.
    z = check_tensor(z, "z", finite=False)
    # σ(z)·σ(−z) equals σ(z)·(1 − σ(z)) but keeps its digits when σ(z) is close to 1.
    return sigmoid(z) * sigmoid(-z)


def tanh(z: torch.Tensor) -> torch.Tensor:
    """Squash any number into (−1, 1): (e^z − e^(−z)) / (e^z + e^(−z)).

    Examples
    --------
    >>> tanh(torch.tensor([0.0, 1.0]))
    tensor([0.0000, 0.7616])
    """
    z = check_tensor(z, "z", finite=False)
    return torch.tanh(z)


def tanh_derivative(z: torch.Tensor) -> torch.Tensor:
    """Slope of tanh: 1 − tanh(z)², at most 1 (at z = 0).

    Examples
    --------
    >>> tanh_derivative(torch.tensor([0.0]))
    tensor([1.])
    """
    return 1 - tanh(z) ** 2


def relu(z: torch.Tensor) -> torch.Tensor:
    """Keep positive numbers, replace negative ones by 0: max(0, z).

    Examples
    --------
    >>> relu(torch.tensor([-2.0, 0.0, 3.0]))
    tensor([0., 0., 3.])
    """
    z = check_tensor(z, "z", finite=False)
    return torch.clamp(z, min=0)


def relu_derivative(z: torch.Tensor) -> torch.Tensor:
    """Slope of ReLU: 1 where z > 0, else 0 (0 at z = 0, as PyTorch's autograd does).

    Examples
    --------
    >>> relu_derivative(torch.tensor([-1.0, 0.0, 2.0]))
    tensor([0., 0., 1.])
    """
    z = check_tensor(z, "z", finite=False)
    return (z > 0).to(z.dtype)


def identity(z: torch.Tensor) -> torch.Tensor:
    """Return ``z`` unchanged: the "no activation" of a linear unit.

    Examples
    --------
    >>> identity(torch.tensor([-1.5, 2.0]))
    tensor([-1.5000,  2.0000])
    """
    return check_tensor(z, "z", finite=False)


def identity_derivative(z: torch.Tensor) -> torch.Tensor:
    """Slope of the identity: 1 everywhere.

    Examples
    --------
    >>> identity_derivative(torch.tensor([-3.0, 5.0]))
    tensor([1., 1.])
    """
    return torch.ones_like(check_tensor(z, "z", finite=False))


ACTIVATIONS: dict[ActivationName, tuple[Activation, Activation]] = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "identity": (identity, identity_derivative),
}
"""Every activation by name, with its derivative: ``name -> (function, derivative)``."""


def get_activation(name: ActivationName) -> tuple[Activation, Activation]:
    """Look up an activation and its derivative by name.

    Parameters
    ----------
    name : {"sigmoid", "tanh", "relu", "identity"}

    Returns
    -------
    (function, derivative)

    Raises
    ------
    ValueError
        For an unknown name.

    Examples
    --------
    >>> function, derivative = get_activation("tanh")
    >>> float(derivative(torch.tensor(0.0)))
    1.0
    >>> get_activation("softmax")
    Traceback (most recent call last):
    ...
    ValueError: activation must be one of 'sigmoid', 'tanh', 'relu', 'identity'; got 'softmax'
    """
    return ACTIVATIONS[check_activation(name, "activation")]


def check_activation(value: object, name: str) -> ActivationName:
    """Check that ``value`` names an activation and return it (typed as one).

    Examples
    --------
    >>> check_activation("relu", "hidden_activation")
    'relu'
    >>> check_activation("softmax", "output_activation")
    Traceback (most recent call last):
    ...
    ValueError: output_activation must be one of 'sigmoid', 'tanh', 'relu', 'identity'; got ...
    """
    return check_choice(value, name, ACTIVATION_NAMES)
