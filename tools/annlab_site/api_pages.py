"""The API reference, generated from the package: a page per public module, its nav, and
on every entry the tutorial pages that use it ("Used on: ...").

The package is read statically (``ast``, no import of ``annlab`` and so no torch
start-up in the build): every module whose dotted path has no component starting
with ``_`` gets a page, ``api/<path below annlab, with />/``; mkdocstrings renders it
from ``::: annlab.<path>``. A page's title is the first line of its module's
docstring, cut at its first clause; a subpackage's section in the nav is titled the
same way from its ``__init__`` docstring (or its name). Top-level modules come first,
then one section per public subpackage. mkdocstrings' stylesheet, which it links from
every page, stays only on pages that show an entry (:func:`drop_api_stylesheet`).

The other direction, names in a tutorial linking to their API entries, is done while
the tutorial page is rewritten (``rewrite.py``). Both read a page's imports with
:mod:`annlab_site.annlab_names`.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from annlab_site.annlab_names import imported_names, is_public, module_names
from annlab_site.memo import Memo, digest, library_sources

PACKAGE = "annlab"
SHORT = 48  # characters: a title longer than this loses its last clauses


@dataclass(frozen=True)
class Module:
    """A public module with its API page."""

    name: str  # dotted, e.g. "annlab.plots.surfaces"
    title: str

    def src_uri(self, api_dir: str) -> str:
        return f"{api_dir}/{'/'.join(self.name.split('.')[1:])}.md"

    def markdown(self) -> str:
        return f"# {self.title}\n\n::: {self.name}\n"


@dataclass
class Section:
    """A package: its public modules, then its public subpackages."""

    name: str
    title: str
    modules: list[Module] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def all_modules(self) -> list[Module]:
        return [*self.modules, *(m for s in self.sections for m in s.all_modules())]

    def nav(self, api_dir: str) -> list[Any]:
        """Entries for mkdocs.yml's ``nav``."""
        return [
            *({module.title: module.src_uri(api_dir)} for module in self.modules),
            *({section.title: section.nav(api_dir)} for section in self.sections),
        ]


def short_title(docstring: str | None, fallback: str) -> str:
    """The docstring's first line up to its first colon (or question mark), less its
    last clauses while it is long, without reST markup.

    >>> short_title("Seeded toy data sets from the lectures: clusters, a noisy line.", "x")
    'Seeded toy data sets from the lectures'
    >>> short_title("The experiments of pages 7, 9 and 10, on the batched trainer.", "x")
    'The experiments of pages 7, 9 and 10'
    >>> short_title("The fused kernel of :func:`annlab.train` (numba).", "x")
    'The fused kernel of annlab.train (numba)'
    >>> short_title(None, "by_hand")
    'By hand'
    """
    first = (docstring or "").strip().splitlines()[0] if (docstring or "").strip() else ""
    first = re.sub(r"(?::\w+:)?`+([^`]+)`+", r"\1", first)
    first = re.split(r"(?<=\?) |: |; | — ", first, maxsplit=1)[0].rstrip(". ")
    while len(first) > SHORT and ", " in first:
        first = first.rsplit(", ", 1)[0]
    return first or fallback.replace("_", " ").capitalize()


def _docstring(path: Path) -> str | None:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))


def walk(folder: Path, name: str = PACKAGE) -> Section:
    """The public modules and subpackages of the package in ``folder``."""
    init = folder / "__init__.py"
    section = Section(
        name, short_title(_docstring(init) if init.exists() else None, name.rsplit(".", 1)[-1])
    )
    for path in sorted(folder.iterdir()):
        dotted = f"{name}.{path.stem}"
        if not is_public(dotted):
            continue
        if path.is_file() and path.suffix == ".py":
            section.modules.append(Module(dotted, short_title(_docstring(path), path.stem)))
        elif path.is_dir() and any(path.rglob("*.py")):
            section.sections.append(walk(path, dotted))
    return section


def extend_nav(nav: Any, package: Section, api_dir: str) -> None:
    """Put the package's pages in the section of mkdocs.yml's ``nav`` that lists
    ``<api_dir>/index.md`` (no nav: MkDocs lists every page itself)."""
    index = f"{api_dir}/index.md"

    def extend(items: Any) -> bool:
        if isinstance(items, list):
            if index in items:
                items.extend(package.nav(api_dir))
                return True
            return any(extend(item) for item in items)
        if isinstance(items, dict):
            return any(extend(value) for value in items.values())
        return False

    if nav is not None and not extend(nav):
        raise PluginError(f"annlab: mkdocs.yml's nav has no section listing {index}")


def read_package(library: Path, sources: list[bytes], memo: Memo) -> tuple[Section, set[str]]:
    """The package's public modules (:func:`walk`) and documented paths
    (:func:`documented_paths`), from its ``sources`` (``memo.library_sources``); under
    serve, parsed once per change of annlab (it took 0.1 s of every rebuild)."""
    here = Path(__file__).resolve().parent
    key = digest(
        *sources, *((here / name).read_bytes() for name in ("api_pages.py", "annlab_names.py"))
    )
    return memo.in_memory(
        "api-walk", key, lambda: (package := walk(library), documented_paths(package, library))
    )


def documented_paths(package: Section, library: Path) -> set[str]:
    """Every documented dotted path: the modules and the public names they define."""
    paths = set()
    for module in package.all_modules():
        paths.add(module.name)
        paths.update(
            path
            for path in module_names(module.name, library).values()
            if path.startswith(f"{module.name}.")
        )
    return paths


@dataclass(frozen=True)
class TutorialLink:
    """A tutorial as a "Used on" note links it."""

    title: str
    url: str


class UsedOn:
    """Which tutorials import each documented path, and the notes that list them."""

    def __init__(self, memo: Memo, library: Path) -> None:
        self.memo = memo
        self.library = library
        self.users: dict[str, list[TutorialLink]] = {}  # documented path -> tutorials

    @functools.cached_property
    def resolver_key(self) -> str:
        """What names resolve to depends on this module, the resolver and annlab's
        sources: hashed once per build."""
        resolver = Path(__file__).with_name("annlab_names.py")
        return digest(
            Path(__file__).read_bytes(),
            resolver.read_bytes(),
            str(self.library),
            *library_sources(self.library),
        )

    def add(self, name: str, source: bytes, notebook: Callable[[], Any], url: str) -> None:
        """A tutorial: its file's name, its source, how to have it as a notebook, and its
        URL."""
        title, paths = self._imports(name, source, notebook)
        for documented in paths:
            self.users.setdefault(documented, []).append(TutorialLink(title, url))

    def _imports(self, name: str, source: bytes, read: Callable[[], Any]) -> tuple[str, list[str]]:
        """A tutorial's title (its first line) and the annlab paths its code imports."""
        key = digest(source, self.resolver_key)
        stored = self.memo.load("imports", key)
        if stored is not None:
            return stored[0], stored[1]
        notebook = read()
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        first = notebook.cells[0].source.splitlines()[0] if notebook.cells else name
        paths = sorted(set(imported_names(code, self.library).values()))
        title = first.lstrip("# ").strip()
        self.memo.store("imports", key, [title, paths])
        return title, paths

    def annotate(self, html: str, url: str) -> str:
        """The API page's HTML with a "Used on" note under each entry a tutorial uses."""
        users = {path: [asdict(t) for t in tutorials] for path, tutorials in self.users.items()}
        key = digest(html, url, json.dumps(users), Path(__file__).read_bytes())
        stored = self.memo.load("used-on", key)
        if stored is None:
            stored = self.memo.store("used-on", key, self._add_used_on(html, url))
        return str(stored)

    def _add_used_on(self, html: str, url: str) -> str:
        soup = BeautifulSoup(html, "html.parser")
        headings = {h["id"]: h for h in soup.find_all(["h2", "h3", "h4"], id=True)}
        for path, tutorials in self.users.items():
            heading = headings.get(path)
            if heading is None:
                continue
            anchor = heading.find_next_sibling("div", class_="doc-signature") or heading
            links = ", ".join(
                f'<a href="{get_relative_url(t.url, url)}">{t.title}</a>' for t in tutorials
            )
            note = BeautifulSoup(f'<p class="annlab-used-on">Used on: {links}</p>', "html.parser")
            anchor.insert_after(note)
        return str(soup)


API_STYLESHEET = re.compile(r'<link\b[^>]*href="[^"]*assets/_mkdocstrings\.css"[^>]*>')
API_ENTRY = re.compile(r'class="(?:[^"]*\s)?doc(?:-[-\w]+)?[\s"]')


def drop_api_stylesheet(page: str) -> str:
    """The built page without mkdocstrings' stylesheet (render-blocking; the plugin
    links it from every page) unless the page shows an API entry: each of its rules
    names a ``doc`` or ``doc-*`` class."""
    if API_ENTRY.search(page):
        return page
    return API_STYLESHEET.sub("", page)
