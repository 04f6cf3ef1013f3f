"""Each figure a page draws, once more at print resolution, for the PDF edition.

The pages' figures are PNGs at the figure's own dpi (100), shown at one CSS pixel per
image pixel: sharp on a screen, but paper has 96 CSS pixels to the inch, so the PDF
printed them at 96 to 160 dpi. This IPython extension, loaded into every page's kernel
(``page_run.run_page``), gives matplotlib's figures one more representation: when the
inline backend displays a figure (its PNG, for the page), IPython asks every formatter
for one, and this one answers with the same figure printed at the dpi that gives it
``PRINT_DPI`` on paper (:func:`print_dpi`), under its own MIME type (``PRINT_MIME``) in
the same output. So the print figure is drawn by the page's own code, in the same
kernel, at the same moment, from the same figure object: it cannot drift from the
page's figure. The site never shows it: ``notebook.notebook_html`` takes it out of the
output before the page is rendered, and the PDF's print page gets it in place of the
PNG (``pdf.py``).

Nothing about the page's PNG changes: the inline backend's PNG formatter runs first, as
before (a print at another dpi leaves the figure as it was), and the PNG is still the
only image in the page's HTML.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

PRINT_MIME = "image/x-annlab-print-png"
PRINT_DPI = 300  # on paper, at the size the PDF prints the figure
CSS_PIXELS_PER_INCH = 96
# The PDF's text width: A4's 210 mm less its side margins (pdf.MARGIN; a test holds the
# two together). No figure prints wider.
TEXT_WIDTH_MM = 180


def print_dpi(figure: Any, pad_inches: float) -> float:
    """The dpi to draw ``figure`` at for ``PRINT_DPI`` on paper.

    The page shows the figure's PNG (its tight frame, padded by ``pad_inches``, at the
    figure's dpi) at one CSS pixel per pixel, and the print page keeps that size unless
    it is wider than the text, which then narrows it to the text's width. Drawn at this
    dpi, the figure has ``PRINT_DPI`` pixels to the inch at its printed width, and no
    more: a wide figure (narrowed) needs fewer than a narrow one.
    """
    width = figure.get_tightbbox().width + 2 * pad_inches  # inches, as the PNG frames it
    shown = width * figure.dpi / CSS_PIXELS_PER_INCH  # inches, at one CSS pixel a pixel
    printed = min(shown, TEXT_WIDTH_MM / 25.4)
    return float(PRINT_DPI * printed / width)


def print_png(figure: Any) -> str | None:
    """The figure as a PNG at :func:`print_dpi`, framed as the inline backend frames the
    page's PNG (base64, as a notebook holds it); None for an empty figure, as the inline
    backend gives no PNG for one."""
    from IPython.core.pylabtools import print_figure
    from matplotlib import rcParams
    from matplotlib_inline.config import InlineBackend

    if not figure.axes and not figure.lines:  # IPython's own test for an empty figure
        return None
    options: dict[str, Any] = dict(InlineBackend.instance().print_figure_kwargs)
    pad = options.get("pad_inches", rcParams["savefig.pad_inches"])
    pad = pad if isinstance(pad, float | int) else 0.0  # "layout": no padding of its own
    options["dpi"] = print_dpi(figure, pad)
    with legends_held(figure):
        data = print_figure(figure, "png", base64=True, **options)  # type: ignore[no-untyped-call]
    return data if isinstance(data, str) else None


@contextlib.contextmanager
def legends_held(figure: Any) -> Iterator[None]:
    """Each legend of ``figure`` at ``loc="best"`` held where the figure's own dpi puts
    it, then let go.

    Such a legend (matplotlib's default) is placed at each draw by counting what it
    would cover, in pixels, and another dpi can tip the count: page 9's first figure had
    its legend at the top on the page and at the bottom left in print. Held at the
    corner it has at the figure's dpi (as a fraction of the axes or figure it sits in),
    it prints where the page shows it. A legend at a named place or a point stays as it
    is: where it goes depends on no pixel count.
    """
    candidates = [*figure.legends, *(ax.get_legend() for ax in figure.axes)]
    # matplotlib has no public getter for a legend's location: its _loc is what
    # set_loc sets (0 for "best"), and it is put back as it was.
    best = [legend for legend in candidates if legend is not None and legend._loc == 0]
    renderer = figure.canvas.get_renderer()
    for legend in best:
        box, anchor = legend.get_window_extent(renderer), legend.get_bbox_to_anchor()
        legend.set_loc(((box.x0 - anchor.x0) / anchor.width, (box.y0 - anchor.y0) / anchor.height))
    try:
        yield
    finally:
        for legend in best:
            legend.set_loc("best")


def load_ipython_extension(ipython: Any) -> None:
    """Register the print formatter (IPython's entry point for an extension)."""
    from IPython.core.formatters import BaseFormatter
    from traitlets import Unicode

    class PrintFormatter(BaseFormatter):
        """Answers for matplotlib's figures only. It finds them itself rather than by
        ``for_type``: when a page first imports pyplot, the inline backend sets up its
        formats with IPython's ``select_figure_formats``, which takes the figure's
        printer out of every formatter, this one's too."""

        format_type = Unicode(PRINT_MIME)
        _return_type = str

        def __call__(self, obj: Any) -> str | None:
            figure = getattr(sys.modules.get("matplotlib.figure"), "Figure", None)
            if self.enabled and figure is not None and isinstance(obj, figure):
                return print_png(obj)
            return None

    ipython.display_formatter.register_formatter(PrintFormatter(parent=ipython.display_formatter))
