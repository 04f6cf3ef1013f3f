"""The hand-written losses agree with torch.nn.functional and refuse what it would get wrong."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from annlab.by_hand.losses import binary_cross_entropy, binary_cross_entropy_with_logits, mse


def _pair(shape: tuple[int, ...], seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=generator), torch.randn(shape, generator=generator)


@pytest.mark.parametrize("shape", [(1,), (7,), (10, 1), (5, 3), (2, 3, 4)])
def test_mse_equals_torch(shape: tuple[int, ...]) -> None:
    prediction, target = _pair(shape, 0)
    expected = F.mse_loss(prediction, target)
    assert torch.allclose(mse(prediction, target), expected, atol=1e-6)
    assert torch.allclose(mse(prediction, target, half=True), expected / 2, atol=1e-6)


@pytest.mark.parametrize("shape", [(1,), (7,), (10, 1), (5, 3)])
def test_binary_cross_entropy_equals_torch(shape: tuple[int, ...]) -> None:
    logits, noise = _pair(shape, 1)
    probability = torch.sigmoid(3 * logits)
    target = (noise > 0).float()
    expected = F.binary_cross_entropy(probability, target)
    assert torch.allclose(binary_cross_entropy(probability, target), expected, atol=1e-6)
    soft_target = torch.sigmoid(noise)
    expected = F.binary_cross_entropy(probability, soft_target)
    assert torch.allclose(binary_cross_entropy(probability, soft_target), expected, atol=1e-6)


def test_binary_cross_entropy_clamps_like_torch_at_0_and_1() -> None:
    probability = torch.tensor([0.0, 1.0, 0.0, 1.0, 1e-45])
    target = torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0])
    expected = F.binary_cross_entropy(probability, target)
    assert torch.allclose(binary_cross_entropy(probability, target), expected, atol=1e-6)
    assert float(binary_cross_entropy(torch.tensor([0.0]), torch.tensor([1.0]))) == 100.0


@pytest.mark.parametrize("shape", [(1,), (7,), (10, 1), (5, 3)])
def test_binary_cross_entropy_with_logits_equals_torch(shape: tuple[int, ...]) -> None:
    logits, noise = _pair(shape, 2)
    target = (noise > 0).float()
    expected = F.binary_cross_entropy_with_logits(5 * logits, target)
    loss = binary_cross_entropy_with_logits(5 * logits, target)
    assert torch.allclose(loss, expected, atol=1e-6)


def test_binary_cross_entropy_with_logits_is_finite_where_the_naive_form_is_not() -> None:
    logits = torch.tensor([1000.0, -1000.0, 1000.0, -1000.0])
    target = torch.tensor([0.0, 1.0, 1.0, 0.0])
    probability = torch.sigmoid(logits)
    naive = -(target * torch.log(probability) + (1 - target) * torch.log(1 - probability))
    assert not bool(torch.isfinite(naive.mean()))
    loss = binary_cross_entropy_with_logits(logits, target)
    assert torch.isfinite(loss)
    assert float(loss) == pytest.approx(500.0)
    assert torch.allclose(loss, F.binary_cross_entropy_with_logits(logits, target))


def test_float64_inputs_stay_float64() -> None:
    prediction, target = _pair((4,), 3)
    assert mse(prediction.double(), target.double()).dtype == torch.float64


@pytest.mark.parametrize("loss", [mse, binary_cross_entropy, binary_cross_entropy_with_logits])
def test_column_against_flat_is_refused_with_both_shapes_named(loss: object) -> None:
    assert callable(loss)
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\).*broadcast"):
        loss(torch.full((4, 1), 0.5), torch.ones(4))


def test_mse_loss_would_have_broadcast_silently() -> None:
    # The bug the shape check prevents: torch averages a (4, 4) table instead.
    prediction, target = torch.arange(4.0).reshape(4, 1), torch.arange(4.0)
    with pytest.warns(UserWarning):
        broadcast = F.mse_loss(prediction, target)
    assert float(broadcast) != 0.0
    assert float(mse(prediction, target.reshape(4, 1))) == 0.0


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_inputs_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="prediction"):
        mse(torch.tensor([bad, 1.0]), torch.zeros(2))
    with pytest.raises(ValueError, match="target"):
        binary_cross_entropy_with_logits(torch.zeros(2), torch.tensor([bad, 1.0]))


def test_probabilities_and_targets_outside_0_1_are_refused() -> None:
    with pytest.raises(ValueError, match="probability"):
        binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))
    with pytest.raises(ValueError, match="target"):
        binary_cross_entropy(torch.tensor([0.5]), torch.tensor([2.0]))
    with pytest.raises(ValueError, match="target"):
        binary_cross_entropy_with_logits(torch.tensor([0.5]), torch.tensor([-1.0]))


def test_half_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="half"):
        mse(torch.zeros(2), torch.zeros(2), half="yes")  # type: ignore[arg-type]
