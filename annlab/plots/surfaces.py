"""Figures over the plane: a function of two inputs as a heatmap, a classifier's boundary.

Both evaluate a function (or a model) on a grid of points covering the plot,
draw on the ``ax`` they are given (or the current Axes), return it and never
call ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm
from matplotlib.lines import Line2D
from torch import nn

from annlab._checks import check_choice, check_positive_int, check_real, check_tensor
from annlab.plots._checks import check_axes, check_labels, check_limits, check_names, check_points
from annlab.plots.colors import CLASS_COLORS, ERROR_COLOR, SEQUENTIAL_CMAP
from annlab.plots.points import plot_points
from annlab.training import predict

SurfaceFunction = Callable[[torch.Tensor], torch.Tensor]

_BOUNDARY_COLOR = "black"  # darkest line on the light class shading, whatever the palette


def evaluate_on_grid(
    function: nn.Module | SurfaceFunction,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    resolution: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Evaluate a function of two inputs on a ``resolution`` × ``resolution`` grid.

    Parameters
    ----------
    function : torch.nn.Module or callable
        Maps a tensor of shape (m, 2) to m numbers, shape (m,) or (m, 1).
        A model is run with :func:`annlab.training.predict` (no gradients).
    xlim, ylim : (float, float)
        The range of the first and second input.
    resolution : int
        Grid points along each axis (at least 2).

    Returns
    -------
    (x1, x2, values) : three tensors of shape (resolution, resolution)
        Row i holds the points whose second input is the i-th grid value,
        the layout ``contourf`` expects.

    Examples
    --------
    >>> x1, x2, values = evaluate_on_grid(lambda x: x[:, 0] - x[:, 1], (0, 1), (0, 2), 3)
    >>> values
    tensor([[ 0.0000,  0.5000,  1.0000],
            [-1.0000, -0.5000,  0.0000],
            [-2.0000, -1.5000, -1.0000]])
    """
    return _evaluate(function, "function", xlim, ylim, resolution)


def _evaluate(
    function: Any, name: str, xlim: Any, ylim: Any, resolution: Any
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """:func:`evaluate_on_grid`, with errors naming the caller's argument ``name``."""
    (x_low, x_high), (y_low, y_high) = check_limits(xlim, "xlim"), check_limits(ylim, "ylim")
    resolution = max(check_positive_int(resolution, "resolution"), 2)
    if not callable(function):
        raise TypeError(f"{name} must be a model or a callable; got {type(function).__name__}")
    x1, x2 = torch.meshgrid(
        torch.linspace(x_low, x_high, resolution),
        torch.linspace(y_low, y_high, resolution),
        indexing="xy",
    )
    points = torch.stack([x1.flatten(), x2.flatten()], dim=1)
    expected = f"{name} must map (m, 2) inputs to m numbers, shape (m,) or (m, 1)"
    try:
        output = _outputs(function, points)
    except (RuntimeError, IndexError, TypeError, ValueError) as error:
        # A model or formula written for another number of features fails deep in torch.
        raise ValueError(f"{expected}; on the grid's points it raised: {error}") from error
    if output.numel() != len(points) or output.ndim > 2:
        raise ValueError(f"{expected}; got shape {tuple(output.shape)} for m = {len(points)}")
    if not bool(torch.isfinite(output).all()):
        raise ValueError(f"{name} gave NaN or inf on the grid; narrow xlim and ylim")
    return x1, x2, output.detach().reshape(resolution, resolution)


def plot_surface(
    function: nn.Module | SurfaceFunction,
    ax: Axes | None = None,
    *,
    xlim: tuple[float, float] = (-4.0, 4.0),
    ylim: tuple[float, float] = (-4.0, 4.0),
    resolution: int = 100,
    levels: int = 50,
    cmap: str = SEQUENTIAL_CMAP,
    colorbar_label: str = "output",
    feature_names: Sequence[str] = ("feature 1", "feature 2"),
    center: float | None = None,
) -> Axes:
    """Draw a function of two inputs as a heatmap (filled contours) with a labelled colour bar.

    Use it for a neuron, ``lambda x: neuron_forward(x, w, b, "sigmoid")``, for
    a formula, or for a trained model (its predicted value over the plane).

    Parameters
    ----------
    function : torch.nn.Module or callable
        Maps (m, 2) inputs to m numbers.
    ax : matplotlib.axes.Axes, optional
        Where to draw; the current Axes if None. The colour bar takes room from it.
    xlim, ylim : (float, float)
        Range of the first and second input.
    resolution : int
        Grid points along each axis.
    levels : int
        Number of colour bands.
    cmap : str
        A matplotlib colour map: :data:`annlab.plots.colors.DIVERGING_CMAP` for values
        around 0, :data:`annlab.plots.colors.SEQUENTIAL_CMAP` for a range.
    colorbar_label : str
        What the colours mean, with units, e.g. ``"predicted mark (points)"``.
    feature_names : (str, str)
        Axis labels.
    center : float, optional
        A value to put at the middle colour of a diverging map (usually 0), so that
        the two hues mean "below" and "above" it even when the values are not
        symmetric around it (``matplotlib.colors.TwoSlopeNorm``). It must lie strictly
        between the smallest and the largest value drawn.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> ax = plot_surface(lambda x: x[:, 0] + 2, ax=ax, center=0.0)
    >>> ax.collections[0].norm.vcenter
    0.0
    >>> plt.close(fig)
    >>> fig, ax = plt.subplots()
    >>> ax = plot_surface(lambda x: 1 - 2 * x[:, 0] + x[:, 1], ax=ax,
    ...                   colorbar_label="z = 1 − 2x₁ + x₂", feature_names=("x₁", "x₂"))
    >>> ax.get_xlabel(), fig.axes[1].get_ylabel()
    ('x₁', 'z = 1 − 2x₁ + x₂')
    >>> plt.close(fig)
    """
    levels = check_positive_int(levels, "levels")
    feature_names = check_names(feature_names, "feature_names")
    ax = check_axes(ax)
    if center is not None:
        center = check_real(center, "center")
    x1, x2, values = _evaluate(function, "function", xlim, ylim, resolution)
    norm = None
    if center is not None:
        low, high = float(values.min()), float(values.max())
        if not low < center < high:
            raise ValueError(
                f"center must lie strictly between the smallest and the largest value "
                f"drawn ({low:.4g} and {high:.4g}); got {center}"
            )
        norm = TwoSlopeNorm(vcenter=center, vmin=low, vmax=high)
    ax = ax if ax is not None else plt.gca()
    filled = ax.contourf(
        x1.numpy(), x2.numpy(), values.numpy(), levels=levels, cmap=cmap, norm=norm
    )
    ax.figure.colorbar(filled, ax=ax, label=colorbar_label)
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    return ax


def plot_decision_boundary(
    model: nn.Module | SurfaceFunction,
    x: torch.Tensor,
    labels: torch.Tensor,
    ax: Axes | None = None,
    *,
    output: str = "logit",
    resolution: int = 200,
    feature_names: Sequence[str] = ("feature 1", "feature 2"),
    class_names: Sequence[str] = ("class 0", "class 1"),
) -> Axes:
    """Draw where a classifier says class 0 or 1, its boundary, and the points it gets wrong.

    The plane is shaded by predicted class, the boundary drawn as a line, the
    points drawn with :func:`annlab.plots.points.plot_points`, and every
    misclassified point crossed out; the legend counts them.

    Parameters
    ----------
    model : torch.nn.Module or callable
        Maps (m, 2) inputs to m outputs.
    x : torch.Tensor, shape (n, 2)
    labels : torch.Tensor, shape (n,) or (n, 1)
        The true classes, 0 or 1.
    ax : matplotlib.axes.Axes, optional
    output : {"logit", "probability"}
        What the model returns: a logit (class 1 where it is above 0) or a
        probability (class 1 where it is above 0.5, as in the lecture notes).
    resolution : int
        Grid points along each axis.
    feature_names, class_names : (str, str)

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from annlab.models import perceptron
    >>> model = perceptron(2)
    >>> with torch.no_grad():
    ...     _ = model[0].weight.copy_(torch.tensor([[1.0, 0.0]]))
    ...     _ = model[0].bias.zero_()
    >>> x = torch.tensor([[-1.0, 0.0], [1.0, 0.0], [2.0, 1.0]])
    >>> fig, ax = plt.subplots()
    >>> ax = plot_decision_boundary(model, x, torch.tensor([0, 1, 0]), ax=ax)
    >>> ax.get_legend_handles_labels()[1]
    ['decision boundary', 'class 0', 'class 1', 'misclassified (1)']
    >>> plt.close(fig)
    """
    x = check_points(x)
    true_class = check_labels(labels, len(x))
    threshold = {"logit": 0.0, "probability": 0.5}[
        check_choice(output, "output", ["logit", "probability"])
    ]
    spans = x.amax(dim=0) - x.amin(dim=0)
    pad = torch.where(spans > 0, 0.1 * spans, torch.ones(2))
    low, high = (x.amin(dim=0) - pad).tolist(), (x.amax(dim=0) + pad).tolist()
    feature_names = check_names(feature_names, "feature_names")
    class_names = check_names(class_names, "class_names")
    ax = check_axes(ax)
    x1, x2, values = _evaluate(model, "model", (low[0], high[0]), (low[1], high[1]), resolution)
    if output == "probability" and not bool(((values >= 0) & (values <= 1)).all()):
        raise ValueError(
            "the model's outputs leave [0, 1]: they are not probabilities; use output='logit'"
        )
    ax = ax if ax is not None else plt.gca()
    ax.contourf(
        x1.numpy(),
        x2.numpy(),
        (values > threshold).double().numpy(),
        levels=[-0.5, 0.5, 1.5],
        colors=CLASS_COLORS,
        alpha=0.2,
    )
    if values.min() < threshold < values.max():
        ax.contour(
            x1.numpy(),
            x2.numpy(),
            values.numpy(),
            levels=[threshold],
            colors=_BOUNDARY_COLOR,
            linewidths=1.5,
        )
        boundary = Line2D([], [], color=_BOUNDARY_COLOR, linewidth=1.5, label="decision boundary")
        ax.add_line(boundary)
    plot_points(x, true_class, ax=ax, feature_names=feature_names, class_names=class_names)
    predicted = check_tensor(_outputs(model, x), "the model's output on x").reshape(-1) > threshold
    wrong = predicted != true_class.bool()
    ax.scatter(
        x[wrong, 0],
        x[wrong, 1],
        marker="x",
        s=70,
        linewidths=2,
        color=ERROR_COLOR,
        label=f"misclassified ({int(wrong.sum())})",
        zorder=4,
    )
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.legend(fontsize="small")
    return ax


def _outputs(model: nn.Module | SurfaceFunction, x: torch.Tensor) -> torch.Tensor:
    """The outputs of a model (run by :func:`annlab.training.predict`) or a plain function."""
    if isinstance(model, nn.Module):
        return predict(model, x)
    with torch.no_grad():
        return check_tensor(model(x), "its output", finite=False)
