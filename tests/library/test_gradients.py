"""The hand-written gradients equal autograd's, in float64, for several shapes."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from annlab.by_hand.gradients import (
    linear_mse_gradient,
    sgd_step,
    sigmoid_bce_gradient,
    two_layer_backward,
)
from annlab.models import mlp

SHAPES = [(1, 1), (5, 1), (20, 2), (7, 5)]


def _draw(n: int, d: int, seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, float]:
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=generator, dtype=torch.float64)
    y = (torch.rand(n, generator=generator, dtype=torch.float64) > 0.5).double()
    weights = torch.randn(d, generator=generator, dtype=torch.float64)
    bias = float(torch.randn(1, generator=generator))
    return x, y, weights, bias


def _autograd(
    x: torch.Tensor, weights: torch.Tensor, bias: float, cost_of_z: object
) -> tuple[torch.Tensor, float]:
    w = weights.clone().requires_grad_(True)
    b = torch.tensor(bias, dtype=torch.float64, requires_grad=True)
    assert callable(cost_of_z)
    cost_of_z(b + x @ w).backward()
    assert w.grad is not None and b.grad is not None
    return w.grad, float(b.grad)


@pytest.mark.parametrize(("n", "d"), SHAPES)
@pytest.mark.parametrize("column", [False, True])
def test_sigmoid_bce_gradient_equals_autograd(n: int, d: int, column: bool) -> None:
    x, y, weights, bias = _draw(n, d, seed=n * 10 + d)
    w_grad, b_grad = _autograd(
        x, weights, bias, lambda z: F.binary_cross_entropy(torch.sigmoid(z), y)
    )
    gradient = sigmoid_bce_gradient(x, y.reshape(-1, 1) if column else y, weights, bias)
    assert gradient.weights.shape == (d,)
    assert torch.allclose(gradient.weights, w_grad, atol=1e-6)
    assert gradient.bias == pytest.approx(b_grad, abs=1e-6)


@pytest.mark.parametrize(("n", "d"), SHAPES)
@pytest.mark.parametrize("half", [False, True])
def test_linear_mse_gradient_equals_autograd(n: int, d: int, half: bool) -> None:
    x, _, weights, bias = _draw(n, d, seed=n + d)
    y = torch.randn(n, dtype=torch.float64, generator=torch.Generator().manual_seed(n))
    factor = 0.5 if half else 1.0
    w_grad, b_grad = _autograd(x, weights, bias, lambda z: factor * F.mse_loss(z, y))
    gradient = linear_mse_gradient(x, y, weights, bias, half=half)
    assert torch.allclose(gradient.weights, w_grad, atol=1e-6)
    assert gradient.bias == pytest.approx(b_grad, abs=1e-6)


def test_half_halves_the_gradient() -> None:
    x, _, weights, bias = _draw(10, 3, seed=0)
    y = torch.randn(10, dtype=torch.float64)
    full = linear_mse_gradient(x, y, weights, bias)
    half = linear_mse_gradient(x, y, weights, bias, half=True)
    assert torch.allclose(full.weights, 2 * half.weights)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "identity"])
@pytest.mark.parametrize("loss", ["bce_with_logits", "mse"])
@pytest.mark.parametrize(("n", "d", "hidden", "out"), [(1, 1, 1, 1), (30, 2, 16, 1), (9, 4, 3, 2)])
def test_two_layer_backward_equals_autograd_on_an_mlp(
    activation: str, loss: str, n: int, d: int, hidden: int, out: int
) -> None:
    model = mlp([d, hidden, out], hidden_activation=activation, seed=n + d).double()
    generator = torch.Generator().manual_seed(hidden)
    x = torch.randn(n, d, generator=generator, dtype=torch.float64)
    if loss == "mse":
        y = torch.randn(n, out, generator=generator, dtype=torch.float64)
        cost = F.mse_loss(model(x), y)
    else:
        y = (torch.rand(n, out, generator=generator, dtype=torch.float64) > 0.5).double()
        cost = F.binary_cross_entropy_with_logits(model(x), y)
    cost.backward()
    first, last = model[0], model[-1]
    grads = two_layer_backward(
        x, y, first.weight, first.bias, last.weight, last.bias, activation, loss
    )
    assert grads.loss == pytest.approx(cost.item(), abs=1e-9)
    assert torch.allclose(grads.z2, model(x).detach(), atol=1e-9)
    for mine, parameter in zip(
        (grads.w1, grads.b1, grads.w2, grads.b2),
        (first.weight, first.bias, last.weight, last.bias),
        strict=True,
    ):
        assert parameter.grad is not None
        assert mine.shape == parameter.shape
        assert torch.allclose(mine, parameter.grad, atol=1e-6)


def test_two_layer_backward_accepts_a_flat_target_for_one_output() -> None:
    model = mlp([2, 4, 1], seed=1)
    x, y = torch.randn(6, 2), torch.ones(6)
    weights = (model[0].weight, model[0].bias, model[2].weight, model[2].bias)
    flat = two_layer_backward(x, y, *weights)
    column = two_layer_backward(x, y.reshape(-1, 1), *weights)
    assert torch.equal(flat.w1, column.w1)


def test_two_layer_backward_refuses_mismatched_weights() -> None:
    x, y = torch.randn(6, 2), torch.ones(6, 1)
    with pytest.raises(ValueError, match="w1"):
        two_layer_backward(x, y, torch.ones(4, 3), torch.ones(4), torch.ones(1, 4), torch.ones(1))
    with pytest.raises(ValueError, match="w2"):
        two_layer_backward(x, y, torch.ones(4, 2), torch.ones(4), torch.ones(1, 5), torch.ones(1))
    with pytest.raises(ValueError, match="b1"):
        two_layer_backward(x, y, torch.ones(4, 2), torch.ones(3), torch.ones(1, 4), torch.ones(1))
    with pytest.raises(ValueError, match="y"):
        two_layer_backward(
            x, y[:5], torch.ones(4, 2), torch.ones(4), torch.ones(1, 4), torch.ones(1)
        )


def test_hand_updates_match_torch_sgd_step_for_step() -> None:
    model = mlp([2, 8, 1], seed=3).double()
    x = torch.randn(40, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    y = (x[:, :1] > 0).double()
    mine = [p.detach().clone() for p in model.parameters()]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(20):
        grads = two_layer_backward(x, y, *mine)
        mine = sgd_step(mine, [grads.w1, grads.b1, grads.w2, grads.b2], 0.5)
        optimizer.zero_grad()
        F.binary_cross_entropy_with_logits(model(x), y).backward()
        optimizer.step()
    for hand, torch_parameter in zip(mine, model.parameters(), strict=True):
        assert torch.allclose(hand, torch_parameter.detach(), atol=1e-9)


def test_sgd_step_refuses_mismatched_lists() -> None:
    with pytest.raises(ValueError, match="parameters and gradients"):
        sgd_step([torch.ones(2)], [], 0.1)
    with pytest.raises(ValueError, match=r"gradients\[0\]"):
        sgd_step([torch.ones(2)], [torch.ones(3)], 0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        sgd_step([torch.ones(2)], [torch.ones(2)], -0.1)
