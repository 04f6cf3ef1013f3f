"""The many-run trainer: every run must equal the same run trained alone."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from annlab.many_runs.trainer import initial_parameters, train_many
from annlab.models import mlp
from annlab.training import train
from tests.library.conftest import epochs_for

SEEDS = [3, 4, 5]
RATES = [0.01, 0.02, 0.03]
ARCHITECTURES = [
    ([1, 1, 1], "relu"),
    ([2, 1, 1], "relu"),
    ([2, 16, 1, 1], "relu"),
    ([2, 16, 1], "relu"),
    ([1, 1], "identity"),
]


pytestmark = pytest.mark.usefixtures("one_thread")


def make_data(n_inputs: int, loss: str, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(40, n_inputs, generator=g) + 0.5
    if loss == "mse":
        return x, x.sum(1, keepdim=True) + torch.randn(40, 1, generator=g) / 2
    return x, (x.sum(1, keepdim=True) > 0.5 * n_inputs).float()


def assert_run_matches(result, run, model, history, rtol=0.0):  # type: ignore[no-untyped-def]
    close = {"atol": 1e-5, "rtol": rtol}
    torch.testing.assert_close(result.loss_history[run], history, **close)
    linear = [m for m in model if isinstance(m, torch.nn.Linear)]
    for layer, w, b in zip(linear, result.weights, result.biases, strict=True):
        torch.testing.assert_close(w[run], layer.weight.detach(), **close)
        torch.testing.assert_close(b[run], layer.bias.detach(), **close)


@pytest.mark.parametrize(("sizes", "hidden"), ARCHITECTURES)
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("loss", ["mse", "bce_with_logits"])
def test_batched_runs_equal_single_runs(sizes, hidden, optimizer, loss):  # type: ignore[no-untyped-def]
    epochs = epochs_for(optimizer)
    x, y = make_data(sizes[0], loss)
    result = train_many(
        sizes,
        x,
        y,
        seeds=SEEDS,
        learning_rates=torch.tensor(RATES),
        epochs=epochs,
        hidden_activation=hidden,
        loss=loss,
        optimizer=optimizer,
    )
    for run, (seed, rate) in enumerate(zip(SEEDS, RATES, strict=True)):
        single = train(
            mlp(sizes, hidden, seed=seed),
            x,
            y,
            epochs=epochs,
            loss=loss,
            learning_rate=rate,
            optimizer=optimizer,
        )
        assert_run_matches(result, run, single.model, single.epoch_losses)
    assert not result.diverged.any()


def plain_loop(model, x, y, rate, epochs, optimizer="sgd"):  # type: ignore[no-untyped-def]
    """The notes' loop, with PyTorch only: one model, one optimizer."""
    factory = torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam
    opt = factory(model.parameters(), lr=rate)
    losses = torch.zeros(epochs)
    for epoch in range(epochs):
        loss = F.mse_loss(model(x), y)
        losses[epoch] = loss.detach()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return losses


@pytest.mark.parametrize(
    ("hidden", "output", "optimizer"),
    [("relu", "identity", "sgd"), ("tanh", "sigmoid", "adam"), ("sigmoid", "identity", "sgd")],
)
def test_data_per_run_equals_plain_torch_loop(hidden, output, optimizer):  # type: ignore[no-untyped-def]
    g = torch.Generator().manual_seed(1)
    x = torch.randn(3, 30, 2, generator=g)
    y = torch.sigmoid(x.sum(2, keepdim=True))
    result = train_many(
        [2, 4, 1],
        x,
        y,
        seeds=SEEDS,
        learning_rates=0.05,
        epochs=100,
        loss="mse",
        hidden_activation=hidden,
        output_activation=output,
        optimizer=optimizer,
    )
    for run, seed in enumerate(SEEDS):
        model = mlp([2, 4, 1], hidden, output, seed=seed)
        history = plain_loop(model, x[run], y[run], 0.05, 100, optimizer)
        assert_run_matches(result, run, model, history)


@pytest.mark.parametrize("sizes", [[1, 1, 1], [2, 1, 1], [2, 16, 1, 1], [3, 5, 2], [20, 64, 3]])
def test_initial_parameters_are_mlps_draw_to_the_bit(sizes):  # type: ignore[no-untyped-def]
    """One generator re-seeded per run, one draw per layer for weights and bias: the very
    numbers of a fresh ``mlp(sizes, seed=seed)`` per run."""
    seeds = [0, 7, 2**63 + 5, 123]
    weights, biases = initial_parameters(sizes, seeds)
    for run, seed in enumerate(seeds):
        layers = [m for m in mlp(sizes, seed=seed) if isinstance(m, torch.nn.Linear)]
        for layer, weight, bias in zip(layers, weights, biases, strict=True):
            assert torch.equal(weight[run], layer.weight.detach())
            assert torch.equal(bias[run], layer.bias.detach())
    assert all(w.is_contiguous() for w in weights) and all(b.is_contiguous() for b in biases)


def test_start_is_mlp_with_the_seed_and_model_rebuilds_the_end():
    x, y = make_data(2, "bce_with_logits")
    result = train_many([2, 16, 1, 1], x, y, seeds=SEEDS, learning_rates=0.1, epochs=20)
    for run, seed in enumerate(SEEDS):
        start = mlp([2, 16, 1, 1], seed=seed)
        torch.testing.assert_close(result.start.outputs[run], start(x).detach())
        end = result.model(run)
        torch.testing.assert_close(result.end.outputs[run], end(x).detach())
        hidden = [end[:2](x), end[:4](x)]
        for fractions, h in zip(result.end.active_fractions, hidden, strict=True):
            torch.testing.assert_close(fractions[run], (h > 0).float().mean(0))
        accuracy = ((torch.sigmoid(end(x)) > 0.5) == (y > 0.5)).float().mean()
        assert float(result.end.accuracy[run]) == pytest.approx(float(accuracy))
    assert result.runs == result.end.runs == 3
    with pytest.raises(ValueError, match="run"):
        result.model(3)


def test_a_diverging_run_is_flagged_frozen_and_harms_no_other():
    x, y = make_data(1, "mse")
    rates = [0.01, 20.0, 0.02]
    result = train_many([1, 1, 1], x, y, seeds=SEEDS, learning_rates=rates, epochs=100, loss="mse")
    assert result.diverged.tolist() == [False, True, False]
    for run in range(3):
        single = train(
            mlp([1, 1, 1], seed=SEEDS[run]),
            x,
            y,
            epochs=100,
            loss="mse",
            learning_rate=rates[run],
            on_divergence="stop",
        )
        if run == 1:
            assert single.diverged
            # frozen where the single run stopped: the parameters that gave the first bad loss
            stopped = single.epochs_run
            assert not torch.isfinite(result.loss_history[1, stopped:]).any()
            # its parameters are huge by then: compare them relative to their size
            assert_run_matches(result, 1, single.model, result.loss_history[1], rtol=1e-5)
        else:
            assert_run_matches(result, run, single.model, single.epoch_losses)


def test_checkpoint_equals_a_shorter_run():
    x, y = make_data(2, "bce_with_logits")
    kwargs = {"seeds": SEEDS, "learning_rates": RATES}
    long = train_many([2, 16, 1, 1], x, y, epochs=2000, checkpoints=(1000, 2000), **kwargs)
    short = train_many([2, 16, 1, 1], x, y, epochs=1000, **kwargs)
    middle = long.checkpoints[1000]
    assert middle.epoch == 1000 and long.checkpoints[2000] is long.end
    torch.testing.assert_close(middle.loss, short.final_loss)
    torch.testing.assert_close(middle.outputs, short.end.outputs)
    torch.testing.assert_close(middle.accuracy, short.end.accuracy)
    for a, b in zip(middle.active_fractions, short.end.active_fractions, strict=True):
        torch.testing.assert_close(a, b)


def test_record_every_subsamples_the_history():
    x, y = make_data(1, "mse")
    full = train_many([1, 1, 1], x, y, seeds=SEEDS, learning_rates=0.01, epochs=25, loss="mse")
    sparse = train_many(
        [1, 1, 1],
        x,
        y,
        seeds=SEEDS,
        learning_rates=0.01,
        epochs=25,
        loss="mse",
        record_every=10,
        progress=True,
        device="cpu",
        threads=None,
    )
    assert sparse.recorded_epochs.tolist() == [0, 10, 20]
    torch.testing.assert_close(sparse.loss_history, full.loss_history[:, ::10])
    assert sparse.end.active_fractions[0].shape == (3, 1)


GOOD = {
    "sizes": [2, 1, 1],
    "x": torch.zeros(10, 2),
    "y": torch.zeros(10, 1),
    "seeds": [0, 1],
    "learning_rates": 0.1,
    "epochs": 10,
}


@pytest.mark.parametrize(
    ("change", "error", "name"),
    [
        ({"x": torch.zeros(10, 3)}, ValueError, "x"),
        ({"x": torch.zeros(3, 10, 2)}, ValueError, "x"),
        ({"y": torch.zeros(9, 1)}, ValueError, "x and y"),
        ({"y": torch.full((10, 1), 2.0)}, ValueError, "y"),
        ({"learning_rates": [0.1, 0.2, 0.3]}, ValueError, "learning_rates"),
        ({"learning_rates": [0.1, -0.2]}, ValueError, "learning_rates"),
        ({"sizes": [2]}, ValueError, "sizes"),
        ({"sizes": [2, 0, 1]}, ValueError, "sizes"),
        ({"hidden_activation": "softmax"}, ValueError, "hidden_activation"),
        ({"output_activation": "sigmoid"}, ValueError, "output_activation"),
        ({"loss": "bce"}, ValueError, "loss"),
        ({"optimizer": "rmsprop"}, ValueError, "optimizer"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": 2.5}, TypeError, "epochs"),
        ({"checkpoints": (5, 11)}, ValueError, "checkpoints"),
        ({"checkpoints": (5, 5)}, ValueError, "checkpoints"),
        ({"seeds": []}, TypeError, "seeds"),
        ({"seeds": [0, -1]}, ValueError, "seeds"),
        ({"record_every": 0}, ValueError, "record_every"),
        # Found by the fuzz: each used to fail deep in torch, blame another name, or pass.
        ({"seeds": [0, 2**64]}, ValueError, r"seeds\[1\]"),
        ({"device": "gpu"}, ValueError, "device"),
        ({"device": "cuda:99"}, ValueError, "device 'cuda:99' is not available"),
        ({"progress": "no"}, TypeError, "progress must be True or False"),
    ],
)
def test_bad_input_names_the_argument(change, error, name):  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=name):
        train_many(**{**GOOD, **change})


@pytest.mark.parametrize(
    ("sizes", "seeds", "error", "name"),
    [
        (None, [0], ValueError, "sizes"),
        ([1, 0], [0], ValueError, r"sizes\[1\]"),
        ([1, 1], None, TypeError, "seeds"),
        ([1, 1], [-1], ValueError, r"seeds\[0\]"),
    ],
)
def test_initial_parameters_checks_its_arguments(sizes, seeds, error, name):  # type: ignore[no-untyped-def]
    # It used to check nothing: None gave "'NoneType' object is not iterable", and a
    # negative seed an error about "seed" from as_generator.
    with pytest.raises(error, match=name):
        initial_parameters(sizes, seeds)
