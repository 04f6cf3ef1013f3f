"""The PDF edition (``tools/annlab_site/pdf.py``): what the built site's PDF holds, and
where it is offered.

The PDF is read with PDFium (pypdfium2): its text, the boxes of its text and its
images, page by page, in a few seconds for the whole course. The reproducible bytes are
proven by ``tests/site/test_reproducible.py``, whose second clean build prints it again.
"""

from __future__ import annotations

import concurrent.futures
import copy
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from annlab_site import pdf, print_figures
from bs4 import BeautifulSoup, Tag

from tests.site.conftest import TUTORIALS, build_site, chromium_path, small_project

pytestmark = [pytest.mark.site]

COURSE = ["index.html", *(f"tutorials/{path.stem}/index.html" for path in TUTORIALS)]
POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Sheet:
    """What a test needs of one page of the PDF, read once."""

    text: str
    size: tuple[float, float]
    boxes: list[tuple[float, float, float, float]]  # PDFium's boxes of the text's runs
    images: int
    # Each image's size in pixels and its placed size in points, in page order.
    figures: list[tuple[int, int, float, float]]
    textpage: Any  # to quote what lies outside a box, only when a test fails


@dataclass(frozen=True)
class Printed:
    sheets: list[Sheet]
    chapters: list[tuple[str, int]]  # each bookmark's title and page (from 0)


@pytest.fixture(scope="module")
def printed(built_site: Path) -> Iterator[Printed]:
    path = built_site / pdf.FOLDER / pdf.NAME
    if not path.exists() and chromium_path() is None:
        pytest.skip("no Chromium here, so the build printed no PDF")
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    document = pypdfium2.PdfDocument(path)
    sheets = []
    for page in document:
        textpage = page.get_textpage()
        boxes = [textpage.get_rect(index) for index in range(textpage.count_rects())]
        objects = (
            pdfium_c.FPDFPage_GetObject(page.raw, index)
            for index in range(pdfium_c.FPDFPage_CountObjects(page.raw))
        )
        sheets.append(
            Sheet(
                # Without the page number, which Chromium writes last.
                text=re.sub(r"\s*\d+ / \d+\s*$", "", textpage.get_text_range()),
                size=page.get_size(),
                boxes=boxes,
                images=sum(
                    pdfium_c.FPDFPageObj_GetType(o) == pdfium_c.FPDF_PAGEOBJ_IMAGE for o in objects
                ),
                figures=[_placed(image) for image in _images(page)],
                textpage=textpage,
            )
        )
    chapters = [(item.get_title(), item.get_dest().get_index()) for item in document.get_toc()]
    yield Printed(sheets, chapters)
    document.close()


def _images(page: Any) -> Any:
    """The page's images, as PDFium's image objects, in the order they are drawn."""
    import pypdfium2.raw as pdfium_c

    return page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1)


def _placed(image: Any) -> tuple[int, int, float, float]:
    width, height = image.get_px_size()
    left, bottom, right, top = image.get_bounds()
    return width, height, right - left, top - bottom


@functools.cache
def _article(site: Path, page: str) -> Tag:
    """The page's article, parsed once (alone: the whole page takes twice as long)."""
    found = pdf.ARTICLE.search((site / page).read_text(encoding="utf-8"))
    assert found is not None, page
    return BeautifulSoup(found.group(1), "html.parser")


def _words(text: str) -> str:
    """Text as comparable words: math letters folded (𝑥 is x), punctuation and symbols
    dropped, one space between words."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"[^\W_]+", folded))


def _prose(item: Tag) -> str:
    """The longest stretch of a list item's prose between its formulas (a formula's text
    differs between MathML and the PDF: a fraction's parts, a superscript's place)."""
    item = copy.copy(item)  # a copy: the parsed articles are shared between tests
    for math in item.find_all("math"):
        math.replace_with("\x00")
    stretches = [_words(part) for part in item.get_text(" ").split("\x00")]
    longest = max(stretches, key=len)
    return " ".join(longest.split()[:12])


def test_every_chapter_starts_a_sheet_and_the_contents_give_its_page(
    built_site: Path, printed: Printed
) -> None:
    titles = [
        " ".join(_article(built_site, page).h1.get_text(" ", strip=True).rstrip("¶").split())
        for page in COURSE
    ]
    chapters = printed.chapters
    assert [title for title, _ in chapters] == titles, "one bookmark per page, in nav order"
    starts = [start for _, start in chapters]
    assert starts == sorted(set(starts)) and starts[0] > 0, starts
    for title, start in chapters:
        first_line = printed.sheets[start].text.strip().splitlines()[0]
        assert _words(first_line) == _words(title), f"{title} does not open page {start + 1}"
    contents = printed.sheets[0].text
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", contents, re.M)]
    assert numbers == [start + 1 for start in starts], "the contents give each chapter's page"
    print(f"\n{len(printed.sheets)} sheets; chapters start on {[s + 1 for s in starts]}")


def test_every_title_and_key_point_is_printed_in_order(built_site: Path, printed: Printed) -> None:
    text = _words(" ".join(sheet.text for sheet in printed.sheets))
    expected: list[str] = []
    for page in COURSE[1:]:
        article = _article(built_site, page)
        expected.append(_words(article.h1.get_text(" ").rstrip("¶")))
        heading = next(h2 for h2 in article.find_all("h2") if "Key points" in h2.get_text())
        points = heading.find_next("ul")
        assert points is not None, page
        expected += [_prose(item) for item in points.find_all("li", recursive=False)]
    position = 0
    for phrase in expected:
        found = text.find(phrase, position)
        assert found >= 0, f"not printed (after character {position}): {phrase!r}"
        position = found + len(phrase)
    print(f"\n{len(expected)} titles and key points found in order")


def _points(side: str) -> float:
    return float(pdf.MARGIN[side].removesuffix("mm")) * POINTS_PER_MM


def test_no_character_lies_outside_the_printable_area(printed: Printed) -> None:
    """Every character between the side margins and below the top one (the page
    number sits in the bottom margin), and the text fills that width: some line reaches
    each side margin. (Chromium does not draw what falls outside the printable area,
    so a line cut there is missing rather than outside: the next test looks for those.
    This one failed when Material's print stylesheet set 25 mm margins over ours.)"""
    tolerance = 0.5  # points: a glyph's side bearing
    outside = []
    lowest, highest = float("inf"), 0.0
    for number, sheet in enumerate(printed.sheets, start=1):
        width, height = sheet.size
        left, right, top = _points("left"), width - _points("right"), height - _points("top")
        for x0, y0, x1, y1 in sheet.boxes:
            lowest, highest = min(lowest, x0), max(highest, x1)
            if x0 < left - tolerance or x1 > right + tolerance or y0 < 0 or y1 > top + tolerance:
                words = sheet.textpage.get_text_bounded(x0, y0, x1, y1)
                outside.append(f"page {number}: {words.strip()[:60]!r} at x {x0:.0f}..{x1:.0f}")
    assert outside == [], f"{len(outside)} lines leave the printable area:\n" + "\n".join(
        outside[:20]
    )
    assert lowest < left + 3 and highest > right - 3, (
        f"the text spans {lowest:.0f}..{highest:.0f} pt of a printable {left:.0f}..{right:.0f}"
    )


def _letters(text: str) -> str:
    """Only the letters and digits of a text: a line wrapped at the margin, even inside
    a word, keeps them all, in order."""
    return "".join(re.findall(r"[^\W_]", unicodedata.normalize("NFKC", text)))


def _printed(line: str, text: str, sheets: list[str]) -> bool:
    """Whether a line's letters are in the PDF's, whole or (a wrapped line that a page
    break split) in two long pieces, or in a head that ends one sheet and a tail of any
    length on the next (Chromium paints the carried-over tail after other text there)."""
    if line in text:
        return True
    if any(line[:cut] in text and line[cut:] in text for cut in range(12, len(line) - 11)):
        return True
    return any(
        sheet.endswith(line[:cut]) and line[cut:] in following  # (sheets end before
        for sheet, following in itertools.pairwise(sheets)  # their page number)
        for cut in range(1, len(line))
    )


def test_every_line_of_code_and_output_is_printed_whole(
    built_site: Path, printed: Printed
) -> None:
    """What a margin cuts off is missing from the PDF (Chromium drops clipped text), so
    every line of every code cell and printed output must be in it. (Only the lines:
    the order of the text within a page is Chromium's painting order.)"""
    text = _letters(" ".join(sheet.text for sheet in printed.sheets))
    sheets = [_letters(sheet.text) for sheet in printed.sheets]
    lines, missing = 0, []
    for page in COURSE:
        for block in _article(built_site, page).select("pre"):
            if block.find_parent(class_="clipboard-copy-txt"):
                continue
            for line in block.get_text().splitlines():
                if _letters(line):
                    lines += 1
                    if not _printed(_letters(line), text, sheets):
                        missing.append(f"{page}: {line[:100]!r}")
    print(f"\n{lines} lines of code and output checked")
    assert missing == [], f"{len(missing)} lines not printed whole:\n" + "\n".join(missing[:20])


def test_every_figure_is_printed_in_its_chapter(built_site: Path, printed: Printed) -> None:
    chapters = printed.chapters
    ends = [start for _, start in chapters[1:]] + [len(printed.sheets)]
    counts, expected = [], []
    for (_, start), end, page in zip(chapters, ends, COURSE, strict=True):
        images = sum(sheet.images for sheet in printed.sheets[start:end])
        counts.append(images)
        expected.append(len(_article(built_site, page).select("img")))
    print(f"\nimages per chapter: {counts}")
    assert counts == expected
    assert sum(expected) > 30


def test_the_math_is_set_in_the_sites_math_font(built_site: Path, printed: Printed) -> None:
    """Formulas print in the font they display in (math.css lets a late font fall back
    to a system one on screen; the print waits for it)."""
    assert b"STIXTwoMath" in (built_site / pdf.FOLDER / pdf.NAME).read_bytes()


@pytest.mark.parametrize("page", COURSE)
def test_the_page_offers_the_pdf_with_its_size(built_site: Path, page: str) -> None:
    target = built_site / pdf.FOLDER / pdf.NAME
    if not target.exists() and chromium_path() is None:
        pytest.skip("no Chromium here, so the build printed no PDF")
    offer = _article(built_site, page).select_one("p.annlab-pdf")
    assert offer is not None, f"{page} does not offer the PDF"
    link = offer.select_one("a[href]")
    assert link is not None
    assert (built_site / page).parent.joinpath(str(link["href"])).resolve() == target.resolve()
    assert f"({pdf.human_size(target.stat().st_size)})" in offer.get_text()
    assert target.stat().st_size < 15_000_000


@pytest.mark.browser
def test_printing_fetches_nothing_outside_the_site(tmp_path: Path) -> None:
    chromium = chromium_path()
    if chromium is None:
        pytest.skip("no Chromium here")
    from mkdocs.exceptions import PluginError

    page = '<p>x<img src="https://example.com/figure.png"></p>'
    # In a thread of its own: Playwright's sync API refuses to start in a thread where
    # another one runs (the browser tests' session fixture, on the same xdist worker).
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        printing = thread.submit(pdf.print_pdf, page, tmp_path, chromium)
        with pytest.raises(PluginError, match="outside the site"):
            printing.result()


def test_without_chromium_the_site_builds_and_says_why(tmp_path: Path) -> None:
    project = small_project(tmp_path, {"01_page.py": "# %% [markdown]\n# # A page\n"}, pdf=True)
    env = {
        "ANNLAB_CHROMIUM": str(tmp_path / "no-chromium"),
        "ANNLAB_PAGE_CACHE": str(tmp_path / "cache"),
        "CI": "false",
    }
    result = build_site(project, tmp_path / "site", env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "no Chromium found" in result.stderr
    assert not (tmp_path / "site" / pdf.FOLDER / pdf.NAME).exists()
    assert "annlab-pdf" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_without_chromium_ci_is_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Under CI=true a missing Chromium is a warning, which fails the strict build."""
    import logging

    monkeypatch.setenv("ANNLAB_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("CI", "true")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.annlab"):
        assert pdf.printer(True, "build") is None
        assert pdf.printer(True, "serve") is None
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    monkeypatch.setenv("ANNLAB_CHROMIUM", chromium_path() or "/usr/bin/chromium")
    assert pdf.printer(False, "build") is None


def _figures(site: Path) -> list[Path]:
    """The course's figure files, in the order the PDF prints them."""
    return [
        (site / page).parent / str(image["src"])
        for page in COURSE
        for image in _article(site, page).select("img")
    ]


def test_every_figure_is_printed_at_print_resolution(built_site: Path, printed: Printed) -> None:
    """Each figure has ``PRINT_DPI`` pixels to the inch where it is drawn, across and
    down (less 1 %: a pixel of rounding in the figure's tight frame): the kernel drew it
    again for print (``print_figures.py``). The page's PNG printed at 96 to 196 dpi."""
    figures = [figure for sheet in printed.sheets for figure in sheet.figures]
    assert len(figures) == len(_figures(built_site)), "one image per figure of the pages"
    low = []
    for number, sheet in enumerate(printed.sheets, start=1):
        for width, height, across, down in sheet.figures:
            dpi = min(width / (across / 72), height / (down / 72))
            if dpi < print_figures.PRINT_DPI * 0.99:
                low.append(f"page {number}: {width}x{height} pixels at {dpi:.0f} dpi")
    dpis = [min(w / (a / 72), h / (d / 72)) for w, h, a, d in figures]
    print(f"\n{len(figures)} figures at {min(dpis):.0f} to {max(dpis):.0f} dpi")
    assert low == [], f"{len(low)} figures below {print_figures.PRINT_DPI} dpi:\n" + "\n".join(low)


def test_every_printed_figure_is_its_pages_figure(built_site: Path, printed: Printed) -> None:
    """The image printed in each figure's place is that figure, drawn for print: the
    shape of the page's PNG (within 2 %), and the same picture (its snapshot fingerprint, the mean
    colour of a 16 x 16 grid, correlated over the grid with the page's: 0.97 or more
    on these pages, at most 0.92 between two different figures of the same shape)."""
    import io

    import numpy as np
    import pypdfium2
    from PIL import Image

    from tests.site.snapshot import fingerprint

    document = pypdfium2.PdfDocument(built_site / pdf.FOLDER / pdf.NAME)
    drawn = (image for page in document for image in _images(page))
    wrong = []
    lowest = 1.0
    for path, image in zip(_figures(built_site), drawn, strict=True):
        page = Image.open(path)
        picture = image.get_bitmap(render=False).to_pil().convert("RGB")
        # 2 %: text drawn at 100 dpi runs a little wider than at 300 (hinting), and a
        # title that reaches past the axes widens the tight frame (page 1's third: 1.3 %)
        if abs(picture.width / picture.height / (page.width / page.height) - 1) > 0.02:
            wrong.append(f"{path}: printed {picture.width}x{picture.height}")
            continue
        small = io.BytesIO()
        picture.resize(page.size, Image.Resampling.BOX).save(small, format="png")
        ours = fingerprint("page", path.read_bytes()).means.ravel()
        theirs = fingerprint("print", small.getvalue()).means.ravel()
        correlation = float(np.corrcoef(ours, theirs)[0, 1])
        lowest = min(lowest, correlation)
        if correlation < 0.95:
            wrong.append(f"{path}: correlation {correlation:.3f} with the printed image")
    document.close()
    print(f"\nlowest correlation of a printed figure with its page's: {lowest:.3f}")
    assert wrong == [], "\n".join(wrong)
