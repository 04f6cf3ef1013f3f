"""Diagrams: the perceptron and the fully connected network, drawn the way the course draws them.

Both helpers draw on the ``ax`` they are given (or the current Axes), return it and
never call ``plt.show()``. They draw in data units with an equal aspect and no axis
frame, and size their text to the Axes they are given, so a diagram reads like one
picture at any size; ``figsize=(7, 3.5)`` fits the pages' column. Colours come from
:mod:`annlab.plots.colors`: inputs blue, neurons orange, the output green, each a pale
fill inside a ring of its colour.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from annlab._checks import (
    check_axes,
    check_bool,
    check_names,
    check_positive_int,
    check_sizes,
    check_text,
)
from annlab.plots.colors import COLORS

MAX_UNITS = 8
"""A layer of more units is drawn as its first five units, a "⋮" and its last unit."""

MAX_INPUTS = 5
"""A perceptron of more inputs is drawn with x₁, x₂, x₃, a "⋮" and xₙ."""

_INK = "#222222"  # arrows and text: near-black, which the dark scheme turns near-white
_LARGEST_FONT = 13.0  # points: text stops growing here, however large the Axes


def _fill(color: str, strength: float = 0.2) -> tuple[float, float, float]:
    """A pale tint of ``color``, opaque so that the lines behind a node stay hidden."""
    red, green, blue = (1 - strength * (1 - channel) for channel in to_rgb(color))
    return red, green, blue


def _shown_units(size: int, most: int, first: int) -> list[int | None]:
    """The units of a layer that are drawn, top to bottom; None marks the "⋮"."""
    if size <= most:
        return list(range(size))
    return [*range(first), None, size - 1]


def _column(slots: int) -> list[float]:
    """Heights of ``slots`` slots one unit apart, top to bottom, centred on 0."""
    return [(slots - 1) / 2 - i for i in range(slots)]


def _points_per_unit(ax: Axes, width: float, height: float) -> float:
    """How many points one data unit spans when ``width`` × ``height`` fills ``ax``.

    The diagram's text is sized from this, so that it keeps its place in the picture
    whatever the figure's size. A layout that later grows the Axes (``"constrained"``)
    only leaves the text a little smaller than planned, never overlapping.
    """
    box = ax.get_window_extent()
    return min(box.width / width, box.height / height) * 72 / ax.figure.dpi


def _font(points_per_unit: float, share: float) -> float:
    """A font size of ``share`` data units, in points, at most ``_LARGEST_FONT``."""
    return max(1.0, min(_LARGEST_FONT, share * points_per_unit))


def _node(
    ax: Axes,
    centre: tuple[float, float],
    radius: float,
    color: str,
    label: str | None = None,
    fontsize: float = 10.0,
) -> None:
    circle = Circle(
        centre, radius, facecolor=_fill(color), edgecolor=color, linewidth=1.5, zorder=3
    )
    circle.set_gid("node")
    ax.add_patch(circle)
    if label is not None:
        ax.text(*centre, label, ha="center", va="center", fontsize=fontsize, color=_INK, zorder=4)


def _rim(
    centre: tuple[float, float], radius: float, toward: tuple[float, float]
) -> tuple[float, float]:
    """The point of a circle's edge that faces ``toward``."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    length = (dx * dx + dy * dy) ** 0.5
    return centre[0] + radius * dx / length, centre[1] + radius * dy / length


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], head: float) -> None:
    arrow = FancyArrowPatch(
        start,
        end,
        arrowstyle="-|>",
        mutation_scale=head,
        shrinkA=0,
        shrinkB=0,
        color=_INK,
        linewidth=1.2,
        zorder=2,
    )
    arrow.set_gid("arrow")
    ax.add_patch(arrow)


def _text_width(text: str, font_share: float) -> float:
    """About how wide ``text`` is, in data units, at a font of ``font_share`` units.

    DejaVu Sans, matplotlib's font, averages about 0.6 of its size per character.
    """
    return 0.6 * font_share * len(text)


def _dots(ax: Axes, centre: tuple[float, float], fontsize: float) -> None:
    """The "⋮" that stands for the units a wide layer leaves out."""
    ax.text(*centre, "⋮", ha="center", va="center", fontsize=fontsize, color=_INK, gid="dots")


def _finish(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> Axes:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def draw_perceptron(
    ax: Axes | None = None, *, n_inputs: int = 2, bias: bool = True, activation: str = "σ"
) -> Axes:
    """Draw one neuron, the perceptron: the picture of ŷ = σ(b + Σ xᵢ wᵢ).

    The inputs x₁, …, xₙ stand on the left, with the constant input 1 above them
    when there is a bias. An arrow from each input, labelled with its weight
    (w₁, w₂, …, and b from the 1), leads to the weighted sum Σ; its result z goes
    through the activation function (the box) to the output ŷ. More than
    :data:`MAX_INPUTS` inputs are drawn as x₁, x₂, x₃, a "⋮" and xₙ.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Where to draw; the current Axes if None.
    n_inputs : int
        The number of inputs (features) n.
    bias : bool
        Draw the constant input 1 and its weight, the bias b.
    activation : str
        The activation's name or symbol, written in its box: "σ", "ReLU", "tanh".

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``n_inputs`` is below 1 or ``activation`` is empty.
    TypeError
        If ``n_inputs`` is not an int, ``bias`` not a bool or ``activation`` not a string.

    Examples
    --------
    >>> fig, ax = plt.subplots(figsize=(7, 3.5))
    >>> ax = draw_perceptron(ax, n_inputs=2, activation="σ")
    >>> [text.get_text() for text in ax.texts if text.get_gid() == "weight"]
    ['$b$', '$w_{1}$', '$w_{2}$']
    >>> sum(isinstance(patch, Circle) for patch in ax.patches)  # 1, x₁, x₂, Σ and ŷ
    5
    >>> plt.close(fig)
    """
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    bias = check_bool(bias, "bias")
    activation = check_text(activation, "activation")
    ax = check_axes(ax)
    ax = ax if ax is not None else plt.gca()

    inputs: list[tuple[str, str] | None] = [("$1$", "$b$")] if bias else []
    for unit in _shown_units(n_inputs, MAX_INPUTS, 3):
        inputs.append(None if unit is None else (f"$x_{{{unit + 1}}}$", f"$w_{{{unit + 1}}}$"))
    heights = _column(len(inputs))
    radius, total_radius, output_radius = 0.32, 0.42, 0.36
    # The sum moves right as the column grows, so that the arrows fan out gently.
    total = (max(2.6, 0.6 * heights[0] + 2.2), 0.0)
    box_width = max(0.95, 0.25 + 0.19 * len(activation))
    box_pad = 0.06  # the rounded box reaches this far outside its rectangle
    box_left = total[0] + total_radius + 0.9
    output = (box_left + box_width + box_pad + 1.1, 0.0)
    top = max(heights[0] + radius, 0.9) + 0.25
    xlim, ylim = (-0.6, output[0] + output_radius + 0.25), (-top, top)
    scale = _points_per_unit(ax, xlim[1] - xlim[0], ylim[1] - ylim[0])
    font = _font(scale, 0.3)  # also the arrowheads' size, so they grow with the text

    _node(ax, total, total_radius, COLORS["orange"], r"$\Sigma$", fontsize=1.25 * font)
    for i, (slot, height) in enumerate(zip(inputs, heights, strict=True)):
        centre = (0.0, height)
        if slot is None:
            _dots(ax, centre, 1.2 * font)
            continue
        name, weight = slot
        _node(ax, centre, radius, COLORS["grey" if bias and i == 0 else "blue"], name, font)
        start = _rim(centre, radius, total)
        _arrow(ax, start, _rim(total, total_radius, centre), font)
        # The weight sits on its arrow about a third of the way along, where the arrows are
        # still far apart; a patch of the page's colour cuts the line under the label.
        where = (start[0] + 0.36 * (total[0] - start[0]), start[1] + 0.36 * (total[1] - start[1]))
        ax.text(
            *where,
            weight,
            ha="center",
            va="center",
            fontsize=font,
            color=_INK,
            gid="weight",
            zorder=3,
            bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none"},
        )

    box = FancyBboxPatch(
        (box_left, -0.3),
        box_width,
        0.6,
        boxstyle=f"round,pad={box_pad},rounding_size=0.15",
        facecolor=_fill(COLORS["orange"]),
        edgecolor=COLORS["orange"],
        linewidth=1.5,
        zorder=3,
    )
    box.set_gid("activation")
    ax.add_patch(box)
    ax.text(
        box_left + box_width / 2,
        0.0,
        activation,
        ha="center",
        va="center",
        fontsize=1.2 * font if len(activation) <= 2 else font,  # a symbol: σ, φ
        color=_INK,
        zorder=4,
    )
    _arrow(ax, (total[0] + total_radius, 0.0), (box_left - box_pad, 0.0), font)
    ax.text(
        (total[0] + total_radius + box_left - box_pad) / 2,
        0.08,
        "$z$",
        ha="center",
        va="bottom",
        fontsize=font,
        color=_INK,
        gid="sum",
    )
    _node(ax, output, output_radius, COLORS["green"], r"$\hat{y}$", font)
    _arrow(ax, (box_left + box_width + box_pad, 0.0), (output[0] - output_radius, 0.0), font)
    return _finish(ax, xlim, ylim)


def _layer_labels(
    sizes: list[int], activations: Sequence[str] | None, names: Sequence[str] | None
) -> list[str]:
    """'input\\n2 features', 'hidden\\n16 ReLU', 'output\\n1 sigmoid': a name, then a count."""
    labels = []
    for layer, size in enumerate(sizes):
        if names is not None:
            name = names[layer]
        elif layer == 0:
            name = "input"
        elif layer == len(sizes) - 1:
            name = "output"
        else:
            name = "hidden" if len(sizes) == 3 else f"hidden {layer}"
        plural = "s" if size > 1 else ""
        if layer == 0:
            count = f"{size} feature{plural}"
        elif activations is not None and activations[layer - 1].strip():
            count = f"{size} {activations[layer - 1].strip()}"
        else:
            count = f"{size} unit{plural}"
        labels.append(f"{name}\n{count}")
    return labels


def _check_unit_labels(
    value: Sequence[Sequence[str]], sizes: list[int]
) -> tuple[tuple[str, ...], ...]:
    """One sequence of labels per layer, each as long as its layer."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(
            f"unit_labels must be a sequence of {len(sizes)} sequences of strings; got {value!r}"
        )
    if len(value) != len(sizes):
        raise ValueError(
            f"unit_labels must be a sequence of {len(sizes)} sequences of strings; got {value!r}"
        )
    return tuple(
        check_names(labels, f"unit_labels[{layer}]", size)
        for layer, (labels, size) in enumerate(zip(value, sizes, strict=True))
    )


def draw_network(
    layer_sizes: Sequence[int],
    ax: Axes | None = None,
    *,
    activations: Sequence[str] | None = None,
    layer_names: Sequence[str] | None = None,
    unit_labels: Sequence[Sequence[str]] | None = None,
) -> Axes:
    """Draw a fully connected feed-forward network, one column of circles per layer.

    Every unit is connected to every unit of the next layer by a thin line. Under
    each column, its label gives the layer's name and true size ("hidden", "16 ReLU");
    above the lines between two layers stands the shape of their weight matrix, out ×
    in as the course writes it: W⁽¹⁾: 16 × 2. Biases are not drawn. A layer of more
    than :data:`MAX_UNITS` units is drawn as its first five units, a "⋮" and its last
    unit; only the drawn units are connected.

    Parameters
    ----------
    layer_sizes : sequence of int
        The sizes of the layers, input first, e.g. ``[2, 16, 1]`` as for
        :func:`annlab.models.mlp`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; the current Axes if None.
    activations : sequence of str, optional
        One per layer after the input, e.g. ``["ReLU", "sigmoid"]``, written after
        the layer's size; an empty string writes none. Left out, the labels count
        units ("16 units").
    layer_names : sequence of str, optional
        One name per layer, in place of "input", "hidden" and "output" on the
        labels' first line.
    unit_labels : sequence of sequences of str, optional
        One sequence per layer, one short label per unit, top to bottom, written
        inside the unit's circle: ``[["$x_1$", "$x_2$"], ["$h_1$", "$h_2$"],
        ["$\\hat{y}$"]]``. An empty string leaves its circle blank; in a layer drawn
        with a "⋮", the labels of the units left out are not shown.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If there are fewer than two layers, a size is below 1, or ``activations``,
        ``layer_names`` or ``unit_labels`` (or one of its layers) has the wrong length.
    TypeError
        If a size is not an int, or a label is not a string.

    Examples
    --------
    >>> fig, ax = plt.subplots(figsize=(7, 3.5))
    >>> ax = draw_network([2, 16, 1], ax, activations=["ReLU", "sigmoid"])
    >>> [text.get_text() for text in ax.texts if text.get_gid() == "layer"]
    ['input\\n2 features', 'hidden\\n16 ReLU', 'output\\n1 sigmoid']
    >>> [text.get_text() for text in ax.texts if text.get_gid() == "weights"]
    ['$W^{(1)}$: 16 × 2', '$W^{(2)}$: 1 × 16']
    >>> [len(lines.get_segments()) for lines in ax.collections]  # 2 × 6 and 6 × 1 drawn
    [12, 6]
    >>> draw_network([2, 16, 1], ax, activations=["ReLU"])
    Traceback (most recent call last):
    ...
    ValueError: activations must be a sequence of 2 strings; got ['ReLU']
    >>> ax.clear()
    >>> ax = draw_network([2, 1], ax, unit_labels=[["$x_1$", "$x_2$"], ["$y$"]])
    >>> [text.get_text() for text in ax.texts if text.get_gid() == "unit"]
    ['$x_1$', '$x_2$', '$y$']
    >>> plt.close(fig)
    """
    sizes = check_sizes(layer_sizes, "layer_sizes")
    if activations is not None:
        activations = check_names(activations, "activations", len(sizes) - 1)
    if layer_names is not None:
        layer_names = check_names(layer_names, "layer_names", len(sizes))
    if unit_labels is not None:
        unit_labels = _check_unit_labels(unit_labels, sizes)
    ax = check_axes(ax)
    ax = ax if ax is not None else plt.gca()

    shown = [_shown_units(size, MAX_UNITS, 5) for size in sizes]
    labels = _layer_labels(sizes, activations, layer_names)
    # The weight matrices' shapes as plain text, long enough to estimate their width.
    shapes = [f"W({layer}): {sizes[layer]} × {sizes[layer - 1]}" for layer in range(1, len(sizes))]
    radius, font_share = 0.3, 0.5
    top = (max(len(units) for units in shown) - 1) / 2 + radius
    # Below the nodes: two lines of label; above: one line for the weight matrices.
    bottom = top + 0.3 + 2 * 1.2 * font_share + 0.2
    ceiling = top + 0.4 + 1.3 * font_share + 0.15
    height = bottom + ceiling
    # Two neighbouring columns stand far enough apart for their labels and the weight
    # matrix's shape between them; in a wide Axes they spread out, up to 7 units apart.
    widths = [max(_text_width(line, font_share) for line in label.split("\n")) for label in labels]
    narrowest = max(
        [_text_width(shape, font_share) + 0.8 for shape in shapes]
        + [(left + right) / 2 + 0.6 for left, right in itertools.pairwise(widths)]
    )
    box = ax.get_window_extent()
    wanted = height * box.width / max(box.height, 1e-9)
    margin = max(1.2, widths[0] / 2 + 0.2, widths[-1] / 2 + 0.2)
    gap = max(narrowest, 3.5, min(7.0, (wanted - 2 * margin) / (len(sizes) - 1)))
    xlim = (-margin, (len(sizes) - 1) * gap + margin)
    font = _font(_points_per_unit(ax, xlim[1] - xlim[0], height), font_share)

    colors = [COLORS["blue"]] + [COLORS["orange"]] * (len(sizes) - 2) + [COLORS["green"]]
    columns = []  # per layer, the centres of its drawn units
    for layer, units in enumerate(shown):
        centres = []
        for unit, y in zip(units, _column(len(units)), strict=True):
            if unit is None:
                _dots(ax, (layer * gap, y), 1.2 * font)
            else:
                _node(ax, (layer * gap, y), radius, colors[layer])
                centres.append((layer * gap, y))
                if unit_labels is not None and unit_labels[layer][unit]:
                    ax.text(
                        layer * gap,
                        y,
                        unit_labels[layer][unit],
                        ha="center",
                        va="center",
                        fontsize=0.9 * font,
                        color=_INK,
                        zorder=4,
                        gid="unit",
                    )
        columns.append(centres)

    for layer in range(1, len(sizes)):
        segments = [
            [_rim(start, radius, end), _rim(end, radius, start)]
            for end in columns[layer]
            for start in columns[layer - 1]
        ]
        lines = LineCollection(segments, colors=COLORS["grey"], linewidths=0.8, zorder=1)
        lines.set_gid("connections")
        ax.add_collection(lines)
        ax.text(
            (layer - 0.5) * gap,
            top + 0.4,
            f"$W^{{({layer})}}$: {sizes[layer]} × {sizes[layer - 1]}",
            ha="center",
            va="bottom",
            fontsize=font,
            color=_INK,
            gid="weights",
        )
    for layer, label in enumerate(labels):
        ax.text(
            layer * gap,
            -top - 0.3,
            label,
            ha="center",
            va="top",
            fontsize=font,
            color=_INK,
            gid="layer",
        )
    return _finish(ax, xlim, (-bottom, ceiling))
