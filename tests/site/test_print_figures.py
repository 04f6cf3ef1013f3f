"""The figures at print resolution (annlab_site/print_figures.py): drawn by the page's
kernel beside the page's PNG, which stays as it was, and kept out of the page's HTML."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from annlab_site import notebook, page_run, pdf, print_figures
from IPython.core.pylabtools import print_figure
from PIL import Image

from tests.site.test_hooks import OPTIONS

matplotlib.use("Agg")
import matplotlib.pyplot as plt


@pytest.fixture
def figures() -> Iterator[None]:
    yield
    plt.close("all")


def _screen(figure: Any) -> Image.Image:
    """The figure as the page shows it: the inline backend's PNG."""
    return Image.open(io.BytesIO(print_figure(figure, "png", bbox_inches="tight")))


def _printed(figure: Any) -> Image.Image:
    data = print_figures.print_png(figure)
    assert data is not None
    return Image.open(io.BytesIO(base64.b64decode(data)))


def _plot(size: tuple[float, float], **legend: Any) -> Any:
    figure, ax = plt.subplots(figsize=size, dpi=100, layout="constrained")
    ax.plot([0, 1, 2], [0, 1, 4], label="squares")
    ax.plot([0, 1, 2], [4, 1, 0], label="falling")
    ax.set_title("a title")
    ax.legend(**legend)
    return figure


def _dpi_on_paper(screen: Image.Image, printed: Image.Image) -> float:
    """The print's pixels per inch where the PDF draws it: at its page's size in CSS
    pixels (96 to the inch), narrowed to the text's width if wider."""
    inches = min(screen.width / 96, print_figures.TEXT_WIDTH_MM / 25.4)
    return printed.width / inches


@pytest.mark.parametrize("size", [(4, 3), (6, 4), (12, 4), (16, 3)])
def test_a_figure_prints_at_the_print_resolution_and_no_more(
    figures: None, size: tuple[float, float]
) -> None:
    """Narrow figures print at their page size, wide ones at the text's width: either
    way 300 dpi (a pixel of rounding in the tight frame aside), not 300 times 4 / 3."""
    figure = _plot(size)
    dpi = _dpi_on_paper(_screen(figure), _printed(figure))
    assert print_figures.PRINT_DPI - 1 <= dpi <= print_figures.PRINT_DPI + 2, dpi


@pytest.mark.parametrize(
    "legend",
    [{}, {"loc": "upper left", "bbox_to_anchor": (1.02, 1)}, {"loc": "lower right"}],
    ids=["best", "outside-the-axes", "named-corner"],
)
def test_the_print_is_framed_as_the_page_shows_the_figure(
    figures: None, legend: dict[str, Any]
) -> None:
    """Same aspect ratio as the page's PNG (a legend anchored outside the axes once
    vanished from the print, narrowing it)."""
    figure = _plot((6, 4), **legend)
    screen, printed = _screen(figure), _printed(figure)
    assert printed.width / printed.height == pytest.approx(screen.width / screen.height, rel=0.01)


def test_a_best_legend_is_held_for_the_print_and_let_go_after(figures: None) -> None:
    figure = _plot((6, 4))
    legend = figure.axes[0].get_legend()
    renderer = figure.canvas.get_renderer()
    where = legend.get_window_extent(renderer).transformed(figure.axes[0].transAxes.inverted())
    with print_figures.legends_held(figure):
        figure.set_dpi(300)  # as the print draws it
        held = legend.get_window_extent(figure.canvas.get_renderer())
        held = held.transformed(figure.axes[0].transAxes.inverted())
        figure.set_dpi(100)
        assert (held.x0, held.y0) == pytest.approx((where.x0, where.y0), abs=0.01)
    assert legend._loc == 0, "back at loc='best'"


def test_the_text_width_is_the_pdfs() -> None:
    margins = pdf._points(pdf.MARGIN["left"]) + pdf._points(pdf.MARGIN["right"])
    assert print_figures.TEXT_WIDTH_MM == pytest.approx(210 - margins * 25.4 / 72)


# Constrained layout with a legend outside the axes: a second draw of this figure gives
# other bytes than its first, so a print drawn before the page's PNG would show.
PAGE = """\
# %% [markdown]
# # A page

# %% alt="two lines"
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
ax.plot([0, 1, 2], [0, 1, 4], label="squares")
ax.set_title("a title")
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))
plt.show()
"""


def _run(tmp_path: Path) -> Any:
    path = tmp_path / "01_page.py"
    path.write_text(PAGE, encoding="utf-8")
    return page_run.run_page(path, page_run.PROFILES["native"]).notebook


def test_the_kernel_draws_each_figure_for_print_and_the_page_shows_only_its_png(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed = _run(tmp_path)
    (output,) = executed.cells[1].outputs
    assert {"image/png", print_figures.PRINT_MIME} <= set(output.data)
    html, files = notebook.notebook_html(executed, OPTIONS)
    printed = notebook.print_figures(executed)
    assert sorted(files) == sorted(printed) == ["figure-1.png"]
    assert print_figures.PRINT_MIME not in html and printed["figure-1.png"] not in html
    screen = Image.open(io.BytesIO(base64.b64decode(files["figure-1.png"])))
    big = Image.open(io.BytesIO(base64.b64decode(printed["figure-1.png"])))
    assert big.width >= screen.width * print_figures.PRINT_DPI / 96 - 1
    # The page's PNG is the one a kernel without the extension draws (IPython's own
    # storemagic, which every kernel loads, in its place).
    monkeypatch.setattr(page_run, "PRINT_EXTENSION", "IPython.extensions.storemagic")
    (alone,) = _run(tmp_path).cells[1].outputs
    assert print_figures.PRINT_MIME not in alone.data
    assert alone.data["image/png"] == output.data["image/png"]
