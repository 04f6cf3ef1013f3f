"""Curves: a training run's loss, and activation functions with their slopes.

Every helper draws on the ``ax`` it is given (or the current Axes), returns it and
never calls ``plt.show()``; colours come from :mod:`annlab.plots.colors`.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

from annlab._checks import check_bool, check_positive_int, check_tensor
from annlab.by_hand.activations import ActivationName, check_activation, get_activation
from annlab.plots._checks import check_axes, check_limits
from annlab.plots.colors import COLORS, SEQUENCE


def plot_losses(
    losses: torch.Tensor | Sequence[float],
    ax: Axes | None = None,
    *,
    label: str | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    log_y: bool = False,
) -> Axes:
    """Draw a loss curve: the loss of each epoch (or update), counted from 1.

    Each call adds one curve in the next colour of the palette, so several runs
    can share one Axes.

    Parameters
    ----------
    losses : torch.Tensor, shape (k,)
        E.g. ``TrainResult.epoch_losses`` or ``.update_losses``.
    ax : matplotlib.axes.Axes, optional
    label : str, optional
        Legend entry of this curve.
    x_label, y_label : str, optional
        Axis labels (``x_label="update"`` for update losses). Left out, an axis
        keeps the label it already has, or gets "epoch" / "loss" if it has none,
        so a second curve drawn on the same axes does not undo the first's labels.
    log_y : bool
        Logarithmic loss axis, to see the slow end of training.

    Raises
    ------
    ValueError
        If a loss is NaN or inf: a diverged run must be reported, not drawn as a gap.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> ax = plot_losses(torch.tensor([1.0, 0.5, 0.25]), ax=ax, label="lr = 0.1")
    >>> ax.get_xlabel(), ax.lines[0].get_xdata().tolist()
    ('epoch', [1, 2, 3])
    >>> plot_losses(torch.tensor([1.0, float("nan")]), ax=ax)
    Traceback (most recent call last):
    ...
    ValueError: losses must be finite, but entry 1 is nan: the run diverged; ...
    >>> plt.close(fig)
    """
    losses = check_tensor(losses, "losses", ndim=1, finite=False)
    bad = torch.nonzero(~torch.isfinite(losses)).flatten()
    if len(bad):
        raise ValueError(
            f"losses must be finite, but entry {int(bad[0])} is {float(losses[bad[0]])}: the "
            "run diverged; report it (TrainResult.diverged) instead of drawing it"
        )
    if check_bool(log_y, "log_y") and bool((losses <= 0).any()):
        raise ValueError("losses must be above 0 to be drawn with log_y=True")
    ax = check_axes(ax)
    ax = ax if ax is not None else plt.gca()
    color = SEQUENCE[len(ax.lines) % len(SEQUENCE)]
    ax.plot(torch.arange(1, len(losses) + 1).tolist(), losses.tolist(), color=color, label=label)
    ax.set_xlabel(x_label or ax.get_xlabel() or "epoch")
    ax.set_ylabel(y_label or ax.get_ylabel() or "loss")
    if log_y:
        ax.set_yscale("log")
    if label is not None:
        ax.legend()
    return ax


# Each curve's own name: σ belongs to the sigmoid alone.
_CURVE_LABELS: dict[ActivationName, tuple[str, str]] = {
    "sigmoid": ("sigmoid σ(z)", "σ′(z)"),
    "tanh": ("tanh(z)", "tanh′(z)"),
    "relu": ("ReLU(z)", "ReLU′(z)"),
    "identity": ("identity z", "identity′ = 1"),
}


def plot_activations(
    names: Sequence[ActivationName] = ("sigmoid", "tanh", "relu"),
    ax: Axes | None = None,
    *,
    z_range: tuple[float, float] = (-5.0, 5.0),
    resolution: int = 201,
) -> Axes:
    """Draw activation functions (solid) with their slopes (dashed, same colour).

    Each curve is labelled with its own name: σ(z) and σ′(z) for the sigmoid only
    (the course reserves σ for it), tanh(z) and tanh′(z), ReLU(z) and ReLU′(z).
    Steep curves (ReLU, identity) are cut at 2.5 so that the sigmoid's slope,
    at most ¼, stays visible.

    Parameters
    ----------
    names : sequence of {"sigmoid", "tanh", "relu", "identity"}
    ax : matplotlib.axes.Axes, optional
    z_range : (float, float)
        The weighted sums z shown on the horizontal axis.
    resolution : int
        Points per curve.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> ax = plot_activations(("sigmoid", "relu"), ax=ax)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['sigmoid σ(z)', 'σ′(z)', 'ReLU(z)', 'ReLU′(z)']
    >>> sum(line.get_linestyle() == "--" for line in ax.lines)
    2
    >>> plt.close(fig)
    """
    low, high = check_limits(z_range, "z_range")
    resolution = check_positive_int(resolution, "resolution")
    if isinstance(names, str) or not isinstance(names, Sequence) or len(names) < 1:
        raise TypeError(
            f"names must be a sequence of activation names, e.g. ('relu',); got {names!r}"
        )
    functions = [
        (checked, *get_activation(checked))
        for checked in (check_activation(name, f"names[{i}]") for i, name in enumerate(names))
    ]
    ax = check_axes(ax)
    ax = ax if ax is not None else plt.gca()
    z = torch.linspace(low, high, max(resolution, 2))
    ax.axhline(0, color=COLORS["grey"], linewidth=0.6)
    for i, (name, function, derivative) in enumerate(functions):
        color = SEQUENCE[i % len(SEQUENCE)]
        value_label, slope_label = _CURVE_LABELS[name]
        ax.plot(z.tolist(), function(z).tolist(), color=color, label=value_label)
        ax.plot(z.tolist(), derivative(z).tolist(), "--", color=color, label=slope_label)
    if ax.get_ylim()[1] > 2.5:
        ax.set_ylim(top=2.5)
    ax.legend(loc="upper left", fontsize="small", ncols=len(functions))
    ax.set_xlabel("weighted sum z")
    ax.set_ylabel("activation (solid) and its slope (dashed)")
    return ax
