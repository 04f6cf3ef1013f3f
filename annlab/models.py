"""Small networks from the lectures, as ordinary ``torch.nn.Sequential`` models.

Every builder takes a ``seed`` and draws the initial weights from it, so the
same seed always gives the same network. The draw is PyTorch's own default for
``nn.Linear`` (weights and biases uniform in ±1/√fan_in), taken layer by layer,
weight before bias, from one generator: :mod:`annlab.many_runs.trainer` follows the same
order, so each of the runs it trains together starts exactly where a single run with its
seed starts.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import torch
from torch import nn

from annlab._checks import check_bool, check_positive_int, check_sizes
from annlab.by_hand.activations import ActivationName, check_activation
from annlab.seeding import as_generator

# The torch module of each activation; "identity" adds no layer (None).
_MODULES: dict[ActivationName, type[nn.Module] | None] = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "identity": None,
}


def init_linear_(layer: nn.Linear, generator: torch.Generator) -> nn.Linear:
    """Fill a linear layer with PyTorch's default initial values, drawn from ``generator``.

    Weights, then biases, uniform in [−1/√fan_in, 1/√fan_in]: the same
    distribution ``nn.Linear`` uses, but from a generator instead of global state.

    Examples
    --------
    >>> layer = init_linear_(nn.Linear(4, 2), torch.Generator().manual_seed(0))
    >>> bool(layer.weight.abs().max() <= 0.5)
    True
    """
    if not isinstance(layer, nn.Linear):
        raise TypeError(f"layer must be a torch.nn.Linear; got {type(layer).__name__}")
    if not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator; got {type(generator).__name__}")
    bound = 1 / math.sqrt(layer.in_features)
    with torch.no_grad():
        layer.weight.uniform_(-bound, bound, generator=generator)
        if layer.bias is not None:
            layer.bias.uniform_(-bound, bound, generator=generator)
    return layer


def mlp(
    sizes: Sequence[int],
    hidden_activation: ActivationName = "relu",
    output_activation: ActivationName = "identity",
    *,
    bias: bool = True,
    seed: int | torch.Generator | None = 0,
) -> nn.Sequential:
    """Build a fully connected network from its layer sizes, e.g. ``[2, 16, 1]``.

    Parameters
    ----------
    sizes : sequence of int
        Input size, hidden sizes, output size (at least two numbers).
    hidden_activation : {"relu", "sigmoid", "tanh", "identity"}
        After every layer but the last.
    output_activation : {"identity", "sigmoid", "relu", "tanh"}
        After the last layer. Keep ``"identity"`` (raw logits) when training
        with a loss "from logits"; ``"sigmoid"`` gives probabilities.
    bias : bool
        Give every layer a bias.
    seed : int, torch.Generator or None
        Seeds the initial weights.

    Returns
    -------
    torch.nn.Sequential

    Examples
    --------
    >>> model = mlp([2, 16, 1, 1])
    >>> model
    Sequential(
      (0): Linear(in_features=2, out_features=16, bias=True)
      (1): ReLU()
      (2): Linear(in_features=16, out_features=1, bias=True)
      (3): ReLU()
      (4): Linear(in_features=1, out_features=1, bias=True)
    )
    >>> sum(p.numel() for p in model.parameters())
    67
    >>> bool(torch.equal(mlp([2, 1], seed=3)[0].weight, mlp([2, 1], seed=3)[0].weight))
    True
    """
    sizes = check_sizes(sizes)
    check_activation(hidden_activation, "hidden_activation")
    check_activation(output_activation, "output_activation")
    check_bool(bias, "bias")
    generator = as_generator(seed)
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(init_linear_(nn.Linear(n_in, n_out, bias=bias), generator))
        module = _MODULES[output_activation if i == len(sizes) - 2 else hidden_activation]
        if module is not None:
            layers.append(module())
    return nn.Sequential(*layers)


def perceptron(n_inputs: int = 2, *, bias: bool = True, seed: int | None = 0) -> nn.Sequential:
    """One linear unit, the perceptron: ``n_inputs -> 1``, optionally without bias.

    Its output is a logit; its decision boundary is the line where it is 0.

    Examples
    --------
    >>> perceptron(2, bias=False)
    Sequential(
      (0): Linear(in_features=2, out_features=1, bias=False)
    )
    """
    return mlp([check_positive_int(n_inputs, "n_inputs"), 1], bias=bias, seed=seed)


def regression_unit(seed: int | None = 0) -> nn.Sequential:
    """The regression lecture's model: one linear unit from x to y (1 → 1).

    Examples
    --------
    >>> sum(p.numel() for p in regression_unit().parameters())
    2
    """
    return mlp([1, 1], seed=seed)


def one_relu_unit(n_inputs: int = 1, *, seed: int | None = 0) -> nn.Sequential:
    """The slope and qwerty lectures' model: ``n_inputs -> 1 -> 1`` with one hidden ReLU.

    With ``n_inputs=1`` this is the 1-1-1 regression net; with 2 the 2-1-1
    classifier (its output is a logit: pair it with a loss from logits).

    Examples
    --------
    >>> sum(p.numel() for p in one_relu_unit(2).parameters())
    5
    """
    return mlp([check_positive_int(n_inputs, "n_inputs"), 1, 1], seed=seed)
