"""MkDocs hook: every API entry lists the tutorial pages that import it ("Used on: ...").

The other direction, names in a tutorial's code linking to their API entries, is done
by ``site_hooks.py`` while it rewrites the tutorial page. Both read a page's imports
with :mod:`annlab_names` (statically, from the sources).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import jupytext
from bs4 import BeautifulSoup
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).parent))
import build_memo
from annlab_names import LIBRARY, imported_names


@dataclass(frozen=True)
class Tutorial:
    title: str
    url: str


_users: dict[str, list[Tutorial]] = {}  # documented path -> tutorials importing it


def _tutorial_imports(path: str, resolver_key: str) -> tuple[str, list[str]]:
    """A tutorial's title (its first line) and the annlab paths its code imports."""
    source = Path(path).read_bytes()
    key = build_memo.digest(source, resolver_key)
    stored = build_memo.load("imports", key)
    if stored is not None:
        return stored[0], stored[1]
    notebook = jupytext.reads(source.decode("utf-8"), fmt="py:percent")
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    first = notebook.cells[0].source.splitlines()[0] if notebook.cells else Path(path).name
    paths = sorted(set(imported_names(code).values()))
    return tuple(build_memo.store("imports", key, [first.lstrip("# ").strip(), paths]))


def on_files(files: Any, config: Any) -> Any:
    _users.clear()
    # What names resolve to depends on this hook, the resolver and annlab's own sources
    # (the resolver's copy of them): hashed once per build.
    resolver = Path(__file__).with_name("annlab_names.py")
    library = build_memo.library_sources(LIBRARY)
    resolver_key = build_memo.digest(Path(__file__).read_bytes(), resolver.read_bytes(), *library)
    for file in sorted(files, key=lambda f: f.src_uri):
        if file.src_uri.startswith("tutorials/") and file.src_uri.endswith(".py"):
            title, paths = _tutorial_imports(file.abs_src_path, resolver_key)
            tutorial = Tutorial(title=title, url=file.url)
            for path in paths:
                _users.setdefault(path, []).append(tutorial)
    return files


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if not page.file.src_uri.startswith("api/") or Path(page.file.src_uri).stem == "index":
        return html
    users = {path: [asdict(t) for t in tutorials] for path, tutorials in _users.items()}
    key = build_memo.digest(html, page.url, json.dumps(users), Path(__file__).read_bytes())
    stored = build_memo.load("used-on", key)
    if stored is None:
        stored = build_memo.store("used-on", key, _add_used_on(html, page))
    return str(stored)


def _add_used_on(html: str, page: Any) -> str:
    soup = BeautifulSoup(html, "html.parser")
    headings = {h["id"]: h for h in soup.find_all(["h2", "h3", "h4"], id=True)}
    for path, tutorials in _users.items():
        heading = headings.get(path)
        if heading is None:
            continue
        anchor = heading.find_next_sibling("div", class_="doc-signature") or heading
        links = ", ".join(
            f'<a href="{get_relative_url(t.url, page.url)}">{t.title}</a>' for t in tutorials
        )
        note = BeautifulSoup(f'<p class="annlab-used-on">Used on: {links}</p>', "html.parser")
        anchor.insert_after(note)
    return str(soup)
