"""Unit tests of the plugin's notebook conversion and HTML rewriting (the builds test
them end to end)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import nbformat
import pytest
from annlab_site import notebook, rewrite
from annlab_site.stamp import Stamp
from bs4 import BeautifulSoup

# mkdocs-jupyter's settings as mkdocs.yml gives them (the rest are its defaults).
OPTIONS: dict[str, Any] = {
    "kernel_name": "python3",
    "theme": "",
    "show_input": True,
    "no_input": False,
    "no_prompt": True,
    "remove_tag_config": {"remove_cell_tags": ["style"]},
    "highlight_extra_classes": "",
    "include_requirejs": False,
    "custom_mathjax_url": "",
}
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16).decode()


def _page(*outputs: Any) -> Any:
    cell = nbformat.v4.new_code_cell("print('a'); print('b')")
    cell.outputs = list(outputs)
    title = nbformat.v4.new_markdown_cell("# Title")
    title.id, cell.id = "cell-1", "cell-2"  # as page_run numbers them
    return nbformat.v4.new_notebook(cells=[title, cell])


def _stdout(text: str) -> Any:
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def test_printed_output_reads_the_same_however_the_kernel_split_it() -> None:
    whole, _ = notebook.notebook_html(_page(_stdout("a\nb\n")), OPTIONS)
    split, _ = notebook.notebook_html(_page(_stdout("a\n"), _stdout("b\n")), OPTIONS)
    assert split == whole
    assert BeautifulSoup(split, "html.parser").get_text().count("a\nb\n") == 1


def test_a_displayed_value_is_not_joined_to_printed_text() -> None:
    value = nbformat.v4.new_output("execute_result", data={"text/plain": "value"})
    html, _ = notebook.notebook_html(_page(_stdout("printed\n"), value), OPTIONS)
    assert len(BeautifulSoup(html, "html.parser").select(".jp-OutputArea-child")) == 2


def test_figures_become_files_numbered_in_page_order() -> None:
    def figure() -> Any:
        return nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "F"})

    html, figures = notebook.notebook_html(_page(figure(), _stdout("x\n"), figure()), OPTIONS)
    sources = [img["src"] for img in BeautifulSoup(html, "html.parser").select("img")]
    assert sources == ["figure-1.png", "figure-2.png"]
    assert PNG not in html, "the figure is not inlined as well"
    assert sorted(figures) == ["figure-1.png", "figure-2.png"]
    assert base64.b64decode(figures["figure-1.png"]).startswith(b"\x89PNG")


def _lesson() -> Any:
    """A page with what a tutorial holds: headings, math, a fenced block, a table, raw
    HTML, printed text, a figure with its alt text, a folded cell, a removed one."""

    def code(source: str, *outputs: Any, **metadata: Any) -> Any:
        cell = nbformat.v4.new_code_cell(source, metadata=metadata)
        cell.outputs = list(outputs)
        return cell

    figure = nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "F"})
    cells = [
        nbformat.v4.new_markdown_cell("# 1. Title"),
        nbformat.v4.new_markdown_cell(
            "Intro with $x^2$ and `code`.", metadata={"tags": ["header"]}
        ),
        code("print(1)", _stdout("1\n")),
        nbformat.v4.new_markdown_cell("## Part\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
        code("plot()", figure, alt="A line", tags=["deeper"]),
        code("style()", tags=["style"]),
        nbformat.v4.new_markdown_cell("```python\nx = 1\n```\n\n<details><p>raw</p></details>"),
        code("print(2)", _stdout("2\n")),
        nbformat.v4.new_markdown_cell("## Key points\n\n- one\n- two"),
    ]
    for number, cell in enumerate(cells, start=1):
        cell.id = f"cell-{number}"
    return nbformat.v4.new_notebook(cells=cells)


def test_a_prose_edit_converts_only_its_cells_and_gives_the_whole_conversion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under serve, cells a prose edit left alone come from the previous conversion
    (notebook.CellMemory); the page is the same bytes as a whole conversion."""
    convert = notebook._convert
    converted: list[list[str]] = []  # the sources of each conversion's cells

    def counting(page: Any, options: dict[str, Any]) -> str:
        converted.append([cell.source for cell in page.cells])
        return convert(page, options)

    monkeypatch.setattr(notebook, "_convert", counting)
    memory = notebook.CellMemory()
    page = _lesson()
    first, _ = notebook.notebook_html(page, OPTIONS, memory)
    assert first == notebook.notebook_html(page, OPTIONS)[0]
    assert [html is None for html in memory.cells.values()].count(True) == 1, "the style cell"
    for cell, edit in [(1, " More words, $y$."), (3, "\nA new paragraph."), (8, "\n- three")]:
        page.cells[cell].source += edit
        converted.clear()
        spliced, _ = notebook.notebook_html(page, OPTIONS, memory)
        assert [source for source in converted[0] if source] == [page.cells[cell].source]
        assert spliced == notebook.notebook_html(page, OPTIONS)[0], edit
        assert edit.strip().split()[-1].strip("$") in spliced
    page.cells[2].source = "print(3)"  # a code edit (and a new output)
    page.cells[2].outputs = [_stdout("3\n")]
    converted.clear()
    html, _ = notebook.notebook_html(page, OPTIONS, memory)
    assert [source for source in converted[0] if source] == ["print(3)"]
    assert html == notebook.notebook_html(page, OPTIONS)[0]
    page.cells[3].cell_type = "raw"  # a cell of another kind: its neighbours' HTML changes
    converted.clear()
    html, _ = notebook.notebook_html(page, OPTIONS, memory)
    assert html == notebook.notebook_html(page, OPTIONS)[0]


def test_a_template_of_another_layout_is_converted_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """If nbconvert's template no longer closes the notebook as the splice expects, serve
    converts the whole page (and keeps no cell) instead of failing."""
    monkeypatch.setattr(notebook, "_NOTEBOOK_END", "<!-- not in any template -->")
    memory = notebook.CellMemory()
    html, _ = notebook.notebook_html(_lesson(), OPTIONS, memory)
    assert html == notebook.notebook_html(_lesson(), OPTIONS)[0]
    assert memory.cells == {}


def test_the_styles_nb2html_appends_to_an_ipynb_are_dropped(tmp_path: Path) -> None:
    """The plugin renders executed .ipynb files with mkdocs-jupyter's nb2html, which
    appends its CSS once more for them (a .py gets none); if that changes upstream,
    this fails loudly instead of the site shipping a doubled stylesheet."""
    import jupytext
    from mkdocs_jupyter.convert import nb2html

    script = tmp_path / "page.py"
    script.write_text("# %% [markdown]\n# # Title\n\n# %%\nprint(1)\n")
    path = tmp_path / "page.ipynb"
    jupytext.write(jupytext.read(script), path)
    from_script = nb2html(str(script), no_prompt=True)
    from_notebook = notebook.without_appended_styles(nb2html(str(path), no_prompt=True))
    assert from_notebook.count("<style") == from_script.count("<style")
    assert len(from_notebook) == pytest.approx(len(from_script), abs=200)


def test_the_headings_are_read_with_public_functions(tmp_path: Path) -> None:
    script = tmp_path / "page.py"
    script.write_text("# %% [markdown]\n# # The title\n#\n# ## A `part`\n\n# %%\nx = 1\n")
    tokens, title = notebook.toc_tokens(str(script), 6)
    assert title == "The title"
    assert [t["id"] for t in tokens] == ["the-title"]
    # Markdown's slug drops the code span (rewrite.align_heading_ids relies on this id)
    assert [t["id"] for t in tokens[0]["children"]] == ["a"]


PROSE = """
<div class="jp-Cell jp-MarkdownCell"><h2>The <code>qwerties</code> set</h2>
<p><code>qwerties</code>, <code>qwerties()</code>, <code>annlab.data.qwerties</code>,
<a href="../../api/data/#annlab.data.qwerties"><code>qwerties</code></a>,
<code>torch.tensor</code>, <code>x = qwerties</code></p>
<pre><code>qwerties</code></pre></div>
<div class="jp-Cell jp-CodeCell"><code>qwerties</code></div>
"""


def test_backquoted_annlab_names_in_the_prose_link_to_the_api() -> None:
    soup = BeautifulSoup(PROSE, "html.parser")
    href = "../../api/data/#annlab.data.qwerties"
    rewrite.link_prose_to_api(soup, {"qwerties": href, "annlab.data.qwerties": href})
    linked = soup.select("a.annlab-api-link")
    assert [a.get_text() for a in linked] == ["qwerties", "qwerties()", "annlab.data.qwerties"]
    assert {a["href"] for a in linked} == {href}
    assert len(soup.select("a")) == 4, "the hand-typed link is not linked again"
    assert not soup.select("h2 a, pre a, .jp-CodeCell a"), "headings and code stay plain"


CODE = (
    '<div class="jp-InputArea"><div class="highlight-ipynb hl-python"><pre><span></span>'
    '<span class="kn">from</span><span class="w"> </span><span class="nn">annlab</span>'
    '<span class="w"> </span><span class="kn">import</span> <a class="annlab-api-link" '
    'href="x"><span class="n">train</span></a>\n<span class="n">x</span> '
    '<span class="o">=</span> <span class="n">train</span><span class="p">()</span>'
    '<span class="c1"># a comment</span></pre></div></div>'
    '<pre><span class="n">elsewhere</span></pre>'
)
CSS = ".highlight-ipynb .kn{color:blue} .highlight-ipynb .w{color:grey} .o,.p{color:red} .c1{}"


def test_unstyled_token_spans_are_unwrapped_and_the_code_reads_the_same() -> None:
    soup = BeautifulSoup(CODE, "html.parser")
    text = soup.get_text()
    rewrite.unwrap_plain_tokens(soup, CSS)
    code = soup.select_one(".highlight-ipynb pre")
    assert code is not None
    assert soup.get_text() == text
    kept = [" ".join(span["class"]) for span in code.select("span")]
    assert kept == "kn w w kn o p c1".split(), "names (n, nn) and the empty span go"
    assert [a.get_text() for a in code.select("a.annlab-api-link")] == ["train"]
    assert soup.select("pre")[1].select("span.n"), "only the notebook's code is touched"


def _cells(html: str) -> tuple[BeautifulSoup, list[Any]]:
    """A rendered notebook of the given cells, and their source cells (tags from the
    cells' ``data-tags``, as jupytext reads them from ``# %% tags=[...]``)."""
    soup = BeautifulSoup(f'<h1>T</h1><div class="jp-Notebook">{html}</div>', "html.parser")
    markdown = [
        nbformat.v4.new_markdown_cell("", metadata={"tags": cell.get("data-tags", "").split()})
        for cell in soup.select("div.jp-MarkdownCell")
    ]
    return soup, markdown


def _tutorial(markdown: list[Any]) -> rewrite.RewriteInputs:
    return rewrite.RewriteInputs(
        src_uri="t.py",
        url="tutorials/t/",
        code_cells=[],
        markdown_cells=markdown,
        alts=[],
        figure_sizes={},
        toc_ids=[],
        stamp=Stamp((("annlab", "0.1"),), "test", 1.0, "t", "../../downloads/a.whl"),
        api_links={},
        prose_links={},
    )


def _md(text: str, tags: str = "") -> str:
    return (
        f'<div class="jp-Cell jp-MarkdownCell" data-tags="{tags}">'
        f'<div class="jp-RenderedMarkdown">{text}</div></div>'
    )


def _code(name: str, tags: str = "") -> str:
    classes = " ".join(f"celltag_{tag}" for tag in tags.split())
    return f'<div class="jp-Cell jp-CodeCell {classes}" id="{name}"><pre>{name}</pre></div>'


def test_going_deeper_folds_one_box_per_section_titled_by_its_heading() -> None:
    soup, markdown = _cells(
        _md("<p>main path</p>")
        + _md('<h3 id="dead-units">Dead units</h3><p>why</p>', "deeper")
        + _code("a", "deeper")
        + _code("b", "deeper checks")
        + _code("c", "deeper checks")
        + _md('<h3 id="trend">Trend</h3>', "deeper")
        + _code("d", "deeper")
        + _md("<h2>Key points</h2>")
        + _code("e", "checks")
    )
    page = _tutorial(markdown)
    rewrite.mark_markdown_tags(soup, page)
    rewrite.fold_checks(soup)
    rewrite.fold_deeper(soup)
    rewrite.stamp(soup, page)
    notebook = soup.select_one("div.jp-Notebook")
    assert notebook is not None
    folds = notebook.find_all("details", recursive=False)
    assert [fold.summary.get_text() for fold in folds] == ["Dead units", "Trend", "Checks"]
    first, second, last = folds
    assert first.summary.h3["id"] == "dead-units"  # the TOC's link still lands on it
    assert [pre.get_text() for pre in first.find_all("pre")] == ["a", "b", "c"]
    assert [box.summary.get_text() for box in first.find_all("details")] == ["Checks"]
    assert [pre.get_text() for pre in second.find_all("pre")] == ["d"]
    assert "annlab-deeper" not in last.get_attribute_list("class")
    assert notebook.find_all(recursive=False)[-1]["class"] == ["annlab-stamp"]  # at the end


def test_build_tags_are_not_shown_as_chips() -> None:
    soup = BeautifulSoup(
        '<div class="jp-Cell"><div class="button_container tags_button_container">'
        '<span class="cell-tag">solution</span></div><pre>x = 1</pre></div>',
        "html.parser",
    )
    rewrite.remove_tag_chips(soup)
    assert soup.select(".cell-tag") == [] and soup.get_text() == "x = 1"


SELECTOR_PAGE = """
<div class="jp-Notebook">
 <div class="jp-Cell jp-CodeCell celltag_wall-clock" id="cell-id=a">
  <div class="jp-Cell-inputWrapper"><div class="jp-InputArea">
   <div class="highlight-ipynb"><pre><span></span><span class="n">x</span><span
    class="o">=</span><span class="nn">annlab</span></pre></div></div></div>
  <div class="jp-Cell-outputWrapper"><div class="jp-OutputArea">
   <img src="a.png"><div class="jp-Cell jp-CodeCell"><img src="b.png"></div></div></div>
 </div>
 <div class="jp-Cell jp-MarkdownCell celltag_deeper" id="cell-id=b">
  <p><code>a</code> <span class="n">not code</span></p>
  <div class="tags_button_container">tag</div>
 </div>
</div>
"""


@pytest.mark.parametrize(
    "selector",
    [
        "div.jp-CodeCell",
        "div.jp-Cell.celltag_deeper",
        ".jp-OutputArea img",
        ".celltag_wall-clock .jp-Cell-outputWrapper",
        ".jp-CodeCell .jp-InputArea .highlight-ipynb span.n, "
        ".jp-CodeCell .jp-InputArea .highlight-ipynb span.nn",
        rewrite.CODE_SPAN,
        ".jp-MarkdownCell code",
        ".tags_button_container",
        "span",
    ],
)
def test_the_passes_select_what_soupsieve_selects(selector: str) -> None:
    """rewrite.select, the passes' quick matcher, finds what ``soup.select`` finds, in
    the same order, from the page or from one of its elements."""
    soup = BeautifulSoup(SELECTOR_PAGE, "html.parser")
    assert soup.select(selector), "the sample page holds a match"
    cell = soup.find("div", class_="jp-CodeCell")
    for root in (soup, cell):
        # By identity: bs4's == holds for two elements that only look alike.
        assert list(map(id, rewrite.select(root, selector))) == list(
            map(id, root.select(selector))
        )


def test_outermost_leaves_out_nested_matches() -> None:
    soup = BeautifulSoup(SELECTOR_PAGE, "html.parser")
    cells = rewrite.outermost(soup, "div.jp-CodeCell")
    assert [cell.get("id") for cell in cells] == ["cell-id=a"]
