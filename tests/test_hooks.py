"""Unit tests of the site hooks' HTML rewriting (the builds test them end to end)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import site_hooks


def _output_area(*chunks: str) -> str:
    children = "".join(
        '<div class="jp-OutputArea-child">\n<div class="jp-RenderedText jp-OutputArea-output" '
        f'data-mime-type="text/plain"><pre>{chunk}</pre></div>\n</div>\n'
        for chunk in chunks
    )
    return f'<div class="jp-OutputArea">\n{children}</div>'


def test_printed_output_reads_the_same_however_the_kernel_split_it() -> None:
    whole = BeautifulSoup(_output_area("a\nb\n"), "html.parser")
    split = BeautifulSoup(_output_area("a\n", "b\n"), "html.parser")
    site_hooks._coalesce_streams(whole)
    site_hooks._coalesce_streams(split)
    assert str(split) == str(whole)
    assert split.get_text().count("a\nb\n") == 1


def test_a_displayed_value_is_not_joined_to_printed_text() -> None:
    html = _output_area("printed\n", "value").replace(
        '<div class="jp-OutputArea-child">\n<div class="jp-RenderedText jp-OutputArea-output" '
        'data-mime-type="text/plain"><pre>value',
        '<div class="jp-OutputArea-child jp-OutputArea-executeResult">\n'
        '<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"><pre>value',
    )
    soup = BeautifulSoup(html, "html.parser")
    site_hooks._coalesce_streams(soup)
    assert len(soup.select(".jp-OutputArea-child")) == 2


def test_the_styles_nb2html_appends_to_an_ipynb_are_dropped(tmp_path: Path) -> None:
    """site_hooks renders executed .ipynb files with mkdocs-jupyter's nb2html, which
    appends its CSS once more for them (a .py gets none); if that changes upstream,
    this fails loudly instead of the site shipping a doubled stylesheet."""
    import jupytext
    from mkdocs_jupyter.convert import nb2html

    script = tmp_path / "page.py"
    script.write_text("# %% [markdown]\n# # Title\n\n# %%\nprint(1)\n")
    notebook = tmp_path / "page.ipynb"
    jupytext.write(jupytext.read(script), notebook)
    from_script = nb2html(str(script), no_prompt=True)
    from_notebook = site_hooks._without_appended_styles(nb2html(str(notebook), no_prompt=True))
    assert from_notebook.count("<style") == from_script.count("<style")
    assert len(from_notebook) == pytest.approx(len(from_script), abs=200)
