"""Tests for annlab.training: the loop equals a hand-written torch loop, and bad input is named."""

from __future__ import annotations

import copy
import math
import sys
from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from annlab.models import mlp, one_relu_unit, perceptron, regression_unit
from annlab.training import DivergenceError, TrainResult, predict, train


def line_data(n: int = 30) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.linspace(-1, 1, n).reshape(-1, 1)
    return x, 2 * x + 0.5


def two_clusters(n: int = 40) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    half = n // 2
    x = torch.cat([torch.randn(half, 2, generator=g) - 1, torch.randn(half, 2, generator=g) + 1])
    y = torch.cat([torch.zeros(half), torch.ones(half)]).reshape(-1, 1)
    return x, y


def hand_loop(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    epochs: int,
    loss_func: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    batch_size: int | None = None,
    seed: int = 0,
) -> list[float]:
    """The loop of the lecture notes, in PyTorch's (prediction, target) order."""
    generator = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        batches = (
            [torch.arange(len(x))]
            if batch_size is None
            else torch.randperm(len(x), generator=generator).split(batch_size)
        )
        for rows in batches:
            yHat = model(x) if batch_size is None else model(x[rows])
            loss = loss_func(yHat, y if batch_size is None else y[rows])
            losses.append(loss.item())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return losses


def same_parameters(a: nn.Module, b: nn.Module) -> bool:
    return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


def test_loss_decreases_on_an_easy_problem() -> None:
    x, y = line_data()
    result = train(regression_unit(seed=1), x, y, epochs=200, learning_rate=0.1)
    assert isinstance(result, TrainResult)
    assert result.epochs_run == 200 and not result.diverged
    assert result.epoch_losses.dtype == torch.float32
    assert result.epoch_losses[-1] < 0.01 * result.epoch_losses[0]


def test_returns_the_model_it_was_given() -> None:
    x, y = line_data()
    model = regression_unit()
    assert train(model, x, y, epochs=2).model is model


@pytest.mark.parametrize(
    ("name", "loss_func", "optimizer", "make_model", "data"),
    [
        ("mse", nn.MSELoss(), "sgd", lambda: regression_unit(seed=3), line_data),
        ("mse", nn.MSELoss(), "adam", lambda: one_relu_unit(1, seed=3), line_data),
        ("bce_with_logits", nn.BCEWithLogitsLoss(), "sgd", lambda: mlp([2, 4, 1]), two_clusters),
        (
            "bce",
            nn.BCELoss(),
            "sgd",
            lambda: mlp([2, 1], output_activation="sigmoid"),
            two_clusters,
        ),
    ],
)
def test_full_batch_equals_a_hand_written_loop(name, loss_func, optimizer, make_model, data):
    x, y = data()
    model = make_model()
    twin = copy.deepcopy(model)
    opt_class = torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam
    expected = hand_loop(twin, x, y, 25, loss_func, opt_class(twin.parameters(), lr=0.05))
    result = train(model, x, y, epochs=25, loss=name, optimizer=optimizer, learning_rate=0.05)
    assert result.update_losses.tolist() == torch.tensor(expected).tolist()
    assert torch.equal(result.epoch_losses, result.update_losses)
    assert same_parameters(model, twin)


def test_mini_batches_equal_a_hand_written_loop_with_the_same_shuffles() -> None:
    x, y = line_data(23)
    model = regression_unit(seed=2)
    twin = copy.deepcopy(model)
    sgd = torch.optim.SGD(twin.parameters(), lr=0.1)
    expected = hand_loop(twin, x, y, 4, F.mse_loss, sgd, batch_size=5, seed=7)
    result = train(model, x, y, epochs=4, learning_rate=0.1, batch_size=5, seed=7)
    assert result.update_losses.tolist() == torch.tensor(expected).tolist()
    assert same_parameters(model, twin)


def test_epoch_loss_is_the_batch_size_weighted_mean() -> None:
    x, y = line_data(10)
    result = train(regression_unit(), x, y, epochs=3, batch_size=4)
    sizes = torch.tensor([4.0, 4.0, 2.0], dtype=torch.float64)
    per_epoch = result.update_losses.double().reshape(3, 3) @ sizes
    assert torch.allclose(result.epoch_losses, (per_epoch / 10).float())


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 30), data=st.data(), epochs=st.integers(1, 4))
def test_mini_batch_update_count(n: int, data: st.DataObject, epochs: int) -> None:
    batch_size = data.draw(st.integers(1, n))
    x = torch.linspace(0, 1, n).reshape(-1, 1)
    result = train(regression_unit(), x, x, epochs=epochs, batch_size=batch_size)
    assert len(result.update_losses) == epochs * math.ceil(n / batch_size)
    assert result.epochs_run == len(result.epoch_losses) == epochs


def test_same_seed_same_shuffles_and_another_seed_others() -> None:
    x, y = line_data(40)
    runs = [train(regression_unit(), x, y, epochs=3, batch_size=8, seed=s) for s in (5, 5, 6)]
    assert torch.equal(runs[0].update_losses, runs[1].update_losses)
    assert not torch.equal(runs[0].update_losses, runs[2].update_losses)
    generator = torch.Generator().manual_seed(5)
    from_generator = train(regression_unit(), x, y, epochs=3, batch_size=8, seed=generator)
    assert torch.equal(from_generator.update_losses, runs[0].update_losses)


def test_divergence_raises_an_error_naming_epoch_update_and_loss() -> None:
    x, y = line_data()
    with pytest.raises(DivergenceError, match=r"epoch \d+, update 1 .*loss became (inf|nan)"):
        train(regression_unit(), x, 100 * y, epochs=100, learning_rate=1e6)


@pytest.mark.parametrize("batch_size", [None, 7])
def test_divergence_stop_keeps_only_finite_losses(batch_size: int | None) -> None:
    x, y = line_data()
    result = train(
        regression_unit(),
        x,
        100 * y,
        epochs=100,
        learning_rate=1e6,
        batch_size=batch_size,
        on_divergence="stop",
    )
    assert result.diverged
    assert result.epochs_run == len(result.epoch_losses) < 100
    assert len(result.update_losses) >= result.epochs_run
    assert bool(torch.isfinite(result.epoch_losses).all())
    assert bool(torch.isfinite(result.update_losses).all())


def test_target_of_shape_n_is_matched_to_an_n_by_1_output() -> None:
    x, y = line_data()
    flat = train(regression_unit(seed=4), x, y.flatten(), epochs=5)
    column = train(regression_unit(seed=4), x, y, epochs=5)
    assert torch.equal(flat.update_losses, column.update_losses)
    flat_model = nn.Sequential(nn.Linear(1, 1), nn.Flatten(0))
    assert train(flat_model, x, y.flatten(), epochs=2).epochs_run == 2


def test_output_shape_mismatch_names_y_and_both_shapes() -> None:
    x, y = two_clusters()
    with pytest.raises(ValueError, match=r"y must .*\(40, 2\).*\(40, 1\)"):
        train(perceptron(2), x, y.repeat(1, 2), epochs=1)


def test_bce_on_logits_suggests_sigmoid_or_logits_loss() -> None:
    x, y = two_clusters()
    with pytest.raises(ValueError, match=r"output_activation='sigmoid'.*bce_with_logits"):
        train(nn.Sequential(nn.Linear(2, 1, bias=False)), 5 * x, y, epochs=1, loss="bce")


@pytest.mark.parametrize("loss", ["bce", "bce_with_logits"])
def test_bce_needs_targets_between_0_and_1(loss: str) -> None:
    x, y = two_clusters()
    model = mlp([2, 1], output_activation="sigmoid")
    with pytest.raises(ValueError, match=r"y must hold targets in \[0, 1\]"):
        train(model, x, 2 * y, epochs=1, loss=loss)


def test_callable_loss_and_optimizer() -> None:
    x, y = line_data()
    model, twin = regression_unit(), regression_unit()
    custom = train(
        model,
        x,
        y,
        epochs=5,
        loss=lambda p, t: ((p - t) ** 2).mean(),
        optimizer=lambda ps: torch.optim.SGD(ps, lr=0.2),
        learning_rate=123.0,
    )
    named = train(twin, x, y, epochs=5, learning_rate=0.2)
    assert torch.allclose(custom.update_losses, named.update_losses)
    with pytest.raises(TypeError, match="loss must return a single-number tensor"):
        train(regression_unit(), x, y, epochs=1, loss=lambda p, t: (p - t) ** 2)
    with pytest.raises(TypeError, match="optimizer must return"):
        train(regression_unit(), x, y, epochs=1, optimizer=lambda ps: None)


BAD_ARGUMENTS = [
    ({"model": "net"}, TypeError, "model"),
    ({"model": nn.ReLU()}, ValueError, "model"),
    ({"x": torch.zeros(30)}, ValueError, "x must have 2"),
    ({"x": torch.full((30, 1), math.nan)}, ValueError, "x must not contain NaN"),
    ({"y": torch.zeros(29, 1)}, ValueError, "x and y"),
    ({"y": "labels"}, TypeError, "y"),
    ({"epochs": 0}, ValueError, "epochs"),
    ({"epochs": 2.0}, TypeError, "epochs"),
    ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ({"learning_rate": "fast"}, TypeError, "learning_rate"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": 31}, ValueError, "batch_size"),
    ({"batch_size": 2.5}, TypeError, "batch_size"),
    ({"seed": "zero"}, TypeError, "seed"),
    ({"on_divergence": "ignore"}, ValueError, "on_divergence"),
    ({"loss": "hinge"}, ValueError, "loss"),
    ({"loss": 3}, ValueError, "loss"),
    ({"optimizer": "rmsprop"}, ValueError, "optimizer"),
]


@pytest.mark.parametrize(("change", "error", "name"), BAD_ARGUMENTS)
def test_bad_arguments_are_named(change: dict[str, object], error: type, name: str) -> None:
    x, y = line_data()
    arguments: dict[str, object] = {"model": regression_unit(), "x": x, "y": y, "epochs": 1}
    arguments.update(change)
    with pytest.raises(error, match=name):
        train(**arguments)


@settings(max_examples=30, deadline=None)
@given(epochs=st.one_of(st.integers(max_value=0), st.floats(), st.text(), st.booleans()))
def test_any_bad_epochs_is_named(epochs: object) -> None:
    x, y = line_data()
    with pytest.raises((TypeError, ValueError), match="epochs"):
        train(regression_unit(), x, y, epochs=epochs)


@settings(max_examples=30, deadline=None)
@given(rate=st.one_of(st.floats(max_value=0), st.just(math.inf), st.just(math.nan)))
def test_any_bad_learning_rate_is_named(rate: float) -> None:
    x, y = line_data()
    with pytest.raises(ValueError, match="learning_rate"):
        train(regression_unit(), x, y, epochs=1, learning_rate=rate)


@settings(max_examples=30, deadline=None)
@given(batch_size=st.one_of(st.integers(max_value=0), st.integers(min_value=31)))
def test_any_bad_batch_size_is_named(batch_size: int) -> None:
    x, y = line_data()
    with pytest.raises(ValueError, match="batch_size"):
        train(regression_unit(), x, y, epochs=1, batch_size=batch_size)


@settings(max_examples=30, deadline=None)
@given(columns=st.integers(2, 5), flat=st.booleans())
def test_any_output_shape_mismatch_is_named(columns: int, flat: bool) -> None:
    x, _ = line_data()
    y = torch.zeros(30) if flat else torch.zeros(30, 1)
    model = nn.Linear(1, columns)
    with pytest.raises(ValueError, match=f"y must .*{columns}"):
        train(model, x, y, epochs=1)


def test_float64_data_is_converted_to_the_models_dtype() -> None:
    x, y = line_data()
    result = train(regression_unit(), x.double(), y.double(), epochs=3)
    assert result.epochs_run == 3


def test_progress_bar(capsys: pytest.CaptureFixture[str]) -> None:
    x, y = line_data()
    assert train(regression_unit(), x, y, epochs=3, progress=True).epochs_run == 3
    assert "training" in capsys.readouterr().err


def test_progress_without_tqdm_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    x, y = line_data()
    with pytest.raises(ImportError, match=r"pip install annlab\[progress\]"):
        train(regression_unit(), x, y, epochs=1, progress=True)


def test_predict_records_no_gradient_and_keeps_the_mode() -> None:
    model = nn.Sequential(nn.Linear(2, 1), nn.Dropout(0.5))
    model.train()
    output = predict(model, torch.ones(4, 2))
    assert not output.requires_grad and model.training
    assert torch.equal(output, predict(model, torch.ones(4, 2)))
    with pytest.raises(ValueError, match="x must have 2"):
        predict(model, torch.ones(4))


def test_predict_names_x_when_its_columns_do_not_fit_the_model() -> None:
    # torch used to raise "mat1 and mat2 shapes cannot be multiplied" from inside the model.
    with pytest.raises(ValueError, match=r"x must fit the model's input"):
        predict(perceptron(2), torch.zeros(5, 3))
    x, y = line_data()
    with pytest.raises(ValueError, match=r"x must fit the model's input"):
        train(perceptron(2), x, y, epochs=1)


def test_train_refuses_a_progress_that_is_not_true_or_false() -> None:
    # "no" is truthy: it used to switch the progress bar on.
    x, y = line_data()
    with pytest.raises(TypeError, match="progress must be True or False"):
        train(regression_unit(), x, y, epochs=1, progress="no")  # type: ignore[arg-type]
