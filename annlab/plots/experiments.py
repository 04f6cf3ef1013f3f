"""Figures of the many-run experiments: bands over runs, not single lucky runs.

Each helper draws on ``ax`` (the current axes if None), labels its axes and
returns the ``Axes``; colours come from :mod:`annlab.plots.colors`. The titles say
how many runs stand behind every point.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import torch

from annlab._checks import check_choice, check_real
from annlab.many_runs.experiments import ClassifierRuns, SlopeChallenge
from annlab.plots._checks import check_axes, check_instance
from annlab.plots.colors import COLORS, ERROR_COLOR, SEQUENCE


def plot_slope_challenge(result: SlopeChallenge, quantity: str = "loss", ax: Any = None) -> Any:
    """Median and 10–90% band over runs of the final loss or the correlation, per slope.

    For ``"loss"`` the least-squares line's loss is drawn too, dashed: the
    best a straight line does on the same data.

    Examples
    --------
    >>> from annlab.many_runs.experiments import slope_challenge
    >>> fig, ax = plt.subplots()
    >>> ax = plot_slope_challenge(slope_challenge([-1.0, 1.0], runs=3, epochs=20), ax=ax)
    >>> ax.get_xlabel()
    'slope m of the data'
    >>> plt.close(fig)
    """
    check_instance(result, "result", SlopeChallenge)
    check_choice(quantity, "quantity", ["loss", "correlation"])
    ax = check_axes(ax)
    ax = ax if ax is not None else plt.gca()
    values = result.final_loss if quantity == "loss" else result.correlation
    low, mid, high = torch.nanquantile(values, torch.tensor([0.1, 0.5, 0.9]), dim=1)
    slopes = result.slopes.numpy()
    label = "1-1-1 network" + (" (ReLU)" if result.hidden_activation == "relu" else " (no ReLU)")
    ax.fill_between(slopes, low.numpy(), high.numpy(), color=COLORS["blue"], alpha=0.25)
    ax.plot(slopes, mid.numpy(), marker="o", color=COLORS["blue"], label=f"{label}, median")
    if quantity == "loss":
        best = result.least_squares_loss.median(1).values
        ax.plot(slopes, best.numpy(), "--", color=COLORS["orange"], label="least-squares line")
        unit = "standardized y" if result.standardize else "y units²"
        ax.set_ylabel(f"final loss (MSE, {unit})")
    else:
        ax.set_ylabel("correlation of prediction and y")
    ax.set_xlabel("slope m of the data")
    ax.set_title(f"{result.runs} runs per slope; band: 10–90% of runs")
    ax.legend()
    return ax


def plot_success_rate(
    result: ClassifierRuns, threshold: float = 0.9, ax: Any = None, *, label: str | None = None
) -> Any:
    """Fraction of runs reaching the accuracy threshold, per learning rate, with its interval.

    One line per checkpoint (one for a plain sweep), with a 95% Wilson band.

    Examples
    --------
    >>> from annlab.many_runs.experiments import learning_rate_sweep
    >>> fig, ax = plt.subplots()
    >>> ax = plot_success_rate(learning_rate_sweep([0.01, 0.1], runs=3, epochs=20), ax=ax)
    >>> ax.get_ylabel()
    'fraction of runs with accuracy ≥ 90%'
    >>> plt.close(fig)
    """
    check_instance(result, "result", ClassifierRuns)
    estimate = result.success_rate(threshold)
    ax = check_axes(ax)
    ax = ax if ax is not None else plt.gca()
    rates = result.learning_rates.numpy()
    name = label if label is not None else "-".join(str(n) for n in result.sizes)
    for i, epoch in enumerate(result.checkpoints):
        color = SEQUENCE[i % len(SEQUENCE)]
        low, high = estimate.low[i].numpy(), estimate.high[i].numpy()
        ax.fill_between(rates, low, high, color=color, alpha=0.2)
        ax.plot(
            rates,
            estimate.rate[i].numpy(),
            marker="o",
            color=color,
            label=f"{name}, {epoch} epochs",
        )
    ax.set_xlabel("learning rate")
    ax.set_ylabel(f"fraction of runs with accuracy ≥ {threshold:.0%}")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(f"{result.runs} runs per learning rate; band: 95% Wilson interval")
    ax.legend()
    return ax


def plot_active_fractions(result: ClassifierRuns, threshold: float = 0.9, ax: Any = None) -> Any:
    """Each run's last-hidden-layer activity at the start against the end, by success.

    A run whose hidden unit ends active on almost no point has (almost) no
    gradient left to learn with: the points gather at the bottom.

    Examples
    --------
    >>> from annlab.many_runs.experiments import learning_rate_sweep
    >>> fig, ax = plt.subplots()
    >>> ax = plot_active_fractions(learning_rate_sweep([0.05], runs=4, epochs=20), ax=ax)
    >>> ax.get_xlabel()
    'fraction of points where the hidden unit is active, start'
    >>> plt.close(fig)
    """
    check_instance(result, "result", ClassifierRuns)
    threshold = check_real(threshold, "threshold", minimum=0, maximum=1)
    ax = check_axes(ax)
    ax = ax if ax is not None else plt.gca()
    success = (result.accuracy[-1] >= threshold).reshape(-1)
    start, end = result.active_start.reshape(-1), result.active[-1].reshape(-1)
    for mask, color, marker, name in [
        (success, COLORS["blue"], "o", f"accuracy ≥ {threshold:.0%}"),
        (~success, ERROR_COLOR, "x", f"accuracy < {threshold:.0%}"),
    ]:
        ax.scatter(
            start[mask].numpy(),
            end[mask].numpy(),
            color=color,
            marker=marker,
            alpha=0.6,
            label=f"{name} ({int(mask.sum())} runs)",
        )
    ax.set_xlabel("fraction of points where the hidden unit is active, start")
    ax.set_ylabel(f"… after {result.checkpoints[-1]} epochs")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.legend()
    return ax


def plot_failure_rates(
    results: tuple[ClassifierRuns, ...], threshold: float = 0.9, ax: Any = None
) -> Any:
    """Fraction of failed runs (all learning rates pooled) against the epoch budget.

    One line per architecture, with 95% Wilson intervals as error bars.

    Examples
    --------
    >>> from annlab.many_runs.experiments import multilayer_comparison
    >>> fig, ax = plt.subplots()
    >>> runs = multilayer_comparison([0.05], runs=3, checkpoints=(10, 20))
    >>> plot_failure_rates(runs, ax=ax).get_legend_handles_labels()[1]
    ['2-16-1-1 (3 runs)', '2-16-1 (3 runs)']
    >>> plt.close(fig)
    """
    if isinstance(results, ClassifierRuns) or not isinstance(results, tuple | list) or not results:
        raise TypeError(
            "results must be a tuple of ClassifierRuns (what multilayer_comparison returns); "
            f"got {type(results).__name__}"
        )
    for i, result in enumerate(results):
        check_instance(result, f"results[{i}]", ClassifierRuns)
    estimates = [result.success_rate(threshold, per_rate=False) for result in results]
    ax = check_axes(ax)
    ax = ax if ax is not None else plt.gca()
    for i, (result, success) in enumerate(zip(results, estimates, strict=True)):
        failure = 1 - success.rate
        errors = torch.stack([failure - (1 - success.high), (1 - success.low) - failure])
        name = "-".join(str(n) for n in result.sizes)
        ax.errorbar(
            list(result.checkpoints),
            failure.numpy(),
            yerr=errors.numpy(),
            marker="o",
            capsize=4,
            color=SEQUENCE[i % len(SEQUENCE)],
            label=f"{name} ({success.runs} runs)",
        )
    ax.set_xlabel("training budget (epochs)")
    ax.set_ylabel(f"fraction of runs with accuracy < {threshold:.0%}")
    ax.set_ylim(bottom=0)
    ax.legend()
    return ax
