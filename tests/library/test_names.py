"""Each list of names lives in one place; every table keyed by those names covers them.

The activations are :data:`annlab.by_hand.activations.ActivationName`, the losses
:data:`annlab.by_hand.losses.LossName` (and the ones with a hand-written gradient,
``GradientLossName``), the optimizers :data:`annlab.training.OptimizerName`. Adding a
name there makes these tests list every table that still lacks it.
"""

from __future__ import annotations

import pytest

from annlab import models, training
from annlab.by_hand import activations, losses
from annlab.many_runs import _math, _spec
from annlab.plots import curves

ACTIVATION_TABLES = {
    "by_hand.activations.ACTIVATIONS": activations.ACTIVATIONS,
    "models._MODULES": models._MODULES,
    "many_runs._math._ACTIVATE": _math._ACTIVATE,
    "many_runs._math._TIMES_SLOPE": _math._TIMES_SLOPE,
    "plots.curves._CURVE_LABELS": curves._CURVE_LABELS,
}


@pytest.mark.parametrize("table", ACTIVATION_TABLES)
def test_every_activation_table_has_every_name(table: str) -> None:
    assert tuple(ACTIVATION_TABLES[table]) == activations.ACTIVATION_NAMES


def test_loss_and_optimizer_tables_have_every_name() -> None:
    assert tuple(training.LOSSES) == losses.LOSS_NAMES
    assert set(losses.GRADIENT_LOSS_NAMES) <= set(losses.LOSS_NAMES)
    assert tuple(training.OPTIMIZERS) == training.OPTIMIZER_NAMES


def test_the_fused_kernel_has_a_code_for_every_name() -> None:
    pytest.importorskip("numba", reason="the fused kernel needs numba (pip install annlab[fast])")
    from annlab.many_runs import _numba_kernel as kernel

    assert tuple(kernel.ACTIVATION_CODES) == activations.ACTIVATION_NAMES
    assert tuple(kernel.LOSS_CODES) == losses.GRADIENT_LOSS_NAMES
    # The kernel's tests of "identity or ReLU" are `code <= RELU`.
    assert {kernel.IDENTITY, kernel.RELU} == {0, 1}


def test_the_trainer_takes_the_shared_names() -> None:
    assert _spec.KERNELS == ("auto", "fused", "torch")
    with pytest.raises(ValueError, match="optimizer must be one of 'sgd', 'adam'"):
        _spec.check_choice("rmsprop", "optimizer", training.OPTIMIZER_NAMES)
