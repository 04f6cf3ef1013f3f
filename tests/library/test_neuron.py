"""The neuron's forward pass: both forms agree, and the bias keeps its precision and gradient."""

from __future__ import annotations

import torch
from torch import nn

from annlab.by_hand.neuron import neuron_forward, neuron_forward_augmented, weighted_sum


def test_both_forms_equal_nn_linear() -> None:
    x = torch.randn(20, 3, generator=torch.Generator().manual_seed(0))
    layer = nn.Linear(3, 1)
    expected = torch.sigmoid(layer(x)).squeeze(1).detach()
    weights, bias = layer.weight.detach()[0], layer.bias.detach()[0]
    assert torch.allclose(neuron_forward(x, weights, bias), expected, atol=1e-6)
    augmented = torch.cat([bias.reshape(1), weights])
    assert torch.allclose(neuron_forward_augmented(x, augmented), expected, atol=1e-6)


def test_a_float64_bias_keeps_its_digits() -> None:
    x = torch.zeros(1, 1, dtype=torch.float64)
    w = torch.zeros(1, dtype=torch.float64)
    assert weighted_sum(x, w, 0.1).item() == 0.1


def test_a_bias_that_requires_grad_gets_its_gradient() -> None:
    x = torch.ones(4, 2)
    w = torch.tensor([0.5, -0.5], requires_grad=True)
    b = torch.tensor(0.2, requires_grad=True)
    neuron_forward(x, w, b).sum().backward()
    assert b.grad is not None and w.grad is not None
    expected = (torch.sigmoid(torch.tensor(0.2)) * (1 - torch.sigmoid(torch.tensor(0.2)))) * 4
    assert torch.allclose(b.grad, expected)
