"""The many-run experiments, on tiny sizes: numbers a page can trust and print."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest
import torch

from annlab.data import qwerties, regression_data
from annlab.many_runs.experiments import (
    learning_rate_sweep,
    multilayer_comparison,
    slope_challenge,
)
from annlab.many_runs.statistics import (
    least_squares_rows,
    pearson_rows,
    trend_test,
    wilson_interval,
)
from annlab.metrics import least_squares, pearson_correlation
from annlab.models import mlp
from annlab.plots.experiments import (
    plot_active_fractions,
    plot_failure_rates,
    plot_slope_challenge,
    plot_success_rate,
)
from annlab.training import train

pytestmark = pytest.mark.usefixtures("one_thread")


def test_wilson_interval_known_values():
    estimate = wilson_interval(torch.tensor([0, 5, 10]), runs=10)
    assert estimate.runs == 10
    assert float(estimate.high[0]) == pytest.approx(0.2775, abs=1e-4)
    assert float(estimate.low[1]) == pytest.approx(0.2366, abs=1e-4)
    assert float(estimate.high[1]) == pytest.approx(0.7634, abs=1e-4)
    assert float(estimate.low[0]) == 0.0 and float(estimate.high[2]) == 1.0


def test_row_statistics_agree_with_metrics():
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(4, 30, generator=g), torch.randn(4, 30, generator=g)
    y = y + 2 * x
    r = pearson_rows(x.double(), y.double())
    mse = least_squares_rows(x, y)
    for i in range(4):
        assert float(r[i]) == pytest.approx(pearson_correlation(x[i], y[i]).value, abs=1e-9)
        assert float(mse[i]) == pytest.approx(least_squares(x[i], y[i]).mse, rel=1e-5)


def test_slope_challenge_runs_are_reproducible_one_by_one():
    result = slope_challenge([-1.0, 0.0, 2.0], runs=4, epochs=60)
    assert result.final_loss.shape == (3, 4) and result.runs == 4
    nans = torch.isnan(result.correlation).sum(1)
    assert torch.equal(nans, result.constant_predictions)
    # run i = s * runs + r: data seed 2i, weight seed 2i + 1; check slope 2.0, run 1 (i = 9)
    x, y = regression_data(2.0, n_points=50, seed=18)
    single = train(mlp([1, 1, 1], seed=19), x, y, epochs=60, loss="mse", learning_rate=0.01)
    final = torch.nn.functional.mse_loss(single.model(x), y).detach()
    assert float(result.final_loss[2, 1]) == pytest.approx(float(final), abs=1e-5)
    with_zeros = result.mean_correlation(nan_as_zero=True)
    assert with_zeros.shape == (3,)
    assert bool((result.final_loss >= result.least_squares_loss - 1e-5).all())


def test_slope_challenge_standardized_and_without_relu():
    standard = slope_challenge([0.0, 2.0], runs=3, epochs=50, standardize=True)
    # standardized y has variance ~1: the best line leaves at most all of it
    assert bool((standard.least_squares_loss <= 1.0).all())
    linear = slope_challenge([0.0, 2.0], runs=3, epochs=50, hidden_activation="identity")
    assert int(linear.constant_predictions.sum()) == 0
    with pytest.raises(ValueError, match="hidden_activation"):
        slope_challenge([1.0], runs=2, epochs=5, hidden_activation="tanh")
    with pytest.raises(ValueError, match="runs"):
        slope_challenge([1.0], runs=0, epochs=5)


def test_learning_rate_sweep_matches_a_single_run():
    sweep = learning_rate_sweep([0.01, 0.08], runs=3, epochs=80)
    assert sweep.accuracy.shape == (1, 2, 3) and sweep.checkpoints == (80,)
    assert sweep.active_start.shape == sweep.final_loss.shape == (2, 3)
    # rate 0.08, run 2 is run i = 5: weights from seed 6, data qwerties(seed=0)
    x, y = qwerties(seed=0)
    single = train(
        mlp([2, 1, 1], seed=6), x, y, epochs=80, loss="bce_with_logits", learning_rate=0.08
    )
    logits = single.model(x)
    accuracy = ((torch.sigmoid(logits) > 0.5) == (y > 0.5)).float().mean()
    assert float(sweep.accuracy[0, 1, 2]) == pytest.approx(float(accuracy))
    active = (single.model[:2](x) > 0).float().mean()
    assert float(sweep.active[0, 1, 2]) == pytest.approx(float(active))
    z = logits.detach()[:, 0]
    assert sweep.largest_logit.shape == (1, 2, 3)
    assert float(sweep.largest_logit[0, 1, 2]) == pytest.approx(float(z.abs().max()))
    wrong = (z > 0) != (y.reshape(-1) > 0.5)
    largest_wrong = float(z.abs()[wrong].max()) if wrong.any() else 0.0
    assert float(sweep.largest_wrong_logit[0, 1, 2]) == pytest.approx(largest_wrong)
    rate = sweep.success_rate(0.9)
    assert rate.rate.shape == (1, 2) and rate.runs == 3
    assert sweep.success_rate(0.9, per_rate=False).runs == 6


def test_multilayer_comparison_checkpoints():
    deep, wide = multilayer_comparison([0.02, 0.05], runs=2, checkpoints=(30, 10, 20))
    assert deep.checkpoints == (10, 20, 30) and deep.sizes == (2, 16, 1, 1)
    assert deep.accuracy.shape == (3, 2, 2) and wide.active.shape == (3, 2, 2)
    failure = 1 - deep.success_rate(per_rate=False).rate
    assert failure.shape == (3,) and bool(((failure >= 0) & (failure <= 1)).all())
    with pytest.raises(ValueError, match="checkpoints"):
        multilayer_comparison([0.02], runs=2, checkpoints=())


def test_plots_label_their_axes():
    slopes = slope_challenge([0.0, 1.0], runs=3, epochs=10)
    sweep = learning_rate_sweep([0.01, 0.05], runs=3, epochs=10)
    fig, axes = plt.subplots(1, 5)
    plot_slope_challenge(slopes, ax=axes[0])
    plot_slope_challenge(slopes, "correlation", ax=axes[1])
    plot_success_rate(sweep, ax=axes[2])
    plot_active_fractions(sweep, ax=axes[3])
    plot_failure_rates(multilayer_comparison([0.05], runs=2, checkpoints=(5,)), ax=axes[4])
    for ax in axes:
        assert ax.get_xlabel() and ax.get_ylabel()
    assert "3 runs" in axes[0].get_title()
    plt.close(fig)
    assert not math.isnan(float(slopes.final_loss.mean()))


@pytest.mark.parametrize(
    ("experiment", "change", "error", "name"),
    [
        # Each used to blame another name, crash with a bare TypeError or IndexError, or pass.
        (slope_challenge, {"learning_rate": 0.0}, ValueError, "learning_rate must"),
        (slope_challenge, {"standardize": "no"}, TypeError, "standardize"),
        (slope_challenge, {"seed": None}, TypeError, "seed"),
        (learning_rate_sweep, {"learning_rates": "fast"}, TypeError, "learning_rates"),
        (learning_rate_sweep, {"epochs": [1]}, TypeError, "epochs"),
        (learning_rate_sweep, {"seed": torch.Generator()}, TypeError, "seed"),
        (multilayer_comparison, {"checkpoints": 5}, TypeError, "checkpoints"),
        (multilayer_comparison, {"architectures": ((2, 1),)}, ValueError, "architectures"),
        (multilayer_comparison, {"architectures": ((3, 2, 1),)}, ValueError, "architectures"),
    ],
)
def test_experiments_name_the_bad_argument(experiment, change, error, name):  # type: ignore[no-untyped-def]
    smallest = {
        slope_challenge: {"slopes": [1.0], "runs": 1, "epochs": 1, "n_points": 3},
        learning_rate_sweep: {"learning_rates": [0.1], "runs": 1, "epochs": 1},
        multilayer_comparison: {"learning_rates": [0.1], "runs": 1, "checkpoints": (1,)},
    }
    with pytest.raises(error, match=name):
        experiment(**{**smallest[experiment], **change})


@pytest.mark.parametrize(
    ("successes", "z", "name"),
    [
        (torch.tensor([0, 3]), 1.96, "successes"),  # above runs: used to give a NaN interval
        (torch.tensor([-1]), 1.96, "successes"),
        (torch.tensor([0.5]), 1.96, "successes"),
        ([0, 1], 1.96, None),  # a list used to crash on .to()
        (torch.tensor([1]), -1.96, "z"),  # used to swap low and high
    ],
)
def test_wilson_interval_checks_counts_and_z(successes, z, name):  # type: ignore[no-untyped-def]
    if name is None:
        assert wilson_interval(successes, runs=2).rate.tolist() == [0.0, 0.5]
        return
    with pytest.raises(ValueError, match=name):
        wilson_interval(successes, runs=2, z=z)


@pytest.mark.parametrize("function", [pearson_rows, least_squares_rows])
def test_row_statistics_refuse_tables_of_different_shapes(function):  # type: ignore[no-untyped-def]
    # (2, 3) against (3,) used to broadcast into a result without a word.
    with pytest.raises(ValueError, match="same shape"):
        function(torch.rand(2, 3), torch.rand(3))
    with pytest.raises(ValueError, match="2 dimensions"):
        function(torch.rand(3), torch.rand(3))


def test_row_statistics_let_nan_through():
    # A diverged run's row holds NaN: its statistic is NaN, the other rows are unharmed.
    a = torch.tensor([[1.0, 2.0, 3.0], [1.0, float("nan"), 3.0]])
    r = pearson_rows(a, a)
    assert float(r[0]) == pytest.approx(1.0) and math.isnan(float(r[1]))


def test_experiment_plots_check_result_and_threshold():
    # None used to fail with an AttributeError, a NaN threshold drew 0% success, and one
    # result where a tuple was expected gave "'ClassifierRuns' object is not iterable".
    sweep = learning_rate_sweep([0.1], runs=2, epochs=2)
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="result must be a SlopeChallenge"):
        plot_slope_challenge(None, ax=ax)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="threshold"):
        plot_success_rate(sweep, float("nan"), ax=ax)
    with pytest.raises(ValueError, match="threshold"):
        plot_active_fractions(sweep, 90, ax=ax)
    with pytest.raises(TypeError, match="results must be a tuple"):
        plot_failure_rates(sweep, ax=ax)  # type: ignore[arg-type]
    plt.close(fig)


def test_trend_test_matches_the_formula_written_out_by_hand() -> None:
    # 3 settings of 4 runs: 0, 2 and 4 hits, scores 0, 1, 2.
    hits = torch.tensor([[0, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 1]], dtype=torch.bool)
    result = trend_test(hits, torch.tensor([0.0, 1.0, 2.0]))
    # p-bar = 6/12, s - s-bar = (-1, 0, 1), numerator 4, variance 0.25 * 4 * 2 = 2.
    assert math.isclose(result.z, 4 / math.sqrt(2), rel_tol=1e-12)
    assert math.isclose(result.p, math.erfc(2.0), rel_tol=1e-12)
    falling = trend_test(hits.flip(0), torch.tensor([0.0, 1.0, 2.0]))
    assert math.isclose(falling.z, -result.z, rel_tol=1e-12)


def test_trend_test_p_is_about_uniform_when_there_is_no_trend() -> None:
    # 4000 experiments of 5 settings x 40 runs, every run a hit with chance 0.3:
    # a p below 0.05 should come up in about 5% of them (binomial sd 0.34%).
    generator = torch.Generator().manual_seed(0)
    tables = torch.rand(4000, 5, 40, generator=generator) < 0.3
    scores = torch.arange(5.0)
    p = torch.tensor([trend_test(table, scores).p for table in tables])
    assert 0.035 < float((p < 0.05).double().mean()) < 0.065
    assert 0.45 < float(p.median()) < 0.55


def test_trend_test_is_undefined_when_nothing_varies() -> None:
    none = trend_test(torch.zeros(3, 5, dtype=torch.bool), torch.arange(3.0))
    every = trend_test(torch.ones(3, 5, dtype=torch.bool), torch.arange(3.0))
    assert all(math.isnan(v) for v in (none.z, none.p, every.z, every.p))
