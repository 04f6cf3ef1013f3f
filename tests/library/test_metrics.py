"""Metrics agree with direct computations and with torch; constant predictions give NaN."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from annlab.data import regression_data
from annlab.metrics import accuracy, active_fraction, least_squares, pearson_correlation
from annlab.models import mlp, one_relu_unit


def test_accuracy_counts_matches() -> None:
    prediction = torch.tensor([[0.9], [0.6], [0.2], [0.5]])
    target = torch.tensor([[1.0], [0.0], [0.0], [1.0]])
    # 0.5 is not above the threshold: class 0, wrong here.
    assert accuracy(prediction, target) == 0.5


def test_accuracy_on_logits_equals_accuracy_on_probabilities() -> None:
    logits = torch.randn(200, 1, generator=torch.Generator().manual_seed(0))
    target = (torch.rand(200, 1, generator=torch.Generator().manual_seed(1)) > 0.5).float()
    on_logits = accuracy(logits, target, threshold=0.0)
    assert on_logits == accuracy(torch.sigmoid(logits), target)
    assert 0.0 <= on_logits <= 1.0


def test_accuracy_refuses_non_binary_targets_and_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="target"):
        accuracy(torch.tensor([0.5]), torch.tensor([0.5]))
    with pytest.raises(ValueError, match=r"prediction.*\(3, 1\).*target.*\(3,\)"):
        accuracy(torch.zeros(3, 1), torch.zeros(3))


def test_pearson_correlation_equals_torch_corrcoef() -> None:
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(50, 1, generator=generator)
    b = a + torch.randn(50, 1, generator=generator)
    expected = torch.corrcoef(torch.vstack((a.T, b.T)))[0, 1]
    result = pearson_correlation(a, b)
    assert result.value == pytest.approx(float(expected), abs=1e-6)
    assert not result.constant_prediction
    assert pearson_correlation(a, -3 * a).value == pytest.approx(-1.0)


def test_constant_prediction_gives_nan_never_zero() -> None:
    target = torch.randn(20, 1)
    result = pearson_correlation(torch.full((20, 1), 0.3), target)
    assert math.isnan(result.value)
    assert result.constant_prediction
    assert not result.constant_target
    constant_target = pearson_correlation(target, torch.ones(20, 1))
    assert math.isnan(constant_target.value) and constant_target.constant_target


def test_dead_relu_model_has_a_constant_prediction() -> None:
    model = one_relu_unit(1)
    with torch.no_grad():
        model[0].bias.fill_(-100.0)
    x, y = regression_data()
    result = pearson_correlation(model(x).detach(), y)
    assert result.constant_prediction and math.isnan(result.value)


def test_active_fraction_counts_positive_pre_activations() -> None:
    model = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0], [-1.0]]))
        model[0].bias.zero_()
    x = torch.tensor([[-2.0], [-1.0], [1.0], [2.0], [3.0]])
    (fraction,) = active_fraction(model, x)
    assert torch.allclose(fraction, torch.tensor([0.6, 0.4]))


def test_active_fraction_one_tensor_per_relu_layer() -> None:
    fractions = active_fraction(mlp([2, 16, 1, 1]), torch.randn(50, 2))
    assert [f.shape for f in fractions] == [(16,), (1,)]
    assert all(bool(((f >= 0) & (f <= 1)).all()) for f in fractions)


def test_active_fraction_validates_its_arguments() -> None:
    with pytest.raises(TypeError, match="model"):
        active_fraction(nn.Linear(2, 1), torch.zeros(3, 2))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="model"):
        active_fraction(mlp([2, 1]), torch.zeros(3, 2))
    with pytest.raises(ValueError, match="x"):
        active_fraction(mlp([2, 4, 1]), torch.zeros(3, 3))


def test_least_squares_equals_lstsq() -> None:
    x, y = regression_data(slope=-1.5, n_points=200, seed=4)
    fit = least_squares(x, y)
    design = torch.cat([x, torch.ones_like(x)], dim=1).double()
    solution = torch.linalg.lstsq(design, y.double()).solution.reshape(-1)
    assert fit.slope == pytest.approx(float(solution[0]), abs=1e-9)
    assert fit.intercept == pytest.approx(float(solution[1]), abs=1e-9)
    residual = design @ solution.reshape(-1, 1) - y.double()
    assert fit.mse == pytest.approx(float((residual**2).mean()), abs=1e-9)
    # The noise (variance 0.25) is the floor: the fit should sit close to it.
    assert 0.15 < fit.mse < 0.35


def test_least_squares_refuses_constant_x() -> None:
    with pytest.raises(ValueError, match="x"):
        least_squares(torch.ones(5, 1), torch.arange(5.0).reshape(5, 1))
    with pytest.raises(ValueError, match="x"):
        least_squares(torch.ones(5, 2), torch.ones(5, 2))


def test_pearson_correlation_needs_two_entries() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        pearson_correlation(torch.ones(1), torch.ones(1))
