"""The course as one PDF: the home page and the ten tutorials, printed by Chromium from
the site just built.

Nothing runs twice: the print page is put together from the built pages' ``<article>``
(their math already MathML, their figures already files, their folds already marked
up), with the site's own stylesheets plus a print stylesheet; Chromium (the one the
browser tests drive, through Playwright) prints it. Every request the print page makes
is answered from the site folder, and any other is refused, so printing fetches nothing
from the network. A title sheet with the table of contents (linked, with each chapter's
first page) comes first; every chapter starts on a new sheet; each sheet is numbered.

The figures are printed at print resolution: each page's kernel also drew every figure
at the dpi that gives it ``print_figures.PRINT_DPI`` (300) at the width it prints at
(``print_figures.py``), and the print page's request for a figure's file is answered
with that version. The ``<img>`` keeps the page's width and height, so the layout is
the page's. The site itself holds only the screen PNGs.

Chromium writes the date of the printing into the PDF; it is rewritten from
``SOURCE_DATE_EPOCH``, so two builds of one commit give the same bytes.

Why not ``mkdocs-print-site-plugin``: it publishes its print page as a page of the site
(which every site test, the search index and the sitemap would then carry), and it
collects the pages' HTML in ``on_page_content``, before this plugin's last passes; what
it would save (joining the articles, numbering ids) is a few lines here, and the rest
(the print stylesheet for notebook cells, Chromium, the reproducible dates) would still
be ours.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import os
import re
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError

from annlab_site import mathml

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader
    from pypdf.generic import DictionaryObject

log = logging.getLogger("mkdocs.plugins.annlab")

NAME = "annlab-course.pdf"
TITLE = "annlab: the course"
FOLDER = "downloads"  # beside the annlab wheel
# Every request of the print page goes to this origin, and is answered from the site.
ORIGIN = "http://print.annlab.invalid/"
PRINT_PAGE = "__print__.html"
# How every headless Chromium of the project starts (the print here, the browser tests):
# no sandbox (root in a container), no GPU, and nothing that reaches for the network.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# The pages' link to the PDF is written with this in place of its size, which is
# known only once the PDF is printed (after every page is written).
SIZE_MARK = "@@annlab-pdf-size@@"
TOC_POINTS = 11  # the contents' font size (.annlab-print-toc below)
MARGIN = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
FOOTER = (
    '<div style="width:100%;font-size:8px;text-align:center;color:#555;'
    'font-family:sans-serif"><span class="pageNumber"></span> / '
    '<span class="totalPages"></span></div>'
)
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
STYLESHEET = re.compile(
    r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"|'
    r'<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"'
)

# What the screen needs and paper does not, and what paper needs: no chrome, folds
# open, code and outputs wrapped at the margin, a new sheet per chapter.
PRINT_CSS = (
    # Material's own print stylesheet sets 25 mm margins: ours win, and the same ones
    # are given to Chromium (the page number sits in the bottom one).
    "@page {{ size: A4; margin: {top} {right} {bottom} {left}; }}".format(**MARGIN)
    + """
/* The math font as math.css declares it, but waited for: math.css lets a screen fall
   back to a system font when the font is late (font-display: optional), which on
   paper would set every formula in another font. */
@font-face { font-family: STIX2; src: url("assets/temml/%FONT%") format("woff2");
  font-display: block; }
html { font-size: 100%; background: #fff; }
body { margin: 0; }
.annlab-print-chapter, .annlab-print-front { break-before: page; }
.annlab-print-front { break-before: auto; }
.md-typeset { font-size: 10pt; line-height: 1.45; }
.md-content__inner { margin: 0 !important; padding: 0 !important; }
.md-typeset h1 { margin-top: 0; color: var(--md-default-fg-color); }
.headerlink, .anchor-link, .md-clipboard, .annlab-pdf, .md-source-file, button,
.zeroclipboard-container, .celltoolbar, .clipboard-copy-txt, .jp-Collapser {
  display: none !important;
}
.md-typeset pre, .md-typeset pre > code, .jp-OutputArea-output pre, .highlight pre {
  white-space: pre-wrap !important; overflow-wrap: anywhere; word-break: break-all;
  overflow: visible !important; max-height: none !important;
}
/* 79 columns, the width of the pages' code, fit in the text's width */
.md-typeset pre, .md-typeset pre > code, .jp-OutputArea-output pre {
  font-size: 8pt !important;
}
/* Nothing clipped: what does not fit shows past the margin (a test looks there). */
.annlab-print-chapter * { overflow: visible !important; }
.highlight, .jp-OutputArea, .jp-OutputArea-output, .jp-Cell, .jp-InputArea,
.md-typeset__scrollwrap, .md-typeset__table { max-width: 100% !important; }
.md-typeset table:not([class]) { display: table; max-width: 100%; font-size: .85em; }
.md-typeset table:not([class]) td, .md-typeset table:not([class]) th {
  overflow-wrap: anywhere;
}
.md-typeset math[display="block"] { max-width: 100%; overflow: visible; }
img { max-width: 100% !important; height: auto !important; break-inside: avoid; }
.jp-OutputArea-output img { break-inside: avoid; }
.md-typeset details { break-inside: auto; }
.md-typeset details > summary::after { display: none; }
h1, h2, h3, summary { break-after: avoid; }
.annlab-print-front h1 { font-size: 2.2em; margin-bottom: .2em; }
.annlab-print-front .annlab-print-subtitle { font-size: 1.2em; color: #444; }
.annlab-print-toc ol { list-style: none; padding: 0; margin-left: 0 !important; }
.annlab-print-toc li { display: flex; margin: .35em 0 !important; }
.annlab-print-toc li .annlab-print-leader { flex: 1 1 auto; border-bottom: 1px dotted #999;
  margin: 0 .4em .3em; }
.annlab-print-toc { font-size: 11pt; }
.annlab-print-toc li .annlab-print-pageno { flex: 0 0 2.2em; }
""".replace("%FONT%", mathml.FONT)
)

# Run in the print page once it is parsed: each chapter's article comes out of its
# inert <template> with its ids made unique, its links and images resolved from the
# page it came from (links to another chapter become links inside the PDF; links out of
# the course keep their text only), its folds open and its images loaded eagerly.
ASSEMBLE = """
() => {
  const chapters = [...document.querySelectorAll('section.annlab-print-chapter')];
  const byPath = new Map(chapters.map(s => [new URL(s.dataset.base).pathname, s.id]));
  for (const section of chapters) {
    const base = section.dataset.base;
    const template = section.querySelector('template');
    const article = template.content.cloneNode(true);
    const prefix = section.id + '-';
    for (const el of article.querySelectorAll('[id]')) el.id = prefix + el.id;
    for (const el of article.querySelectorAll('label[for]')) {
      el.htmlFor = prefix + el.htmlFor;
    }
    for (const img of article.querySelectorAll('img[src]')) {
      img.loading = 'eager';
      img.src = new URL(img.getAttribute('src'), base).href;
    }
    for (const a of article.querySelectorAll('a[href]')) {
      const url = new URL(a.getAttribute('href'), base);
      if (url.origin !== location.origin) continue;
      const target = byPath.get(url.pathname);
      if (target) {
        a.href = '#' + target + (url.hash ? '-' + url.hash.slice(1) : '');
      } else {
        a.replaceWith(...a.childNodes);
      }
    }
    for (const d of article.querySelectorAll('details')) d.open = true;
    template.replaceWith(article);
  }
  // On paper the wheel's relative URL means nothing: its name says what to install.
  for (const code of document.querySelectorAll('code.annlab-install')) {
    code.textContent = 'pip install ' + code.dataset.wheel.split('/').pop();
  }
  return Promise.all([
    ...[...document.images].map(img => img.decode().catch(() => {
      throw new Error('image did not load: ' + img.src);
    })),
    // Every font face declared, the math font among them, loaded before printing.
    ...[...document.fonts].map(face => face.load().catch(() => {
      throw new Error('font did not load: ' + face.family);
    })),
  ]).then(() => document.images.length);
}
"""


def printer(wanted: bool, command: str) -> str | None:
    """The Chromium to print the PDF with, or None (with the reason logged) when the PDF
    is not built: turned off, under ``mkdocs serve`` (every rebuild would print it),
    or no Chromium found; that last is a warning under ``CI=true``, which fails a
    strict build, and otherwise a note (the site builds without its PDF)."""
    if not wanted or command == "serve":
        return None
    chromium = find_chromium()
    if chromium is None:
        level = logging.WARNING if os.environ.get("CI") == "true" else logging.INFO
        log.log(
            level,
            "annlab: no Chromium found, so the site is built without its PDF edition "
            "(install it with `apt-get install -y chromium`, or name it in $ANNLAB_CHROMIUM)",
        )
    return chromium


def find_chromium() -> str | None:
    """The Chromium to print with: ``$ANNLAB_CHROMIUM``, else Debian's or Google's."""
    explicit = os.environ.get("ANNLAB_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    found = next((p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None)
    return found or shutil.which("chromium")


def figures_to_print(
    src_uri: str, folder: str, figures: Mapping[str, str], print_versions: Mapping[str, str]
) -> dict[str, bytes]:
    """A tutorial's figures at print resolution by their files' paths in the site
    (``folder``: the page's, e.g. ``tutorials/03_forward_pass``; both mappings: file name
    -> base64). A figure without one (an image no matplotlib figure drew) is named in a
    warning, which fails a strict build: the PDF would print it at screen resolution."""
    for name in sorted(set(figures) - set(print_versions)):
        log.warning(
            "annlab: %s's %s has no print-resolution version (not drawn by "
            "matplotlib?): the PDF prints it at screen resolution",
            src_uri,
            name,
        )
    return {f"{folder}/{name}": base64.b64decode(data) for name, data in print_versions.items()}


def human_size(size: int) -> str:
    """A file size as a reader reads it.

    >>> human_size(3_456_789), human_size(850_000)
    ('3.5 MB', '850 kB')
    """
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{round(size / 1e3)} kB"


def link_html(url_to_pdf: str) -> str:
    """The paragraph that offers the PDF on a page, its size still to fill in."""
    return (
        '<p class="annlab-pdf" data-search-exclude>The whole course, home page and ten '
        f'tutorials, as one PDF to print or read offline: <a href="{url_to_pdf}" download>'
        f"{NAME}</a> ({SIZE_MARK}).</p>"
    )


def add_link(output: str, url_to_pdf: str) -> str:
    """A built page with the PDF's link at the end of its article."""
    head, tail = output.rsplit("</article>", 1)
    return f"{head}{link_html(url_to_pdf)}\n</article>{tail}"


def fill_sizes(site: Path, pages: Sequence[str], size: int) -> None:
    """Write the PDF's size into the link of each page that offers it."""
    for page in pages:
        path = site / page
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(SIZE_MARK, human_size(size)), encoding="utf-8")


def chapter_id(index: int) -> str:
    return f"chapter-{index}"


def print_page(
    site: Path, pages: Sequence[str], subtitle: str, printed: str
) -> tuple[str, list[str]]:
    """The print page (a title sheet with the contents, then each page's article) and
    the chapters' titles.

    ``pages`` are the built files (``tutorials/03_forward_pass/index.html``), home first.
    """
    titles: list[str] = []
    stylesheets: list[str] = []
    chapters: list[str] = []
    contents: list[str] = []
    for index, page in enumerate(pages):
        built = (site / page).read_text(encoding="utf-8")
        base = ORIGIN + page.removesuffix("index.html")
        for match in STYLESHEET.finditer(built):
            href = _resolve(match.group(1) or match.group(2), page)
            if href not in stylesheets:
                stylesheets.append(href)
        found = ARTICLE.search(built)
        if found is None:
            raise ValueError(f'{page} has no <article class="md-content__inner ...">')
        article = SCRIPT.sub("", found.group(1))
        for href in re.findall(r'<link[^>]*href="([^"]+\.css)"', article):
            resolved = _resolve(href, page)
            if resolved not in stylesheets:
                stylesheets.append(resolved)
        article = re.sub(r"<link[^>]*>", "", article)
        title = _title(article) or page
        titles.append(html.unescape(re.sub(r"<[^>]+>", "", title)))
        chapters.append(
            f'<section class="annlab-print-chapter" id="{chapter_id(index)}" '
            f'data-base="{base}"><article class="md-content__inner md-typeset">'
            f"<template>{article}</template></article></section>"
        )
        contents.append(
            f'<li><a href="#{chapter_id(index)}">{title}</a>'
            '<span class="annlab-print-leader"></span><span class="annlab-print-pageno">'
            "</span></li>"
        )
    links = "\n".join(f'<link rel="stylesheet" href="{href}">' for href in stylesheets)
    return (
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title>
<base href="{ORIGIN}">
{links}
<style>{PRINT_CSS}</style></head>
<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo"
 data-md-color-accent="indigo">
<section class="annlab-print-front"><div class="md-typeset">
<h1>{TITLE}</h1>
<p class="annlab-print-subtitle">{html.escape(subtitle)}</p>
<p>The home page and the ten tutorials of the site, as built on {printed}. Every figure
and number was produced by the code printed next to it; the folded parts of the pages
(going deeper, checks, solutions) are printed open.</p>
<nav class="annlab-print-toc"><h2>Contents</h2><ol>
{"".join(contents)}
</ol></nav></div></section>
{"".join(chapters)}
</body></html>
""",
        titles,
    )


def _resolve(href: str, page: str) -> str:
    """A URL of the built page ``page``, relative to the site's root."""
    return urljoin(ORIGIN + page, href).removeprefix(ORIGIN)


def _title(article: str) -> str:
    """The text of the article's first heading (without its permalink)."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", article, re.S)
    if match is None:
        return ""
    heading = re.sub(r"<a\b[^>]*>¶</a>", "", match.group(1))
    return re.sub(r"\s+", " ", heading).strip()


def print_pdf(
    page_html: str, site: Path, chromium: str, figures: Mapping[str, bytes] | None = None
) -> bytes:
    """Chromium's PDF of the print page, every request answered from ``site``, but a
    figure's: from ``figures`` (its path in the site -> its PNG at print resolution)
    where that holds it.

    Any request for a URL outside the site is refused, and fails the print.
    """
    figures = figures or {}
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Route, sync_playwright

    refused: list[str] = []
    root = site.resolve()

    def answer(route: Route) -> None:
        url = route.request.url
        if not url.startswith(ORIGIN):
            refused.append(url)
            route.abort()
            return
        path = url.removeprefix(ORIGIN).split("#")[0].split("?")[0]
        if path == PRINT_PAGE:
            route.fulfill(body=page_html, content_type="text/html; charset=utf-8")
            return
        if path in figures:
            route.fulfill(body=figures[path], content_type="image/png")
            return
        target = (root / path).resolve()
        if path.endswith("/"):
            target = target / "index.html"
        if root in target.parents and target.is_file():
            route.fulfill(path=target)
        else:
            route.fulfill(status=404, body="")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=list(CHROMIUM_ARGS),
        )
        try:
            page = browser.new_page()
            page.route("**/*", answer)
            page.goto(ORIGIN + PRINT_PAGE, wait_until="load")
            try:
                page.evaluate(ASSEMBLE)
            except PlaywrightError as error:
                if not refused:
                    raise PluginError(
                        f"annlab: could not put the print page together: {error}"
                    ) from None
            if refused:
                raise PluginError(
                    f"annlab: the print page asked for {len(refused)} URL(s) outside the "
                    f"site (it may fetch nothing from the network): {refused}"
                )
            options = {
                "format": "A4",
                "margin": MARGIN,
                "print_background": True,
                "display_header_footer": True,
                "header_template": "<span></span>",
                "footer_template": FOOTER,
            }
            pdf = page.pdf(**options)  # type: ignore[arg-type]
        finally:
            browser.close()
    return pdf


def finish(pdf: bytes, titles: Sequence[str], epoch: int) -> bytes:
    """The printed PDF made whole and reproducible.

    - Each chapter's first page, read from the PDF's named destinations (the title
      sheet's links point at the chapters' ids), is written beside its entry on the
      contents sheet, which left room for it, and each chapter gets a bookmark.
    - Chromium's dates of printing become ``epoch``: everything else it writes (no
      document ID, no XMP) depends only on the print page, so two builds of one commit
      give the same bytes.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    # pypdf notes that Chromium's trailer undercounts its objects; nothing is wrong.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    starts = chapter_pages(reader, len(titles))
    for title, start in zip(titles, starts, strict=True):
        writer.add_outline_item(title=title, page_number=start)
    front = writer.pages[0]
    right = float(front.mediabox.right) - _points(MARGIN["right"])
    numbers = []
    for link in _contents_links(front):
        index = int(str(link["/Dest"]).rsplit("-", 1)[1])
        rectangle = cast(list[float], link["/Rect"])
        middle = (float(rectangle[1]) + float(rectangle[3])) / 2
        text = str(starts[index] + 1)
        x = right - len(text) * 0.556 * TOC_POINTS  # Helvetica's digits: 556/1000 em
        baseline = middle - 0.24 * TOC_POINTS  # the title's baseline, as measured
        numbers.append(
            f"BT /AnnlabNumbers {TOC_POINTS} Tf 1 0 0 1 {x:.2f} {baseline:.2f} Tm ({text}) Tj ET"
        )
    if len(numbers) != len(titles):
        raise PluginError(f"the contents sheet links {len(numbers)} chapters of {len(titles)}")
    # The numbers in a standard PDF font (every reader has Helvetica), drawn after the
    # sheet's own content. (pypdf's merge_page would copy the sheet's links into the
    # page as direct objects, which poppler cannot read.)
    helvetica = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    resources = cast(DictionaryObject, front["/Resources"].get_object())
    fonts = cast(DictionaryObject, resources["/Font"].get_object())
    # An object of its own, as fonts are (poppler's pdffonts complains of a direct one);
    # pypdf has no public call for it (its range is pinned below the next major).
    fonts[NameObject("/AnnlabNumbers")] = writer._add_object(helvetica)
    contents = front.get_contents()
    if contents is None:
        raise PluginError("the contents sheet has no content")
    stream = DecodedStreamObject()
    overlay = "0.2 g\n" + "\n".join(numbers) + "\n"
    stream.set_data(b"q\n" + contents.get_data() + b"\nQ\n" + overlay.encode())
    front.replace_contents(ArrayObject([stream]))
    front.compress_content_streams()
    date = time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(epoch))
    writer.add_metadata(
        {"/CreationDate": date, "/ModDate": date, "/Title": TITLE, "/Creator": "annlab"}
    )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def chapter_pages(reader: PdfReader, count: int) -> list[int]:
    """The page (counted from 0) on which each chapter starts, from the named
    destinations Chromium writes for the contents' links."""
    destinations = {
        str(name).lstrip("/"): dest for name, dest in reader.named_destinations.items()
    }
    try:
        pages = [
            reader.get_destination_page_number(destinations[chapter_id(index)])
            for index in range(count)
        ]
    except KeyError as missing:
        raise PluginError(f"the PDF has no destination {missing} (a chapter's id)") from None
    if None in pages:
        raise PluginError(f"a chapter's destination names no page: {pages}")
    return cast(list[int], pages)


def _contents_links(page: PageObject) -> list[DictionaryObject]:
    """The links of the contents sheet to the chapters, top to bottom."""
    links = [annotation.get_object() for annotation in page.get("/Annots", [])]
    return [
        link for link in links if str(link.get("/Dest", "")).lstrip("/").startswith("chapter-")
    ]


def _points(length: str) -> float:
    """A CSS length in millimetres as PDF points."""
    return float(length.removesuffix("mm")) / 25.4 * 72


def write_pdf(
    site: Path,
    pages: Sequence[str],
    chromium: str,
    subtitle: str | None,
    epoch: int,
    figures: Mapping[str, bytes] | None = None,
) -> Path:
    """Print the course into ``site/downloads/annlab-course.pdf`` and fill in its size on
    the pages that link to it; the PDF's path. ``figures``: the figures at print
    resolution, by their files' paths in the site (:func:`print_pdf`)."""
    began = time.monotonic()
    printed = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    page_html, titles = print_page(site, pages, subtitle or "", printed)
    data = finish(print_pdf(page_html, site, chromium, figures), titles, epoch)
    target = site / FOLDER / NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    fill_sizes(site, pages, len(data))
    log.info(
        "annlab: printed the course into %s/%s (%s) in %.1f s",
        FOLDER,
        NAME,
        human_size(len(data)),
        time.monotonic() - began,
    )
    return target
