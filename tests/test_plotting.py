"""Tests for the plotting helpers: they draw on the given Axes, label it and refuse NaN."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from torch import nn

from annlab.plots.colors import CLASS_COLORS, ERROR_COLOR, SEQUENCE, class_color
from annlab.plots.curves import plot_activations, plot_losses
from annlab.plots.points import plot_points
from annlab.plots.surfaces import evaluate_on_grid, plot_decision_boundary, plot_surface


@pytest.fixture
def ax() -> Iterator[Axes]:
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def vertical_boundary(output: str = "logit") -> nn.Module:
    """A perceptron whose boundary is the line x₁ = 0: class 1 on the right."""
    model = nn.Sequential(nn.Linear(2, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[4.0, 0.0]]))
        model[0].bias.zero_()
    return nn.Sequential(model, nn.Sigmoid()) if output == "probability" else model


POINTS = torch.tensor([[-2.0, 0.0], [-1.0, 1.0], [1.0, 0.0], [2.0, 1.0], [-1.5, -1.0]])
LABELS = torch.tensor([0, 1, 1, 0, 0])  # rows 1 and 3 are on the wrong side of x₁ = 0


def labelled(ax: Axes) -> bool:
    return bool(ax.get_xlabel().strip()) and bool(ax.get_ylabel().strip())


def test_plot_points_uses_class_colours_and_shapes(ax: Axes) -> None:
    assert plot_points(POINTS, LABELS, ax=ax) is ax
    assert labelled(ax)
    first, second = ax.collections
    assert to_hex(first.get_facecolor()[0]) == CLASS_COLORS[0].lower()
    assert to_hex(second.get_facecolor()[0]) == CLASS_COLORS[1].lower()
    assert len(first.get_offsets()) == 3 and len(second.get_offsets()) == 2
    assert first.get_paths()[0] != second.get_paths()[0]  # different marker shapes
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]


def test_plot_points_draws_on_the_current_axes_when_none_is_given() -> None:
    fig, ax = plt.subplots()
    assert plot_points(POINTS, LABELS) is ax
    assert len(fig.axes) == 1


@pytest.mark.parametrize(
    ("x", "labels", "message"),
    [
        (POINTS[:, :1], LABELS, "x must have 2 columns"),
        (POINTS, LABELS[:4], "same number of rows"),
        (POINTS, LABELS + 1, "labels must be 0 or 1"),
        (POINTS, torch.zeros(5, 2), r"labels must have shape \(n,\)"),
    ],
)
def test_plot_points_refuses_bad_input(
    ax: Axes, x: torch.Tensor, labels: torch.Tensor, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        plot_points(x, labels, ax=ax)


@pytest.mark.parametrize("output", ["logit", "probability"])
def test_decision_boundary_counts_the_misclassified_points(ax: Axes, output: str) -> None:
    result = plot_decision_boundary(
        vertical_boundary(output), POINTS, LABELS, ax=ax, output=output
    )
    assert result is ax and labelled(ax)
    crosses = ax.collections[-1]
    assert sorted(crosses.get_offsets().tolist()) == [[-1.0, 1.0], [2.0, 1.0]]
    assert to_hex(crosses.get_edgecolor()[0]) == ERROR_COLOR.lower()
    assert "misclassified (2)" in ax.get_legend_handles_labels()[1]
    assert "decision boundary" in ax.get_legend_handles_labels()[1]


def test_decision_boundary_with_no_mistakes_says_zero(ax: Axes) -> None:
    plot_decision_boundary(vertical_boundary(), POINTS, (POINTS[:, 0] > 0).long(), ax=ax)
    assert "misclassified (0)" in ax.get_legend_handles_labels()[1]


def test_decision_boundary_refuses_logits_called_probabilities(ax: Axes) -> None:
    with pytest.raises(ValueError, match="output='logit'"):
        plot_decision_boundary(vertical_boundary(), POINTS, LABELS, ax=ax, output="probability")
    with pytest.raises(ValueError, match="output"):
        plot_decision_boundary(vertical_boundary(), POINTS, LABELS, ax=ax, output="class")


def test_decision_boundary_works_with_a_plain_function(ax: Axes) -> None:
    plot_decision_boundary(lambda x: x[:, 1] - 0.5, POINTS, LABELS, ax=ax)
    # Class 1 above x₂ = 0.5: rows 2 (below, labelled 1) and 3 (above, labelled 0) are wrong.
    assert "misclassified (2)" in ax.get_legend_handles_labels()[1]


def test_plot_surface_draws_filled_contours_and_a_labelled_colorbar(ax: Axes) -> None:
    result = plot_surface(
        lambda x: torch.sigmoid(1 - 2 * x[:, 0] + x[:, 1]),
        ax=ax,
        colorbar_label="y = σ(1 − 2x₁ + x₂)",
        feature_names=("x₁", "x₂"),
    )
    assert result is ax and labelled(ax)
    assert len(ax.collections) >= 1
    colorbar_ax = ax.figure.axes[1]
    assert colorbar_ax.get_ylabel() == "y = σ(1 − 2x₁ + x₂)"


def test_plot_surface_of_a_model(ax: Axes) -> None:
    plot_surface(vertical_boundary("probability"), ax=ax, xlim=(0, 10), ylim=(-1, 1))
    assert ax.get_xlim() == (0.0, 10.0)


def test_plot_surface_centres_a_diverging_map_on_the_value_asked(ax: Axes) -> None:
    plot_surface(lambda x: x[:, 0] + 3, ax=ax, center=0.0, cmap="RdBu_r")  # 3 ± 4
    norm = ax.collections[0].norm
    assert norm.vcenter == 0.0 and norm.vmin == pytest.approx(-1.0)
    assert norm.vmax == pytest.approx(7.0)
    with pytest.raises(ValueError, match="center must lie strictly between"):
        plot_surface(lambda x: x[:, 0] + 10, ax=ax, center=0.0)


def test_evaluate_on_grid_matches_the_function_pointwise() -> None:
    x1, x2, values = evaluate_on_grid(lambda x: x[:, 0] * 10 + x[:, 1], (0, 3), (0, 1), 4)
    assert torch.equal(values, x1 * 10 + x2)


@pytest.mark.parametrize(
    ("function", "change", "message"),
    [
        (lambda x: x, {}, "m numbers"),
        (lambda x: 1 / x[:, 0], {"xlim": (-1, 1), "resolution": 3}, "NaN or inf"),
        (lambda x: x[:, 0], {"xlim": (1, 0)}, "xlim"),
        (lambda x: x[:, 0], {"ylim": (0, 1, 2)}, "ylim"),
        (lambda x: x[:, 0], {"resolution": 0}, "resolution"),
        ("not a function", {}, "function"),
    ],
)
def test_plot_surface_refuses_bad_input(
    ax: Axes, function: object, change: dict[str, object], message: str
) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        plot_surface(function, ax=ax, **change)  # type: ignore[arg-type]


def test_plot_losses_against_epochs_from_one(ax: Axes) -> None:
    assert plot_losses(torch.tensor([3.0, 2.0, 1.0]), ax=ax, label="run 1") is ax
    plot_losses([2.0, 1.0, 0.5], ax=ax, label="run 2", log_y=True)
    first, second = ax.lines
    assert first.get_xdata().tolist() == [1, 2, 3]
    assert [first.get_color(), second.get_color()] == list(SEQUENCE[:2])
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    assert ax.get_yscale() == "log"


@settings(max_examples=30, deadline=None)
@given(
    good=st.lists(st.floats(0.01, 10), min_size=0, max_size=5),
    bad=st.sampled_from([float("nan"), float("inf"), float("-inf")]),
    where=st.integers(0, 5),
)
def test_plot_losses_refuses_any_non_finite_loss(
    good: list[float], bad: float, where: int
) -> None:
    losses = [*good[:where], bad, *good[where:]]
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="diverged"):
        plot_losses(torch.tensor(losses), ax=ax)
    assert not ax.lines
    plt.close(fig)


def test_plot_losses_refuses_zero_on_a_log_axis(ax: Axes) -> None:
    with pytest.raises(ValueError, match="log_y"):
        plot_losses([1.0, 0.0], ax=ax, log_y=True)


def test_plot_activations_draws_each_with_its_dashed_slope(ax: Axes) -> None:
    assert plot_activations(ax=ax) is ax
    assert labelled(ax)
    solid = [line for line in ax.lines if line.get_label() in ("sigmoid", "tanh", "relu")]
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(solid) == len(dashed) == 3
    assert [line.get_color() for line in solid] == [line.get_color() for line in dashed]
    sigmoid_slope = max(dashed[0].get_ydata())
    assert sigmoid_slope == pytest.approx(0.25, abs=1e-3)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"names": ("softmax",)}, r"names\[0\]"),
        ({"z_range": (1, -1)}, "z_range"),
        ({"resolution": 0}, "resolution"),
    ],
)
def test_plot_activations_refuses_bad_input(
    ax: Axes, change: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        plot_activations(ax=ax, **change)  # type: ignore[arg-type]


def test_a_second_loss_curve_keeps_the_first_curves_labels() -> None:
    import matplotlib.pyplot as plt

    from annlab.plots.curves import plot_losses

    fig, ax = plt.subplots()
    plot_losses(torch.tensor([1.0, 0.5]), ax, x_label="update", y_label="cost")
    plot_losses(torch.tensor([0.9, 0.4]), ax)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("update", "cost")
    plt.close(fig)


@pytest.mark.parametrize(
    ("draw", "error", "message"),
    [
        # Each used to crash inside matplotlib, blame another name, or draw something wrong.
        (lambda ax: plot_points(POINTS, LABELS, ax="left"), TypeError, "ax must be"),
        (
            lambda ax: plot_points(POINTS, LABELS, ax, feature_names="xy"),
            TypeError,
            "feature_names",
        ),
        (
            lambda ax: plot_points(POINTS, LABELS, ax, class_names=("one",)),
            ValueError,
            "class_names",
        ),
        (lambda ax: plot_losses([1.0, 0.5], ax, log_y="no"), TypeError, "log_y"),
        (lambda ax: plot_activations("relu", ax), TypeError, "names"),
        (lambda ax: plot_activations(ax=ax, z_range=(0, 1, 2)), ValueError, "z_range"),
        (lambda ax: plot_surface(nn.Linear(3, 1), ax), ValueError, "function must map"),
        (
            lambda ax: plot_decision_boundary(lambda x: x[:, 0] / 0, POINTS, LABELS, ax),
            ValueError,
            "model gave NaN or inf",
        ),
    ],
)
def test_plots_refuse_bad_input_at_the_door(ax: Axes, draw, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        draw(ax)


def test_evaluate_on_grid_names_a_model_for_other_inputs() -> None:
    # torch used to raise "mat1 and mat2 shapes cannot be multiplied".
    with pytest.raises(ValueError, match=r"function must map \(m, 2\) inputs"):
        evaluate_on_grid(nn.Linear(3, 1), (0, 1), (0, 1), 3)


@pytest.mark.parametrize("label", [True, torch.ones(2), "1"])
def test_class_color_takes_only_the_numbers_0_and_1(label: object) -> None:
    # True used to give class 1's colour, and a tensor crashed in "label not in (0, 1)".
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        class_color(label)  # type: ignore[arg-type]


def test_refused_input_leaves_no_figure_behind() -> None:
    # With ax=None a helper draws on the current Axes, which pyplot creates on demand: it
    # must check everything first, or a refused call leaves an empty figure open.
    plt.close("all")
    with pytest.raises(ValueError, match="m numbers"):
        plot_surface(lambda x: x)
    with pytest.raises(ValueError, match="model gave NaN or inf"):
        plot_decision_boundary(lambda x: x[:, 0] / 0, POINTS, LABELS)
    assert plt.get_fignums() == []
