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
"""

from __future__ import annotations

import base64
import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import jupytext
import markdown
from markdown.extensions.toc import TocExtension
from mkdocs.exceptions import PluginError
from mkdocs_jupyter.convert import nb2html, nb2md
from nbconvert.preprocessors import CoalesceStreamsPreprocessor, ExtractOutputPreprocessor

from annlab_site import page_run
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


def print_figures(notebook: Any) -> dict[str, str]:
    """The figures at print resolution, each under the name of the page's file for
    it (``figure-N.png``; base64); a figure that has none (not drawn by matplotlib) is
    left out."""
    return {
        f"{name}.png": output["data"][PRINT_MIME]
        for name, output in _figures(notebook)
        if "image/png" in output["data"] and PRINT_MIME in output["data"]
    }


def notebook_html(notebook: Any, options: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The executed notebook as mkdocs-jupyter renders it with ``options`` (its config),
    and its figures (file name -> base64). ``notebook`` itself is left as it was."""
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(copy.deepcopy(notebook), {})
    figures = _extract_figures(notebook)
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
    return without_appended_styles(html), figures


# For an .ipynb (not a .py) nb2html appends the exporter's inlined CSS once more, as the
# repr of a Python list: drop that block. Checked by tests/site/test_upstream.py, so a change
# upstream fails loudly instead of doubling the notebook stylesheet.
_APPENDED_STYLE = re.compile(r"\n {8}<style>\n {8}\[.*\]\n {8}</style>\n {8}\Z", re.DOTALL)


def without_appended_styles(html: str) -> str:
    trimmed, count = _APPENDED_STYLE.subn("", html)
    if count != 1:
        raise PluginError("mkdocs-jupyter's nb2html no longer appends its styles as expected")
    return trimmed


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
