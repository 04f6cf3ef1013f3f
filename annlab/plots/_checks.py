"""Checks at the door of the plots: the arguments only the plotting helpers take.

Like :mod:`annlab._checks` (which holds the checks several parts share), each raises
a ``TypeError`` or ``ValueError`` that names the argument and what was expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import torch

from annlab._checks import _show, check_tensor

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def check_labels(labels: Any, n_rows: int | None = None) -> torch.Tensor:
    """Check class labels (0 or 1, shape (n,) or (n, 1)) and return them as a flat long tensor.

    Examples
    --------
    >>> check_labels([[0.0], [1.0]])
    tensor([0, 1])
    >>> check_labels([0, 2])
    Traceback (most recent call last):
    ...
    ValueError: labels must be 0 or 1; got the values [0, 2]
    """
    checked = check_tensor(labels, "labels", ndim=(1, 2), dtype="any")
    if checked.ndim == 2 and checked.shape[1] != 1:
        raise ValueError(f"labels must have shape (n,) or (n, 1); got {tuple(checked.shape)}")
    flat = checked.reshape(-1)
    if not bool(((flat == 0) | (flat == 1)).all()):
        values = sorted({float(v) if v % 1 else int(v) for v in flat.tolist()})
        raise ValueError(f"labels must be 0 or 1; got the values {values[:10]}")
    if n_rows is not None and len(flat) != n_rows:
        raise ValueError(
            f"x and labels must have the same number of rows; got {n_rows} and {len(flat)}"
        )
    return flat.long()


def check_points(x: Any) -> torch.Tensor:
    """Check that ``x`` holds points of the plane, shape (n, 2), and return it.

    Examples
    --------
    >>> check_points([[0, 1]]).shape
    torch.Size([1, 2])
    """
    points = check_tensor(x, "x", ndim=2)
    if points.shape[1] != 2:
        raise ValueError(f"x must have 2 columns (two features) to draw; got {points.shape[1]}")
    return points


def check_limits(value: Any, name: str) -> tuple[float, float]:
    """Check that ``value`` is a range ``(low, high)`` of finite numbers with low < high.

    Examples
    --------
    >>> check_limits((-1, 2), "xlim")
    (-1.0, 2.0)
    >>> check_limits((2, -1), "xlim")
    Traceback (most recent call last):
    ...
    ValueError: xlim must be (low, high) with low < high; got (2, -1)
    """
    limits = check_tensor(value, name, ndim=1).tolist()
    if len(limits) != 2 or not limits[0] < limits[1]:
        raise ValueError(f"{name} must be (low, high) with low < high; got {value!r}")
    return float(limits[0]), float(limits[1])


def check_names(value: Any, name: str, count: int = 2) -> tuple[str, ...]:
    """Check that ``value`` holds ``count`` strings (axis labels, legend entries).

    A single string is refused: ``"ab"`` would silently label the axes "a" and "b".

    Examples
    --------
    >>> check_names(["sleep (hours)", "study (hours)"], "feature_names")
    ('sleep (hours)', 'study (hours)')
    >>> check_names("xy", "feature_names")
    Traceback (most recent call last):
    ...
    TypeError: feature_names must be a sequence of 2 strings; got 'xy'
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a sequence of {count} strings; got {_show(value)}")
    if len(value) != count or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{name} must be a sequence of {count} strings; got {_show(value)}")
    return tuple(value)


def check_text(value: Any, name: str) -> str:
    """Check that ``value`` is a string with something to show (a label) and return it.

    Examples
    --------
    >>> check_text("ReLU", "activation")
    'ReLU'
    >>> check_text("  ", "activation")
    Traceback (most recent call last):
    ...
    ValueError: activation must be a non-empty string; got '  '
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string; got {_show(value)}")
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty string; got {value!r}")
    return value


def check_instance(value: Any, name: str, kind: type) -> Any:
    """Check that ``value`` is a ``kind`` (e.g. an experiment's result) and return it.

    Examples
    --------
    >>> check_instance(None, "result", dict)
    Traceback (most recent call last):
    ...
    TypeError: result must be a dict; got None
    """
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__}; got {_show(value)}")
    return value


def check_axes(ax: Any) -> Axes | None:
    """Check that ``ax`` is a matplotlib ``Axes`` or None (the current Axes), and return it.

    Examples
    --------
    >>> check_axes(None) is None
    True
    >>> check_axes("left")
    Traceback (most recent call last):
    ...
    TypeError: ax must be a matplotlib Axes or None; got 'left'
    """
    # Imported here, so that using annlab without its plots does not load matplotlib.
    from matplotlib.axes import Axes

    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {_show(ax)}")
    return ax
