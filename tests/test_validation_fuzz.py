"""Bad inputs at every public function: only TypeError or ValueError, naming the argument.

Each case takes one function, good values for all its arguments, and a
hypothesis strategy of bad values for one of them. A call that succeeds, or
fails with any other exception (an IndexError from deep inside torch, say), or
with a message that does not name the argument, fails the test.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from annlab import _checks, data, metrics, models, seeding
from annlab.by_hand import activations, gradients, losses, neuron

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
) -> Strategy:
    """Bad values for a finite float tensor of ``shape``.

    ``ndims`` are the accepted numbers of dimensions (default: only ``shape``'s);
    ``tied`` the dimensions whose size another argument fixes (default: all).
    """
    ndims = {len(shape)} if ndims is None else ndims
    tied = tuple(range(len(shape))) if tied is None else tied
    options = [
        NOT_ARRAY,
        st.just(torch.ones(shape, dtype=torch.bool)),
        st.just(torch.ones(shape, dtype=torch.complex64)),
        _with_entry(shape, st.sampled_from([NAN, INF, -INF])),
        _shapes_other_than(shape, ndims, tied).map(lambda s: torch.full(s, 0.5)),
    ]
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


def cases_for(function: Callable[..., Any], good: dict[str, Any], **bad: Strategy) -> list[Case]:
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
        {"prediction": torch.ones(3, 1), "prediction_name": "prediction",
         "target": torch.ones(3, 1), "target_name": "target"},
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
        sizes=st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=3),
            st.lists(st.integers(1, 3), max_size=1),
            st.lists(BAD_POSITIVE_INT, min_size=1, max_size=2).map(lambda bad: [2, *bad]),
        ),
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


MODULES: list[ModuleType] = [
    seeding,
    activations,
    neuron,
    models,
    data,
    losses,
    gradients,
    metrics,
]


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_every_public_function_is_fuzzed(module: ModuleType) -> None:
    public = {
        name
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }
    fuzzed = {
        case.function.__name__ for case in CASES if case.function.__module__ == module.__name__
    }
    assert public - fuzzed == set()


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
