"""Tests for the plotting helpers: they draw on the given Axes, label it and refuse NaN."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.transforms import Bbox
from torch import nn

from annlab.plots.colors import CLASS_COLORS, COLORS, ERROR_COLOR, SEQUENCE, class_color
from annlab.plots.curves import plot_activations, plot_losses
from annlab.plots.diagrams import draw_network, draw_perceptron
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
    curves = [line for line in ax.lines if not line.get_label().startswith("_")]
    solid = [line for line in curves if line.get_linestyle() == "-"]
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(solid) == len(dashed) == 3
    # σ is the sigmoid's alone: tanh's and ReLU's curves carry their own names.
    labels = [line.get_label() for line in solid + dashed]
    assert labels == ["sigmoid σ(z)", "tanh(z)", "ReLU(z)", "σ′(z)", "tanh′(z)", "ReLU′(z)"]
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


# Diagrams: the perceptron and the fully connected network.


def circles(ax: Axes) -> list[Circle]:
    return [patch for patch in ax.patches if isinstance(patch, Circle)]


def texts(ax: Axes, gid: str) -> list[str]:
    return [text.get_text() for text in ax.texts if text.get_gid() == gid]


def test_draw_perceptron_draws_inputs_weights_sum_activation_and_output(ax: Axes) -> None:
    assert draw_perceptron(ax, n_inputs=3, activation="ReLU") is ax
    assert texts(ax, "weight") == ["$b$", "$w_{1}$", "$w_{2}$", "$w_{3}$"]
    names = [text.get_text() for text in ax.texts if text.get_gid() is None]
    assert names == ["$\\Sigma$", "$1$", "$x_{1}$", "$x_{2}$", "$x_{3}$", "ReLU", "$\\hat{y}$"]
    assert len(circles(ax)) == 6  # 1, x₁, x₂, x₃, Σ and ŷ
    arrows = [patch for patch in ax.patches if isinstance(patch, FancyArrowPatch)]
    assert len(arrows) == 4 + 2  # one per input into Σ, Σ into the box, the box into ŷ
    assert [patch.get_gid() for patch in ax.patches].count("activation") == 1
    assert not ax.axison and ax.get_aspect() == 1.0
    assert {to_hex(circle.get_edgecolor()) for circle in circles(ax)} <= {
        color.lower() for color in COLORS.values()
    }


def test_draw_perceptron_without_bias_has_no_constant_input(ax: Axes) -> None:
    draw_perceptron(ax, n_inputs=1, bias=False)
    assert texts(ax, "weight") == ["$w_{1}$"]
    assert "$1$" not in [text.get_text() for text in ax.texts]
    assert len(circles(ax)) == 3


def test_draw_perceptron_shortens_many_inputs_to_a_column_with_dots(ax: Axes) -> None:
    draw_perceptron(ax, n_inputs=12)
    assert texts(ax, "weight") == ["$b$", "$w_{1}$", "$w_{2}$", "$w_{3}$", "$w_{12}$"]
    assert texts(ax, "dots") == ["⋮"]
    assert len(circles(ax)) == 5 + 2


@pytest.mark.parametrize(
    ("sizes", "nodes", "segments", "dots"),
    [
        ([2, 2, 1], 5, [4, 2], 0),
        ([2, 16, 1, 1], 10, [12, 6, 1], 1),  # 16 drawn as 5 units, "⋮" and the last
        ([2, 16, 1], 9, [12, 6], 1),
        ([1, 1, 1], 3, [1, 1], 0),
        ([3, 8, 9], 3 + 8 + 6, [24, 48], 1),  # 8 units fit, 9 do not
    ],
)
def test_draw_network_counts_its_nodes_and_connections(
    ax: Axes, sizes: list[int], nodes: int, segments: list[int], dots: int
) -> None:
    assert draw_network(sizes, ax) is ax
    assert len(circles(ax)) == nodes
    assert [len(lines.get_segments()) for lines in ax.collections] == segments
    assert len(texts(ax, "dots")) == dots
    assert len(texts(ax, "layer")) == len(sizes)
    assert texts(ax, "weights") == [
        f"$W^{{({layer})}}$: {sizes[layer]} × {sizes[layer - 1]}" for layer in range(1, len(sizes))
    ]
    assert not ax.axison and ax.get_aspect() == 1.0


def test_draw_network_lines_meet_the_circles_edges(ax: Axes) -> None:
    draw_network([2, 16, 1], ax)
    rims = [(circle.center, circle.radius) for circle in circles(ax)]
    for lines in ax.collections:
        for segment in lines.get_segments():
            for point in segment:
                distances = [
                    math.dist(point, centre) - radius for centre, radius in rims
                ]  # 0 on a circle's edge
                assert min(abs(d) for d in distances) == pytest.approx(0, abs=1e-9)


def test_draw_network_labels_give_the_true_sizes(ax: Axes) -> None:
    draw_network([2, 16, 1, 1], ax, activations=["ReLU", "ReLU", "sigmoid"])
    assert texts(ax, "layer") == [
        "input\n2 features",
        "hidden 1\n16 ReLU",
        "hidden 2\n1 ReLU",
        "output\n1 sigmoid",
    ]
    ax.clear()
    draw_network([1, 1, 1], ax, activations=["ReLU", ""], layer_names=["x", "h", "ŷ"])
    assert texts(ax, "layer") == ["x\n1 feature", "h\n1 ReLU", "ŷ\n1 unit"]


def test_draw_network_writes_unit_labels_in_their_circles(ax: Axes) -> None:
    labels = [["$x_1$", "$x_2$"], ["$h_1$", ""], ["$\\hat{y}$"]]
    draw_network([2, 2, 1], ax, unit_labels=labels)
    written = [text for text in ax.texts if text.get_gid() == "unit"]
    assert [text.get_text() for text in written] == ["$x_1$", "$x_2$", "$h_1$", "$\\hat{y}$"]
    centres = [circle.center for circle in circles(ax)]
    for text in written:  # each label sits at the centre of a circle
        assert any(math.dist(text.get_position(), centre) < 1e-9 for centre in centres)
    ax.clear()
    # A layer drawn with a "⋮" shows the labels of its drawn units only.
    draw_network([1, 9, 1], ax, unit_labels=[["x"], [f"h{i}" for i in range(1, 10)], ["y"]])
    assert texts(ax, "unit") == ["x", "h1", "h2", "h3", "h4", "h5", "h9", "y"]


def _extents(fig: Figure, artists: list[Any]) -> list[Bbox]:
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    return [artist.get_window_extent(renderer) for artist in artists]


@pytest.mark.parametrize(
    "draw",
    [
        lambda ax: draw_network([2, 2, 1], ax, activations=["ReLU", "sigmoid"]),
        lambda ax: draw_network([2, 16, 1, 1], ax, activations=["ReLU", "ReLU", "sigmoid"]),
        lambda ax: draw_network([2, 16, 1], ax, activations=["ReLU", "sigmoid"]),
        lambda ax: draw_network([1, 1, 1], ax),
        lambda ax: draw_network(
            [2, 2, 1],
            ax,
            activations=["ReLU", "sigmoid"],
            unit_labels=[["$x_1$", "$x_2$"], ["$h_1$", "$h_2$"], ["$\\hat{y}$"]],
        ),
        lambda ax: draw_perceptron(ax),
        lambda ax: draw_perceptron(ax, n_inputs=3, activation="sigmoid"),
        lambda ax: draw_perceptron(ax, n_inputs=1, bias=False, activation="ReLU"),
    ],
    ids=[
        "2-2-1",
        "2-16-1-1",
        "2-16-1",
        "1-1-1",
        "2-2-1 labelled",
        "perceptron",
        "3 inputs",
        "1 input",
    ],
)
@pytest.mark.parametrize("layout", [None, "constrained"])
def test_diagram_text_stays_inside_the_figure_and_off_other_text(draw, layout) -> None:  # type: ignore[no-untyped-def]
    fig, ax = plt.subplots(figsize=(7, 3.5), layout=layout)
    draw(ax)
    fig.canvas.draw()
    boxes = _extents(fig, ax.texts)
    for box in boxes:
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second), "two labels overlap"
    outside = [text for text in ax.texts if text.get_gid() in ("layer", "weights", "weight")]
    for text, box in zip(outside, _extents(fig, outside), strict=True):
        for node in _extents(fig, circles(ax)):
            assert not box.overlaps(node), f"{text.get_text()!r} overlaps a node"


def test_diagrams_draw_on_the_current_axes_when_none_is_given() -> None:
    fig, ax = plt.subplots()
    assert draw_network([2, 2, 1]) is ax
    assert draw_perceptron() is ax
    assert plt.get_fignums() == [fig.number]


@pytest.mark.parametrize(
    ("draw", "error", "message"),
    [
        (lambda: draw_network([]), ValueError, "layer_sizes must list"),
        (lambda: draw_network([2]), ValueError, "layer_sizes must list"),
        (lambda: draw_network([2, 0, 1]), ValueError, r"layer_sizes\[1\]"),
        (lambda: draw_network([2, 2.5, 1]), TypeError, r"layer_sizes\[1\]"),
        (lambda: draw_network([2, "16", 1]), TypeError, r"layer_sizes\[1\]"),
        (lambda: draw_network([2, 16, 1], activations=["ReLU"]), ValueError, "activations"),
        (lambda: draw_network([2, 16, 1], activations="ReLU"), TypeError, "activations"),
        (lambda: draw_network([2, 1], layer_names=["x", "h", "y"]), ValueError, "layer_names"),
        (lambda: draw_network([2, 1], unit_labels=[["a", "b"]]), ValueError, "unit_labels"),
        (
            lambda: draw_network([2, 1], unit_labels=[["a"], ["y"]]),
            ValueError,
            r"unit_labels\[0\]",
        ),
        (lambda: draw_network([2, 1], unit_labels="ab"), TypeError, "unit_labels"),
        (
            lambda: draw_network([2, 1], unit_labels=[["a", 2], ["y"]]),
            ValueError,
            r"unit_labels\[0\]",
        ),
        (lambda: draw_network([2, 1], ax="left"), TypeError, "ax must be"),
        (lambda: draw_perceptron(n_inputs=0), ValueError, "n_inputs"),
        (lambda: draw_perceptron(n_inputs=2.0), TypeError, "n_inputs"),
        (lambda: draw_perceptron(bias="yes"), TypeError, "bias"),
        (lambda: draw_perceptron(activation=""), ValueError, "activation"),
        (lambda: draw_perceptron(activation=None), TypeError, "activation"),
    ],
)
def test_diagrams_refuse_bad_input_naming_the_argument(draw, error, message) -> None:  # type: ignore[no-untyped-def]
    plt.close("all")
    with pytest.raises(error, match=message):
        draw()
    assert plt.get_fignums() == [], "a refused call must not leave a figure behind"
