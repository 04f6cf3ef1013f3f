"""Bad inputs at every public function: only TypeError or ValueError, naming the argument.

Each case takes one function, good values for all its arguments, and a
hypothesis strategy of bad values for one of them. A call that succeeds, or
fails with any other exception (an IndexError from deep inside torch, say), or
with a message that does not name the argument, fails the test.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import matplotlib

matplotlib.use("Agg")

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from torch import nn

import annlab
from annlab import _checks, data, metrics, models, seeding, training
from annlab.by_hand import activations, gradients, losses, neuron
from annlab.many_runs import experiments, statistics, trainer
from annlab.plots import colors, curves, diagrams, points, surfaces
from annlab.plots import experiments as experiment_plots

Strategy = st.SearchStrategy[Any]
NAN, INF = float("nan"), float("inf")

NOT_ARRAY: Strategy = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.sampled_from([{"a": 1}, object(), [1.0, "a"], [[1.0, 2.0], [3.0]], b"xy", 1 + 2j]),
)
NOT_NUMBER: Strategy = st.one_of(
    st.none(), st.text(max_size=4), st.booleans(), st.sampled_from([[1.0], object(), 1 + 2j])
)
BAD_POSITIVE_INT: Strategy = st.one_of(
    st.integers(max_value=0), st.floats(allow_nan=True), NOT_NUMBER
)
BAD_POSITIVE_FLOAT: Strategy = st.one_of(
    st.floats(max_value=0.0), st.sampled_from([NAN, INF]), NOT_NUMBER
)
BAD_FINITE: Strategy = st.one_of(st.sampled_from([NAN, INF, -INF]), NOT_NUMBER)
BAD_SEED: Strategy = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=2**64),
    st.floats(),
    st.text(max_size=3),
    st.booleans(),
    st.sampled_from([[1], 1.0]),
)
BAD_BOOL: Strategy = st.one_of(st.none(), st.integers(), st.text(max_size=3), st.floats())


def bad_name(choices: list[str]) -> Strategy:
    """Anything but one of ``choices``."""
    return st.one_of(
        st.text(max_size=8).filter(lambda text: text not in choices),
        st.none(),
        st.integers(),
        st.just(choices[:1]),
    )


def _filled(shape: tuple[int, ...], values: list[float]) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float32).reshape(shape)


def _with_entry(shape: tuple[int, ...], entries: Strategy) -> Strategy:
    """A tensor of ``shape`` holding 0.5 except for one entry drawn from ``entries``."""

    @st.composite
    def build(draw: st.DrawFn) -> torch.Tensor:
        tensor = torch.full(shape, 0.5)
        index = draw(st.integers(0, max(tensor.numel() - 1, 0)))
        tensor.view(-1)[index] = draw(entries)
        return tensor

    return build()


def _shapes_other_than(shape: tuple[int, ...], ndims: set[int], tied: tuple[int, ...]) -> Strategy:
    """Shapes of a wrong number of dimensions, or with a tied dimension resized."""
    other_ndims = sorted({0, 1, 2, 3} - ndims)
    wrong_ndim = st.sampled_from(other_ndims).flatmap(
        lambda n: st.tuples(*[st.integers(1, 3)] * n)
    )
    options = [wrong_ndim]
    for dim in tied:
        options.append(
            st.integers(0, 6)
            .filter(lambda size, dim=dim: size != shape[dim])
            .map(lambda size, dim=dim: (*shape[:dim], size, *shape[dim + 1 :]))
        )
    return st.one_of(options)


def bad_tensor(
    shape: tuple[int, ...],
    *,
    ndims: set[int] | None = None,
    tied: tuple[int, ...] | None = None,
    extra: Strategy | None = None,
    finite: bool = True,
) -> Strategy:
    """Bad values for a float tensor of ``shape``, finite unless ``finite=False``.

    ``ndims`` are the accepted numbers of dimensions (default: only ``shape``'s);
    ``tied`` the dimensions whose size another argument fixes (default: all).
    """
    ndims = {len(shape)} if ndims is None else ndims
    tied = tuple(range(len(shape))) if tied is None else tied
    options = [
        NOT_ARRAY,
        st.just(torch.ones(shape, dtype=torch.bool)),
        st.just(torch.ones(shape, dtype=torch.complex64)),
        _shapes_other_than(shape, ndims, tied).map(lambda s: torch.full(s, 0.5)),
    ]
    if finite:
        options.append(_with_entry(shape, st.sampled_from([NAN, INF, -INF])))
    if extra is not None:
        options.append(extra)
    return st.one_of(options)


def outside_unit(shape: tuple[int, ...]) -> Strategy:
    return _with_entry(shape, st.floats(1.001, 1e6) | st.floats(-1e6, -0.001))


ANY_Z: Strategy = st.one_of(
    NOT_ARRAY,
    st.just(torch.ones(3, dtype=torch.bool)),
    st.just(torch.ones(3, dtype=torch.complex64)),
)


@dataclass(frozen=True)
class Case:
    """Call ``function(**good)`` with ``argument`` replaced by a value from ``bad``."""

    function: Callable[..., Any]
    argument: str
    bad: Strategy
    good: dict[str, Any] = field(default_factory=dict)
    named: str = ""

    @property
    def expected_name(self) -> str:
        return self.named or self.argument

    def __str__(self) -> str:
        return f"{self.function.__name__}-{self.argument}"


def cases_for(
    function: Callable[..., Any], good: dict[str, Any], /, **bad: Strategy
) -> list[Case]:
    return [Case(function, argument, strategy, good) for argument, strategy in bad.items()]


X, Y_FLAT, WEIGHTS = torch.ones(5, 2), torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0]), torch.ones(2)
PROBABILITY, TARGET = torch.full((4, 1), 0.5), torch.tensor([[0.0], [1.0], [1.0], [0.0]])
TWO_LAYER = {
    "x": X,
    "y": Y_FLAT.reshape(5, 1),
    "w1": torch.ones(3, 2),
    "b1": torch.ones(3),
    "w2": torch.ones(1, 3),
    "b2": torch.ones(1),
}
CENTRES_BAD: Strategy = st.one_of(
    st.none(),
    st.text(max_size=3),
    st.integers(),
    st.sampled_from(
        [
            (),
            ((0, 0),),
            ((0, 0), (1, 1), (2, 2)),
            ((0, 0), (1,)),
            ((0, 0), (1, 1, 1)),
            ((0, 0), (1, NAN)),
            ((INF, 0), (1, 1)),
            ((0, 0), (True, 1)),
            ((0, 0), ("a", 1)),
            ((0, 0), "ab"),
        ]
    ),
)
ACTIVATION_NAMES = list(activations.ACTIVATIONS)
SEED_NOT_INT: Strategy = st.one_of(BAD_SEED, st.none(), st.just(torch.Generator()))
BAD_SIZES: Strategy = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=3),
    st.lists(st.integers(1, 3), max_size=1),
    st.lists(BAD_POSITIVE_INT, min_size=1, max_size=2).map(lambda bad: [2, *bad]),
)
BAD_SEEDS: Strategy = st.one_of(
    NOT_NUMBER, st.just([]), st.lists(BAD_SEED, min_size=1, max_size=2)
)
BAD_LIMITS: Strategy = st.one_of(
    NOT_ARRAY,
    st.sampled_from([(1.0,), (0.0, 1.0, 2.0), (1.0, -1.0), (1.0, 1.0), (0.0, NAN), (-INF, 0.0)]),
)
BAD_NAMES: Strategy = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=3),
    st.sampled_from([("a",), ("a", "b", "c"), ("a", 1)]),
)
BAD_TEXT: Strategy = st.one_of(
    st.none(), st.integers(), st.sampled_from(["", "  ", ["σ"], ("σ",), b"relu"])
)


def bad_labels(count: int) -> Strategy:
    """Anything but a sequence of ``count`` strings (None is allowed: it means "default")."""
    return st.one_of(
        st.integers(),
        st.text(max_size=3),
        st.lists(st.text(max_size=3), max_size=4).filter(lambda labels: len(labels) != count),
        st.just(["a", 1, "b", 2][:count]),
    )


BAD_THRESHOLD: Strategy = st.one_of(
    BAD_FINITE, st.floats(min_value=1.001, allow_infinity=False), st.floats(max_value=-0.001)
)

# Figures: one Axes for every call, drawn outside pyplot so nothing needs closing.
AX = Figure().add_subplot()
BAD_AX: Strategy = st.one_of(
    st.text(max_size=3), st.integers(), st.sampled_from([object(), Figure(), [AX]])
)
X1, Y1 = torch.linspace(-1, 1, 4).reshape(4, 1), torch.linspace(-2, 2, 4).reshape(4, 1)
PLANE, PLANE_LABELS = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 1, 0])
BAD_FUNCTIONS = [
    lambda x: x,  # m pairs, not m numbers
    lambda x: x @ torch.ones(3),  # expects three features
    lambda x: x[:, 0] / 0.0,  # NaN and inf on the grid
    lambda x: "a",
    nn.Linear(3, 1),
    nn.Linear(2, 2),
]
# The smallest results of each kind, for the plots and methods that take one.
SLOPES = experiments.slope_challenge([-1.0, 1.0], runs=2, epochs=2, n_points=3)
SWEEP = experiments.learning_rate_sweep([0.1], runs=2, epochs=2)
MANY = trainer.train_many(
    (1, 1), X1, Y1, seeds=(0, 1), learning_rates=0.1, epochs=2, loss="mse", kernel="torch"
)

CASES: list[Case] = [
    # validation
    Case(seeding.as_generator, "seed", BAD_SEED, {"seed": 0}),
    Case(
        _checks.check_tensor,
        "value",
        bad_tensor((2, 2), tied=()),
        {"value": torch.ones(2, 2), "name": "arg", "ndim": 2},
        named="arg",
    ),
    Case(
        _checks.check_same_rows,
        "a",
        st.one_of(NOT_ARRAY, st.just(torch.tensor(1.0)), st.just(torch.ones(4, 2))),
        {"a": torch.ones(3, 2), "a_name": "first", "b": torch.ones(3), "b_name": "second"},
        named="first",
    ),
    Case(
        _checks.check_same_rows,
        "b",
        st.one_of(NOT_ARRAY, st.just(torch.tensor(1.0)), st.just(torch.ones(2))),
        {"a": torch.ones(3, 2), "a_name": "first", "b": torch.ones(3), "b_name": "second"},
        named="second",
    ),
    Case(
        _checks.check_same_shape,
        "target",
        st.one_of(NOT_ARRAY, st.just(torch.ones(3)), st.just(torch.ones(2, 1))),
        {
            "prediction": torch.ones(3, 1),
            "prediction_name": "prediction",
            "target": torch.ones(3, 1),
            "target_name": "target",
        },
        named="target",
    ),
    Case(
        _checks.check_positive_int,
        "value",
        BAD_POSITIVE_INT,
        {"value": 3, "name": "count"},
        named="count",
    ),
    Case(
        _checks.check_positive_float,
        "value",
        BAD_POSITIVE_FLOAT,
        {"value": 0.1, "name": "rate"},
        named="rate",
    ),
    Case(
        _checks.check_choice,
        "value",
        bad_name(["a", "b"]),
        {"value": "a", "name": "kind", "choices": "ab"},
        named="kind",
    ),
    # activations: NaN is a legitimate input (it propagates), non-numbers are not
    *[
        Case(getattr(activations, name), "z", ANY_Z, {"z": torch.tensor([0.0, NAN])})
        for name in ACTIVATION_NAMES + [f"{n}_derivative" for n in ACTIVATION_NAMES]
    ],
    Case(
        activations.get_activation,
        "name",
        bad_name(ACTIVATION_NAMES),
        {"name": "relu"},
        named="activation",
    ),
    Case(
        activations.check_activation,
        "value",
        bad_name(ACTIVATION_NAMES),
        {"value": "relu", "name": "hidden_activation"},
        named="hidden_activation",
    ),
    # neuron
    Case(
        neuron.add_bias_input,
        "x",
        bad_tensor((5, 2), tied=(), extra=st.just(torch.ones(0, 2))),
        {"x": X},
    ),
    *cases_for(
        neuron.weighted_sum,
        {"x": X, "weights": WEIGHTS, "bias": 0.0},
        x=bad_tensor((5, 2), tied=(1,)),
        weights=bad_tensor((2,)),
        bias=st.one_of(BAD_FINITE, st.just(torch.ones(1))),
    ),
    *cases_for(
        neuron.neuron_forward,
        {"x": X, "weights": WEIGHTS, "bias": 0.0, "activation": "relu"},
        x=bad_tensor((5, 2), tied=(1,)),
        weights=bad_tensor((2,)),
        bias=BAD_FINITE,
        activation=bad_name(ACTIVATION_NAMES),
    ),
    *cases_for(
        neuron.neuron_forward_augmented,
        {"x": X, "augmented_weights": torch.ones(3), "activation": "tanh"},
        x=bad_tensor((5, 2), tied=(1,)),
        augmented_weights=bad_tensor((3,)),
        activation=bad_name(ACTIVATION_NAMES),
    ),
    # models
    *cases_for(
        models.init_linear_,
        {"layer": nn.Linear(2, 1), "generator": torch.Generator()},
        layer=st.one_of(NOT_NUMBER, st.just(nn.ReLU())),
        generator=st.one_of(NOT_NUMBER, st.integers()),
    ),
    *cases_for(
        models.mlp,
        {"sizes": [2, 3, 1]},
        sizes=BAD_SIZES,
        hidden_activation=bad_name(ACTIVATION_NAMES),
        output_activation=bad_name(ACTIVATION_NAMES),
        bias=BAD_BOOL,
        seed=BAD_SEED,
    ),
    *cases_for(models.perceptron, {}, n_inputs=BAD_POSITIVE_INT, bias=BAD_BOOL, seed=BAD_SEED),
    Case(models.regression_unit, "seed", BAD_SEED),
    *cases_for(models.one_relu_unit, {}, n_inputs=BAD_POSITIVE_INT, seed=BAD_SEED),
    # data
    *[
        case
        for function in (data.gaussian_clusters, data.qwerties)
        for case in cases_for(
            function,
            {"centres": ((0, 0), (1, 1))},
            centres=CENTRES_BAD,
            n_per_cluster=BAD_POSITIVE_INT,
            spread=BAD_POSITIVE_FLOAT,
            seed=BAD_SEED,
        )
    ],
    *cases_for(
        data.regression_data,
        {},
        slope=BAD_FINITE,
        n_points=BAD_POSITIVE_INT,
        noise=st.one_of(BAD_FINITE, st.floats(max_value=-1e-9)),
        seed=BAD_SEED,
    ),
    *cases_for(data.sleep_study, {}, n_students=BAD_POSITIVE_INT, seed=BAD_SEED),
    # losses
    *cases_for(
        losses.mse,
        {"prediction": PROBABILITY, "target": TARGET},
        prediction=bad_tensor((4, 1)),
        target=bad_tensor((4, 1)),
        half=BAD_BOOL,
    ),
    *cases_for(
        losses.binary_cross_entropy,
        {"probability": PROBABILITY, "target": TARGET},
        probability=bad_tensor((4, 1), extra=outside_unit((4, 1))),
        target=bad_tensor((4, 1), extra=outside_unit((4, 1))),
    ),
    *cases_for(
        losses.binary_cross_entropy_with_logits,
        {"logits": PROBABILITY, "target": TARGET},
        logits=bad_tensor((4, 1)),
        target=bad_tensor((4, 1), extra=outside_unit((4, 1))),
    ),
    # gradients
    *[
        case
        for function in (gradients.sigmoid_bce_gradient, gradients.linear_mse_gradient)
        for case in cases_for(
            function,
            {"x": X, "y": Y_FLAT, "weights": WEIGHTS, "bias": 0.0},
            x=bad_tensor((5, 2)),
            y=bad_tensor((5,), ndims={1, 2}),
            weights=bad_tensor((2,)),
            bias=st.one_of(BAD_FINITE, st.just(torch.ones(2))),
        )
    ],
    Case(
        gradients.sigmoid_bce_gradient,
        "y",
        outside_unit((5,)),
        {"x": X, "y": Y_FLAT, "weights": WEIGHTS, "bias": 0.0},
    ),
    Case(
        gradients.linear_mse_gradient,
        "half",
        BAD_BOOL,
        {"x": X, "y": Y_FLAT, "weights": WEIGHTS, "bias": 0.0},
    ),
    *cases_for(
        gradients.two_layer_backward,
        TWO_LAYER,
        x=bad_tensor((5, 2)),
        y=bad_tensor((5, 1), extra=outside_unit((5, 1))),
        w1=bad_tensor((3, 2)),
        b1=bad_tensor((3,)),
        w2=bad_tensor((1, 3)),
        b2=bad_tensor((1,)),
        hidden_activation=bad_name(ACTIVATION_NAMES),
        loss=bad_name(["bce_with_logits", "mse"]),
    ),
    *cases_for(
        gradients.sgd_step,
        {"parameters": [torch.ones(2)], "gradients": [torch.ones(2)], "learning_rate": 0.1},
        parameters=st.one_of(
            NOT_NUMBER,
            st.just(torch.ones(2)),
            st.just([]),
            bad_tensor((2,), tied=(0,)).map(lambda bad: [bad]),
        ),
        gradients=st.one_of(
            NOT_NUMBER,
            st.just([torch.ones(2), torch.ones(2)]),
            bad_tensor((2,), tied=(0,)).map(lambda bad: [bad]),
        ),
        learning_rate=BAD_POSITIVE_FLOAT,
    ),
    # metrics
    *cases_for(
        metrics.accuracy,
        {"prediction": PROBABILITY, "target": TARGET},
        prediction=bad_tensor((4, 1)),
        target=bad_tensor((4, 1), extra=_with_entry((4, 1), st.floats(0.01, 0.99))),
        threshold=BAD_FINITE,
    ),
    *cases_for(
        metrics.pearson_correlation,
        {"prediction": PROBABILITY, "target": TARGET},
        prediction=bad_tensor((4, 1)),
        target=bad_tensor((4, 1)),
    ),
    *cases_for(
        metrics.active_fraction,
        {"model": models.mlp([2, 3, 1]), "x": X},
        model=st.one_of(
            NOT_NUMBER,
            st.just(nn.Linear(2, 1)),
            st.just(nn.Sequential(nn.Linear(2, 1))),
            st.just(nn.Sequential()),
        ),
        x=bad_tensor((5, 2), tied=(1,)),
    ),
    *cases_for(
        metrics.least_squares,
        {"x": Y_FLAT.reshape(5, 1), "y": Y_FLAT.reshape(5, 1)},
        x=bad_tensor((5, 1), ndims={1, 2}, extra=st.just(torch.ones(5, 1))),
        y=bad_tensor((5, 1)),
    ),
    # training
    *cases_for(
        training.train,
        {"model": models.regression_unit(), "x": X1, "y": Y1, "epochs": 1},
        model=st.one_of(
            NOT_NUMBER, st.sampled_from([nn.Sequential(), nn.Linear(3, 1), nn.Linear(1, 2)])
        ),
        x=bad_tensor((4, 1)),
        y=bad_tensor((4, 1), ndims={1, 2}),
        epochs=BAD_POSITIVE_INT,
        loss=bad_name(list(training.LOSSES)),
        learning_rate=BAD_POSITIVE_FLOAT,
        optimizer=st.one_of(bad_name(list(training.OPTIMIZERS)), st.just(lambda _: None)),
        batch_size=st.one_of(
            BAD_POSITIVE_INT.filter(lambda value: value is not None), st.integers(5, 99)
        ),
        seed=BAD_SEED,
        on_divergence=bad_name(["raise", "stop"]),
        progress=BAD_BOOL,
    ),
    *cases_for(
        training.predict,
        {"model": models.regression_unit(), "x": X1},
        model=st.one_of(NOT_NUMBER, st.sampled_from([nn.Sequential(), nn.Linear(3, 1)])),
        x=bad_tensor((4, 1), tied=(1,)),
    ),
    # many runs
    *cases_for(
        trainer.train_many,
        {
            "sizes": (1, 1),
            "x": X1,
            "y": Y1,
            "seeds": (0, 1),
            "learning_rates": 0.1,
            "epochs": 2,
            "loss": "mse",
            "kernel": "torch",
        },
        sizes=st.one_of(BAD_SIZES, st.just((2, 1))),
        x=bad_tensor((4, 1), ndims={2, 3}, extra=st.just(torch.ones(3, 4, 1))),
        y=bad_tensor((4, 1), ndims={2, 3}, extra=st.just(torch.ones(3, 4, 1))),
        seeds=BAD_SEEDS,
        learning_rates=st.one_of(
            BAD_POSITIVE_FLOAT,
            st.sampled_from([[0.1, 0.2, 0.3], [0.1, -1.0], [0.1, NAN], torch.ones(2, 1)]),
        ),
        epochs=BAD_POSITIVE_INT,
        hidden_activation=bad_name(ACTIVATION_NAMES),
        output_activation=bad_name(ACTIVATION_NAMES),
        loss=bad_name(list(losses.GRADIENT_LOSS_NAMES)),
        optimizer=bad_name(list(training.OPTIMIZER_NAMES)),
        checkpoints=st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=3),
            st.sampled_from([[3], [2, 1], [0], [1.5]]),
        ),
        record_every=BAD_POSITIVE_INT,
        device=st.one_of(
            st.none(),
            st.text(max_size=5).filter(lambda text: not text.startswith(("cpu", "cuda", "mps"))),
            st.sampled_from(["cuda:99", "meta", [1]]),
        ),
        progress=BAD_BOOL,
        threads=BAD_POSITIVE_INT.filter(lambda value: value is not None),
        kernel=bad_name(["auto", "fused", "torch"]),
    ),
    *cases_for(
        trainer.initial_parameters,
        {"sizes": (1, 1), "seeds": (0, 1)},
        sizes=BAD_SIZES,
        seeds=BAD_SEEDS,
    ),
    *cases_for(
        experiments.slope_challenge,
        {"slopes": [1.0], "runs": 1, "epochs": 1, "n_points": 3},
        slopes=st.one_of(
            bad_tensor((1,), tied=()).filter(lambda value: value is not None), st.just([])
        ),
        runs=BAD_POSITIVE_INT,
        epochs=BAD_POSITIVE_INT,
        learning_rate=BAD_POSITIVE_FLOAT,
        n_points=BAD_POSITIVE_INT,
        standardize=BAD_BOOL,
        hidden_activation=bad_name(["relu", "identity"]),
        seed=SEED_NOT_INT,
    ),
    *cases_for(
        experiments.learning_rate_sweep,
        {"learning_rates": [0.1], "runs": 1, "epochs": 1},
        learning_rates=st.one_of(
            bad_tensor((1,), tied=()).filter(lambda value: value is not None),
            st.sampled_from([[], [0.0], [-0.1]]),
        ),
        runs=BAD_POSITIVE_INT,
        epochs=BAD_POSITIVE_INT,
        seed=SEED_NOT_INT,
    ),
    *cases_for(
        experiments.multilayer_comparison,
        {"learning_rates": [0.1], "runs": 1, "checkpoints": (1,), "architectures": ((2, 2, 1),)},
        learning_rates=st.one_of(
            bad_tensor((1,), tied=()).filter(lambda value: value is not None),
            st.sampled_from([[], [0.0], [-0.1]]),
        ),
        runs=BAD_POSITIVE_INT,
        checkpoints=st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=3),
            st.just(()),
            st.lists(BAD_POSITIVE_INT, min_size=1, max_size=2),
        ),
        architectures=st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=3),
            st.sampled_from(
                [
                    (),
                    (2, 2, 1),
                    ((2, 1),),
                    ((3, 2, 1),),
                    ((2, 2, 2),),
                    ((2, 0, 1),),
                    ((2, 2, 1), (2,)),
                ]
            ),
        ),
        centres=CENTRES_BAD,
        seed=SEED_NOT_INT,
    ),
    *cases_for(
        statistics.wilson_interval,
        {"successes": torch.tensor([0, 1, 2]), "runs": 2},
        successes=st.one_of(
            NOT_ARRAY,
            st.sampled_from(
                [
                    torch.tensor([0, 3]),
                    torch.tensor([-1]),
                    torch.tensor([0.5]),
                    torch.tensor([NAN]),
                    torch.ones(2, dtype=torch.bool),
                ]
            ),
        ),
        runs=BAD_POSITIVE_INT,
        z=BAD_POSITIVE_FLOAT,
    ),
    *cases_for(
        statistics.trend_test,
        {"hits": torch.tensor([[True, False], [True, True]]), "scores": torch.tensor([0.0, 1.0])},
        hits=st.one_of(
            NOT_ARRAY,
            st.sampled_from(
                [
                    torch.ones(2, 2),  # numbers, not booleans
                    torch.ones(2, dtype=torch.bool),
                    torch.ones(2, 0, dtype=torch.bool),
                    torch.ones(3, 2, dtype=torch.bool),  # three settings, two scores
                    torch.ones(0, 2, dtype=torch.bool),
                ]
            ),
        ),
        scores=st.one_of(
            NOT_ARRAY,
            st.sampled_from(
                [
                    torch.tensor([1.0, 1.0]),  # every setting scored alike
                    torch.tensor([0.0, NAN]),
                    torch.tensor([0.0, 1.0, 2.0]),
                    torch.ones(2, 1),
                    torch.tensor([True, False]),
                ]
            ),
        ),
    ),
    # NaN stays legal in the row statistics: a diverged run's row gives NaN.
    *cases_for(
        statistics.pearson_rows,
        {"a": torch.ones(2, 3), "b": torch.ones(2, 3)},
        a=bad_tensor((2, 3), finite=False),
        b=bad_tensor((2, 3), finite=False),
    ),
    *cases_for(
        statistics.least_squares_rows,
        {"x": torch.ones(2, 3), "y": torch.ones(2, 3)},
        x=bad_tensor((2, 3), finite=False),
        y=bad_tensor((2, 3), finite=False),
    ),
    # plots
    *cases_for(
        points.plot_points,
        {"x": PLANE, "labels": PLANE_LABELS, "ax": AX},
        x=bad_tensor((3, 2)),
        labels=st.one_of(
            NOT_ARRAY, st.sampled_from([[0, 2, 1], [0, 1], torch.ones(3, 2), [0.5, 0, 1]])
        ),
        ax=BAD_AX,
        feature_names=BAD_NAMES,
        class_names=BAD_NAMES,
    ),
    *cases_for(
        curves.plot_losses,
        {"losses": [1.0, 0.5], "ax": AX},
        losses=bad_tensor((2,), tied=()),
        ax=BAD_AX,
        log_y=BAD_BOOL,
    ),
    *cases_for(
        curves.plot_activations,
        {"names": ("relu",), "ax": AX, "resolution": 5},
        names=st.one_of(
            st.none(), st.integers(), st.sampled_from(["relu", (), ("relu", "softmax"), (1,)])
        ),
        ax=BAD_AX,
        z_range=BAD_LIMITS,
        resolution=BAD_POSITIVE_INT,
    ),
    *cases_for(
        surfaces.evaluate_on_grid,
        {"function": lambda x: x[:, 0], "xlim": (0, 1), "ylim": (0, 1), "resolution": 3},
        function=st.one_of(NOT_NUMBER, st.sampled_from(BAD_FUNCTIONS)),
        xlim=BAD_LIMITS,
        ylim=BAD_LIMITS,
        resolution=BAD_POSITIVE_INT,
    ),
    *cases_for(
        surfaces.plot_surface,
        {"function": lambda x: x[:, 0], "ax": AX, "resolution": 3, "levels": 3},
        function=st.one_of(NOT_NUMBER, st.sampled_from(BAD_FUNCTIONS)),
        ax=BAD_AX,
        xlim=BAD_LIMITS,
        ylim=BAD_LIMITS,
        resolution=BAD_POSITIVE_INT,
        levels=BAD_POSITIVE_INT,
        cmap=st.one_of(
            st.integers(),
            st.text(max_size=3).filter(lambda text: text not in matplotlib.colormaps),
            st.just(object()),
        ),
        feature_names=BAD_NAMES,
        # x1 runs from -4 to 4 on the default grid: center must lie strictly inside
        center=st.one_of(
            st.sampled_from([NAN, INF, -INF, "0", True, [0.0]]),
            st.floats(max_value=-4.0),
            st.floats(min_value=4.0),
        ),
    ),
    *cases_for(
        surfaces.plot_decision_boundary,
        {
            "model": lambda x: x[:, 0] - 0.5,
            "x": PLANE,
            "labels": PLANE_LABELS,
            "ax": AX,
            "resolution": 3,
        },
        model=st.one_of(NOT_NUMBER, st.sampled_from(BAD_FUNCTIONS)),
        x=bad_tensor((3, 2)),
        labels=st.one_of(NOT_ARRAY, st.sampled_from([[0, 2, 1], [0, 1], torch.ones(3, 2)])),
        ax=BAD_AX,
        output=bad_name(["logit", "probability"]),
        resolution=BAD_POSITIVE_INT,
        feature_names=BAD_NAMES,
        class_names=BAD_NAMES,
    ),
    *cases_for(
        experiment_plots.plot_slope_challenge,
        {"result": SLOPES, "ax": AX},
        result=st.one_of(NOT_NUMBER, st.just(SWEEP)),
        quantity=bad_name(["loss", "correlation"]),
        ax=BAD_AX,
    ),
    *[
        case
        for function in (
            experiment_plots.plot_success_rate,
            experiment_plots.plot_active_fractions,
        )
        for case in cases_for(
            function,
            {"result": SWEEP, "ax": AX},
            result=st.one_of(NOT_NUMBER, st.just(SLOPES)),
            threshold=BAD_THRESHOLD,
            ax=BAD_AX,
        )
    ],
    *cases_for(
        experiment_plots.plot_failure_rates,
        {"results": (SWEEP,), "ax": AX},
        results=st.one_of(NOT_NUMBER, st.sampled_from([(), SWEEP, (SWEEP, SLOPES)])),
        threshold=BAD_THRESHOLD,
        ax=BAD_AX,
    ),
    *cases_for(
        diagrams.draw_perceptron,
        {"ax": AX},
        ax=BAD_AX,
        n_inputs=BAD_POSITIVE_INT,
        bias=BAD_BOOL,
        activation=BAD_TEXT,
    ),
    *cases_for(
        diagrams.draw_network,
        {"layer_sizes": [2, 3, 1], "ax": AX},
        layer_sizes=BAD_SIZES,
        ax=BAD_AX,
        activations=bad_labels(2),
        layer_names=bad_labels(3),
        unit_labels=bad_labels(3),
    ),
    Case(
        colors.class_color,
        "label",
        st.one_of(
            st.none(),
            st.text(max_size=2),
            st.booleans(),
            st.integers().filter(lambda value: value not in (0, 1)),
            st.floats().filter(lambda value: value not in (0, 1)),
            st.sampled_from([[1], torch.ones(2)]),
        ),
        {"label": 0},
    ),
    # the results' methods that take arguments
    Case(
        MANY.model,
        "run",
        st.one_of(NOT_NUMBER, st.integers().filter(lambda run: run not in (0, 1))),
        {"run": 1},
    ),
    Case(SLOPES.mean_correlation, "nan_as_zero", BAD_BOOL),
    *cases_for(SWEEP.success_rate, {}, threshold=BAD_THRESHOLD, per_rate=BAD_BOOL),
]


@pytest.mark.parametrize("case", CASES, ids=str)
@settings(max_examples=30, deadline=None)
@given(draw=st.data())
def test_bad_input_raises_a_named_type_or_value_error(case: Case, draw: st.DataObject) -> None:
    bad = draw.draw(case.bad, label=case.argument)
    arguments = {**case.good, case.argument: bad}
    try:
        result = case.function(**arguments)
    except (TypeError, ValueError) as error:
        name = re.escape(case.expected_name)
        assert re.search(rf"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])", str(error)), (
            f"{case}: the message does not name {case.expected_name!r}: {error}"
        )
    else:
        pytest.fail(f"{case}: accepted the bad value {bad!r} and returned {result!r}")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_good_values_are_accepted(case: Case) -> None:
    # Guards the fuzz above: each case fails only because of its one bad argument.
    case.function(**case.good)


def public_modules() -> list[ModuleType]:
    """Every module of annlab whose dotted path has no component starting with ``_``."""
    found = pkgutil.walk_packages(annlab.__path__, "annlab.")
    names = sorted(info.name for info in found)
    public = [name for name in names if not any(part.startswith("_") for part in name.split("."))]
    return [importlib.import_module(name) for name in public]


MODULES = public_modules()


def test_the_walk_finds_the_subpackages_modules() -> None:
    # Guards the guard below: a walk that found nothing would check nothing.
    names = {module.__name__ for module in MODULES}
    expected = {
        "annlab.seeding",
        "annlab.training",
        "annlab.by_hand.neuron",
        "annlab.many_runs.trainer",
        "annlab.many_runs.statistics",
        "annlab.plots.surfaces",
        "annlab.plots.colors",
    }
    assert expected <= names
    assert not any("._" in name for name in names)


def _fuzzed(module: ModuleType) -> set[str]:
    return {
        case.function.__name__ for case in CASES if case.function.__module__ == module.__name__
    }


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_every_public_function_is_fuzzed(module: ModuleType) -> None:
    public = {
        name
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }
    assert public - _fuzzed(module) == set()


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_every_validating_dataclass_is_fuzzed(module: ModuleType) -> None:
    # Plain records (results) have nothing to fuzz; a dataclass that checks its
    # fields in __post_init__ is a door like any function.
    validating = {
        name
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
        and not name.startswith("_")
        and dataclasses.is_dataclass(cls)
        and hasattr(cls, "__post_init__")
    }
    assert validating - _fuzzed(module) == set()


def test_nan_propagates_through_activations_rather_than_raising() -> None:
    for name in ACTIVATION_NAMES:
        function, derivative = activations.get_activation(name)
        assert math.isnan(float(function(torch.tensor(NAN))))
        assert math.isnan(float(derivative(torch.tensor(NAN)))) or name in ("relu", "identity")


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activations_and_derivatives_accept_array_likes(name: str) -> None:
    # check_tensor accepts lists, so every activation must too (σ′ once negated a raw list).
    function, derivative = activations.get_activation(name)
    z = [-1.0, 0.0, 2.0]
    assert torch.equal(function(z), function(torch.tensor(z)))
    assert torch.equal(derivative(z), derivative(torch.tensor(z)))
