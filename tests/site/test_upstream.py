"""The other packages' internals the plugin relies on (annlab_site/upstream.py), and the
plugin's own checks: mypy --strict and ruff on its package.

Each test here names what an upgrade changed, so it fails loudly instead of the site
quietly changing (a page rendered by mkdocs-jupyter without being run, a search index
parsed from scratch or holding timings).
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

BIN = Path(sys.executable).parent
PLUGIN = ROOT / "tools" / "annlab_site"


def test_mkdocs_renders_a_page_by_calling_its_render_method() -> None:
    """upstream.render_with replaces ``page.render`` after mkdocs-jupyter's on_pre_page."""
    from mkdocs.commands import build
    from mkdocs.structure.pages import Page

    assert list(inspect.signature(Page.render).parameters) == ["self", "config", "files"]
    source = inspect.getsource(build._populate_page)
    assert source.index("on_pre_page(") < source.index("page.render(config, files)"), (
        "MkDocs no longer renders a page by calling page.render after on_pre_page"
    )


def test_the_replaced_render_is_the_one_mkdocs_calls() -> None:
    from annlab_site import upstream
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    page = Page("t", File("t.md", "/docs", "/site", use_directory_urls=True), {})  # type: ignore[arg-type]
    calls = []
    upstream.render_with(page, lambda config, files: calls.append((config, files)))
    page.render("config", "files")  # type: ignore[arg-type]
    assert calls == [("config", "files")]


def test_materials_search_index_is_what_the_memo_wraps() -> None:
    from material.plugins.search.plugin import SearchIndex, SearchPlugin

    parameters = list(inspect.signature(SearchIndex.add_entry_from_context).parameters)
    assert parameters == ["self", "page"], "SearchIndex.add_entry_from_context changed"
    index = SearchIndex(lang=["en"])
    assert index.entries == [] and index.config == {"lang": ["en"]}
    assert "self.search_index.add_entry_from_context(page)" in inspect.getsource(
        SearchPlugin.on_page_context
    ), "Material's search plugin no longer indexes a page through its SearchIndex"


def test_the_search_memo_wraps_an_index_once_and_replays(tmp_path: Path) -> None:
    from annlab_site import upstream
    from annlab_site.memo import Memo
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import get_toc

    class Index:
        def __init__(self) -> None:
            self.config: dict[str, str] = {}
            self.entries: list[str] = []
            self.parsed = 0

        def add_entry_from_context(self, page: Page) -> None:
            self.parsed += 1
            self.entries.append(str(page.content))

    file = File("p.md", "/docs", "/site", use_directory_urls=True)
    page = Page("P", file, {})  # type: ignore[arg-type]
    page.content, page.toc = "<p>hi</p>", get_toc([])
    for _ in range(2):
        index = Index()
        upstream.memoise_search(index, Memo(tmp_path), b"salt")
        upstream.memoise_search(index, Memo(tmp_path), b"salt")  # a second call: no-op
        index.add_entry_from_context(page)
        assert index.entries == ["<p>hi</p>"]
    assert index.parsed == 0, "the second index replayed the memo"


def test_the_signature_memo_formats_each_signature_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocstrings-python looks its formatter up by name at every signature, and the
    memo answers the second build without starting it."""
    from annlab_site import upstream
    from annlab_site.memo import Memo
    from mkdocstrings_handlers.python._internal import rendering

    assert "_get_formatter()" in inspect.getsource(rendering._format_signature)
    formatted = []

    def handlers_formatter() -> Any:  # stands for the handler's choice (Black or Ruff)
        def formatter(code: str, line_length: int) -> str:
            formatted.append(code)
            return f"{code} # {line_length}"

        return formatter

    monkeypatch.setattr(rendering, "_get_formatter", handlers_formatter)
    for _ in range(2):  # two builds, two memos on one folder
        upstream.memoise_signature_format(Memo(tmp_path))
        assert rendering._get_formatter()("def f(a): pass", 60) == "def f(a): pass # 60"
        assert rendering._get_formatter()("def f(a): pass", 70) == "def f(a): pass # 70"
    assert formatted == ["def f(a): pass"] * 2, "each (code, line length) formatted once"


def test_an_api_pages_render_leaves_what_the_replay_restores() -> None:
    """``api_replay`` restores what ``Page.render`` sets and what mkdocstrings registers
    while it renders; a new output of either would be lost on a replayed page."""
    import ast
    import textwrap

    from mkdocs.structure.pages import Page
    from mkdocstrings._internal import extension

    tree = ast.parse(textwrap.dedent(inspect.getsource(Page.render)))
    assigned = {
        target.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Attribute) and ast.unparse(target.value) == "self"
    }
    restored = {"content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors"}
    assert assigned == restored
    source = inspect.getsource(extension)
    registrations = set(re.findall(r"self\._(?:autorefs|handlers)\.[\w.]*register\w*\(", source))
    assert registrations == {
        "self._autorefs.register_anchor(",
        "self._handlers.inventory.register(",
    }, "mkdocstrings registers something else while it renders"


def test_nbconverts_templates_are_compiled_once(tmp_path: Path) -> None:
    """Every exporter nbconvert makes (mkdocs-jupyter makes one per conversion) gets the
    bytecode cache; the second exporter's templates come from it, and render alike."""
    import jinja2
    import nbformat
    from annlab_site import upstream
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter

    original = TemplateExporter._create_environment
    try:
        upstream.cache_notebook_templates(jinja2.FileSystemBytecodeCache(str(tmp_path)))
        upstream.cache_notebook_templates(jinja2.FileSystemBytecodeCache(str(tmp_path)))
        page = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hi")])
        first, _ = HTMLExporter().from_notebook_node(page)
        cached = sorted(tmp_path.iterdir())
        assert len(cached) > 5, "nbconvert's templates were compiled into the cache"
        second = HTMLExporter()
        assert second.environment.bytecode_cache is not None
        assert second.from_notebook_node(page)[0] == first
        assert sorted(tmp_path.iterdir()) == cached, "and read from it the second time"
    finally:
        TemplateExporter._create_environment = original  # type: ignore[method-assign]


def test_serve_polls_for_edits_as_often_as_the_plugin_says(tmp_path: Path) -> None:
    from annlab_site import upstream
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        (tmp_path / "docs").mkdir()
        server.watch(str(tmp_path / "docs"))  # MkDocs watches the docs before on_serve
        upstream.poll_every(server, 0.1)
        server.watch(str(tmp_path))  # and mkdocs.yml's watch list after it
        assert server.observer.timeout == 0.1
        timeouts = [emitter.timeout for emitter in server.observer.emitters]
        assert timeouts == [0.1, 0.1]
    finally:
        server.server_close()


def test_the_plugin_is_registered_and_never_edits_sys_path() -> None:
    from importlib.metadata import entry_points

    (plugin,) = [e for e in entry_points(group="mkdocs.plugins") if e.name == "annlab"]
    assert plugin.value == "annlab_site.plugin:AnnlabPlugin"
    for path in [*PLUGIN.glob("*.py"), *(ROOT / "tests").rglob("*.py")]:
        assert "sys.path.insert" not in path.read_text(encoding="utf-8").replace(
            '"sys.path.insert"', ""
        ), path.name


@pytest.mark.parametrize(
    "command",
    [
        ["mypy", "--strict", str(PLUGIN)],
        ["ruff", "check", str(PLUGIN)],
        ["ruff", "format", "--check", str(PLUGIN)],
    ],
    ids=["mypy-strict", "ruff-check", "ruff-format"],
)
def test_the_plugin_is_typed_and_linted(command: list[str]) -> None:
    result = subprocess.run(
        [str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
