"""An executed page as HTML, its headings, and its notebook download.

The executed notebook goes through two of nbconvert's own preprocessors before
mkdocs-jupyter's converter renders it (with its execution turned off):

- ``CoalesceStreamsPreprocessor`` joins a cell's consecutive printed outputs: the
  kernel sends printed text in chunks whose split depends on timing, so the same
  prints can arrive as one output or as two, and two builds would differ.
- ``ExtractOutputPreprocessor`` takes the figures out of the notebook: nbconvert would
  inline them as base64, a third more bytes than the image, all of which the search
  plugin would parse again on every build. As files beside the page (``figure-N.png``)
  the browser also loads them in parallel and caches them.

Each matplotlib figure's output also holds the figure at print resolution
(``print_figures.PRINT_MIME``, drawn by the page's kernel): it is taken out before the
page is rendered (the page shows only its PNG) and kept for the PDF
(:func:`print_figures`), under the name of the figure's file.

Under ``mkdocs serve`` a page converted again after a prose edit converts only the
cells that changed (:class:`CellMemory`): nbconvert renders each cell into its own
``<div ... id="cell-id=…">`` from that cell alone, so the HTML of an unchanged cell is
taken from the page's previous conversion. The code cells, with their outputs, are
most of a page's conversion (0.6 of a rebuild's 3 s on page 10).
"""

from __future__ import annotations

import base64
import copy
import io
import itertools
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jupytext
import markdown
import nbformat
import PIL.Image
from markdown.extensions.toc import TocExtension
from mkdocs.exceptions import PluginError
from mkdocs_jupyter.convert import nb2html, nb2md
from nbconvert.preprocessors import CoalesceStreamsPreprocessor, ExtractOutputPreprocessor

from annlab_site import page_run
from annlab_site.memo import digest
from annlab_site.print_figures import PRINT_MIME

FIGURE_TYPES = {"image/png", "image/jpeg", "image/svg+xml"}


def _figures(notebook: Any) -> list[tuple[str, Any]]:
    """Each figure's output with its file's name (without the suffix), ``figure-N`` in
    page order."""
    outputs = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if FIGURE_TYPES & set(output.get("data", {}))
    ]
    return [(f"figure-{number}", output) for number, output in enumerate(outputs, start=1)]


def _extract_figures(notebook: Any) -> dict[str, str]:
    """Name each figure ``figure-N`` in page order, point the output at its file, and
    return the files (base64, as the cache entry is JSON)."""
    for name, output in _figures(notebook):
        output.setdefault("metadata", {})["filename"] = name
        output["data"].pop(PRINT_MIME, None)  # for the PDF only (print_figures)
    extract = ExtractOutputPreprocessor(extract_output_types=FIGURE_TYPES)
    _, resources = extract.preprocess(notebook, {"outputs": {}})
    return {name: base64.b64encode(data).decode() for name, data in resources["outputs"].items()}


def figure_sizes(figures: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Each figure's width and height in pixels, by its file's name (``figures``: the
    files as :func:`notebook_html` gives them, base64)."""
    sizes = {}
    for name, data in figures.items():
        with PIL.Image.open(io.BytesIO(base64.b64decode(data))) as image:
            sizes[name] = image.size
    return sizes


def print_figures(notebook: Any) -> dict[str, str]:
    """The figures at print resolution, each under the name of the page's file for
    it (``figure-N.png``; base64); a figure that has none (not drawn by matplotlib) is
    left out."""
    return {
        f"{name}.png": output["data"][PRINT_MIME]
        for name, output in _figures(notebook)
        if "image/png" in output["data"] and PRINT_MIME in output["data"]
    }


class CellMemory:
    """The HTML of each cell of a page's previous conversion, by everything that shapes
    it; kept by the caller between builds (under serve, in memory)."""

    def __init__(self) -> None:
        self.cells: dict[str, str | None] = {}  # None: a cell not shown (a removed tag)

    @staticmethod
    def keys(notebook: Any, options: dict[str, Any]) -> list[str]:
        """Each cell's key: the cell, its place, the converter's settings, and its
        neighbours' kinds (a cell's HTML ends where the next cell's begins, and the
        template wraps a code cell in a ``<div>`` of its own)."""
        settings = json.dumps(options, sort_keys=True, default=str)
        kinds = ["", *(cell.cell_type for cell in notebook.cells), ""]
        return [
            digest(
                settings, str(index), json.dumps(cell, sort_keys=True), *kinds[index : index + 3]
            )
            for index, cell in enumerate(notebook.cells)
        ]


# Where nbconvert's lab template closes the notebook, after the last cell.
_NOTEBOOK_END = "</div> <!-- jp-Notebook -->"
_CODE_WRAPPER = re.compile(r'<div class="jp-Cell jp-CodeCell jp-Notebook-cell[\w -]*">\s*')


def _cell_html(html: str, ids: list[str]) -> tuple[dict[str, str], int, int]:
    """Each shown cell's HTML by its id, in page order, from its ``<div`` to the next
    cell's (or to the end of the notebook); and where the first cell starts and the
    last one ends."""
    starts = {}
    for cell_id in ids:
        at = html.find(f' id="cell-id={cell_id}"')
        if at >= 0:
            start = html.rindex("<div", 0, at)
            # mkdocs-jupyter's template wraps a code cell in a <div> of its own, whose
            # classes say whether the cell has outputs: it is part of the cell.
            wrapper = html.rfind("<div", 0, start)
            if _CODE_WRAPPER.fullmatch(html, wrapper, start):
                start = wrapper
            starts[cell_id] = start
    end = html.rindex(_NOTEBOOK_END)
    bounds = [*starts.values(), end]
    cells = {
        cell_id: html[start:stop]
        for cell_id, (start, stop) in zip(starts, itertools.pairwise(bounds), strict=True)
    }
    return cells, bounds[0], end


def notebook_html(
    notebook: Any, options: dict[str, Any], memory: CellMemory | None = None
) -> tuple[str, dict[str, str]]:
    """The executed notebook as mkdocs-jupyter renders it with ``options`` (its config),
    and its figures (file name -> base64). ``notebook`` itself is left as it was.

    With ``memory`` (the page's previous conversion), the cells found there are not
    converted again; ``memory`` then holds this conversion."""
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(copy.deepcopy(notebook), {})
    figures = _extract_figures(notebook)
    if memory is None:
        return _convert(notebook, options), figures
    try:
        html, memory.cells = _spliced(notebook, options, memory)
    except ValueError:  # not the layout of the template this was written for: no splice
        memory.cells = {}
        return _convert(notebook, options), figures
    return html, figures


STAND_INS: dict[str, Callable[..., Any]] = {
    "code": nbformat.v4.new_code_cell,
    "markdown": nbformat.v4.new_markdown_cell,
    "raw": nbformat.v4.new_raw_cell,
}


def _spliced(
    notebook: Any, options: dict[str, Any], memory: CellMemory
) -> tuple[str, dict[str, str | None]]:
    """The notebook converted with each cell found in ``memory`` as an empty stand-in
    of its kind (the template numbers the code cells' copy buttons in page order), then
    the stand-ins replaced by the cells' HTML from memory; and each cell's HTML by its
    key, for the next conversion."""
    keys = CellMemory.keys(notebook, options)
    cells = [
        (cell, memory.cells.get(key), key in memory.cells)
        for cell, key in zip(notebook.cells, keys, strict=True)
    ]
    stand_ins = copy.copy(notebook)
    stand_ins.cells = [
        STAND_INS[cell.cell_type]("", id=cell.id, metadata=cell.metadata) if known else cell
        for cell, _, known in cells
    ]
    html = _convert(stand_ins, options)
    converted, start, end = _cell_html(html, [cell.id for cell in notebook.cells])
    each = {
        key: remembered if known else converted.get(cell.id)  # None: not shown (its tag)
        for key, (cell, remembered, known) in zip(keys, cells, strict=True)
    }
    shown = [part for part in each.values() if part is not None]
    return html[:start] + "".join(shown) + html[end:], each


def _convert(notebook: Any, options: dict[str, Any]) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.ipynb"
        path.write_text(json.dumps(notebook), encoding="utf-8")
        html = nb2html(
            str(path),
            execute=False,
            kernel_name=options["kernel_name"],
            theme=options["theme"],
            allow_errors=False,
            show_input=options["show_input"],
            no_input=options["no_input"],
            no_prompt=options["no_prompt"],
            remove_tag_config=options["remove_tag_config"],
            highlight_extra_classes=options["highlight_extra_classes"],
            include_requirejs=options["include_requirejs"],
            custom_mathjax_url=options["custom_mathjax_url"],
        )
    return without_appended_styles(html)


# For an .ipynb (not a .py) nb2html appends the exporter's inlined CSS once more, as the
# repr of a Python list: drop that block. Checked by tests/site/test_upstream.py, so a change
# upstream fails loudly instead of doubling the notebook stylesheet.
_APPENDED_STYLE = re.compile(r"\n {8}<style>\n {8}\[.*\]\n {8}</style>\n {8}\Z", re.DOTALL)


def without_appended_styles(html: str) -> str:
    trimmed, count = _APPENDED_STYLE.subn("", html)
    if count != 1:
        raise PluginError("mkdocs-jupyter's nb2html no longer appends its styles as expected")
    return trimmed


def page_output(
    path: Path,
    executed: page_run.ExecutedPage,
    options: dict[str, Any],
    memory: CellMemory | None,
    source: Any,
) -> dict[str, Any]:
    """An executed page as the page cache keeps it: its HTML (:func:`notebook_html`,
    with ``memory`` under serve), figures (and those for print), headings and title,
    run time and profile, and notebook download (``source``: the page as
    ``page_run.read_page`` gives it, a copy it may change)."""
    # mkdocs-jupyter converts the notebook again only to find its headings: they are
    # stored with the output (read from the page as parsed already, not parsed again).
    with tempfile.TemporaryDirectory() as folder:
        parsed = Path(folder) / "page.ipynb"
        parsed.write_text(json.dumps(source), encoding="utf-8")
        toc, title = toc_tokens(str(parsed), options["toc_depth"])
    content, figures = notebook_html(executed.notebook, options, memory)
    return {
        "content": content,
        "seconds": executed.seconds,
        "figures": figures,
        "print_figures": print_figures(executed.notebook),  # for the PDF only
        "profile": executed.profile.describe(),
        "toc": toc,
        "title": title,
        "download": download(path, executed.notebook, source),
    }


def toc_tokens(path: str, depth: int) -> tuple[list[Any], str | None]:
    """The page's headings as Markdown's TOC tokens (what mkdocs-jupyter's table of
    contents is made of), and its first level-1 heading."""
    reader = markdown.Markdown(extensions=[TocExtension(toc_depth=depth)])
    reader.convert(nb2md(path))
    tokens: list[Any] = reader.toc_tokens
    title = next((str(token["name"]) for token in tokens if token["level"] == 1), None)
    return tokens, title


def download(path: Path, executed: Any, notebook: Any = None) -> str:
    """The page as a notebook to download: no outputs, the prose numbers filled in.
    ``notebook``: the page as ``page_run.read_page`` gives it, if read already (it is
    changed: pass a copy)."""
    notebook = page_run.read_page(path) if notebook is None else notebook
    prose = {cell.id: cell.source for cell in executed.cells if cell.cell_type == "markdown"}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = prose[cell.id]
    return str(jupytext.writes(notebook, fmt="ipynb")) + "\n"  # as jupytext.write ends it
