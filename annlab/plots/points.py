"""A labelled data set drawn as points of the plane: one colour and marker shape per class.

The helper draws on the ``ax`` it is given (or the current Axes), returns it and never
calls ``plt.show()``; colours come from :mod:`annlab.plots.colors`. Loss curves and
activation curves are in :mod:`annlab.plots.curves`; surfaces over the plane
(heatmaps, decision boundaries) in :mod:`annlab.plots.surfaces`.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

from annlab.plots._checks import check_axes, check_labels, check_names, check_points
from annlab.plots.colors import CLASS_COLORS, CLASS_MARKERS


def plot_points(
    x: torch.Tensor,
    labels: torch.Tensor,
    ax: Axes | None = None,
    *,
    feature_names: Sequence[str] = ("feature 1", "feature 2"),
    class_names: Sequence[str] = ("class 0", "class 1"),
) -> Axes:
    """Draw a two-feature data set, one colour and one marker shape per class.

    Parameters
    ----------
    x : torch.Tensor, shape (n, 2)
        One point per observation; the columns are the axes.
    labels : torch.Tensor, shape (n,) or (n, 1)
        0 or 1.
    ax : matplotlib.axes.Axes, optional
        Where to draw; the current Axes if None.
    feature_names : (str, str)
        Axis labels, with units where there are units, e.g. ``"sleep (hours)"``.
    class_names : (str, str)
        Legend entries of class 0 and class 1.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> ax = plot_points(torch.tensor([[0.0, 1.0], [2.0, 3.0]]), torch.tensor([0, 1]),
    ...                  ax=ax, feature_names=("sleep (hours)", "study (hours)"))
    >>> ax.get_xlabel(), len(ax.collections)
    ('sleep (hours)', 2)
    >>> plt.close(fig)
    """
    x = check_points(x)
    labels = check_labels(labels, len(x))
    feature_names = check_names(feature_names, "feature_names")
    class_names = check_names(class_names, "class_names")
    ax = check_axes(ax)
    ax = ax if ax is not None else plt.gca()
    for label in (0, 1):
        rows = labels == label
        ax.scatter(
            x[rows, 0],
            x[rows, 1],
            s=36,
            marker=CLASS_MARKERS[label],
            color=CLASS_COLORS[label],
            edgecolors="white",
            linewidths=0.5,
            label=class_names[label],
            zorder=3,
        )
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    ax.legend()
    return ax
