"""The one colour palette of every annlab figure.

Okabe and Ito's eight colours, chosen to stay distinguishable for readers with
any common colour-vision deficiency, and mid-toned enough to read on both a
white and a near-black page. Use the names, not the hex codes.
"""

from __future__ import annotations

from numbers import Real

COLORS: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#999999",
}
"""Okabe–Ito colours by name."""

CLASS_COLORS: tuple[str, str] = (COLORS["blue"], COLORS["orange"])
"""Colours of class 0 and class 1 in every classification figure."""

CLASS_MARKERS: tuple[str, str] = ("o", "s")
"""Markers of class 0 and class 1, so the classes differ in shape as well as colour."""

ERROR_COLOR: str = COLORS["vermillion"]
"""Colour of misclassified points and of anything marked as wrong."""

SEQUENCE: tuple[str, ...] = (
    COLORS["blue"],
    COLORS["orange"],
    COLORS["green"],
    COLORS["vermillion"],
    COLORS["purple"],
    COLORS["sky"],
    COLORS["grey"],
)
"""Colours for successive lines in one plot (yellow is left out: too light on white)."""

DIVERGING_CMAP: str = "RdBu_r"
"""Colour map for values around 0 (a neuron's weighted sum)."""

SEQUENTIAL_CMAP: str = "viridis"
"""Colour map for values in a range (a probability, a loss)."""


def class_color(label: int) -> str:
    """The colour of class ``label`` (0 or 1).

    Examples
    --------
    >>> class_color(1) == COLORS["orange"]
    True
    >>> class_color(2)
    Traceback (most recent call last):
    ...
    ValueError: label must be 0 or 1; got 2
    """
    # A bool or a tensor would slip through ``in (0, 1)`` (or crash it): numbers only.
    if isinstance(label, bool) or not isinstance(label, Real) or label not in (0, 1):
        raise ValueError(f"label must be 0 or 1; got {label!r}")
    return CLASS_COLORS[int(label)]
