"""MkDocs hook: every API entry lists the tutorial pages that import it ("Used on: ...").

The other direction, names in a tutorial's code linking to their API entries, is done
by ``site_hooks.py`` while it rewrites the tutorial page. Both read a page's imports
with :mod:`annlab_names` (statically, from the sources).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
from bs4 import BeautifulSoup
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).parent))
from annlab_names import imported_names


@dataclass(frozen=True)
class Tutorial:
    title: str
    url: str


_users: dict[str, list[Tutorial]] = {}  # documented path -> tutorials importing it


def on_files(files: Any, config: Any) -> Any:
    _users.clear()
    for file in sorted(files, key=lambda f: f.src_uri):
        if file.src_uri.startswith("tutorials/") and file.src_uri.endswith(".py"):
            notebook = jupytext.read(file.abs_src_path)
            code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
            first = notebook.cells[0].source.splitlines()[0] if notebook.cells else file.name
            tutorial = Tutorial(title=first.lstrip("# ").strip(), url=file.url)
            for path in sorted(set(imported_names(code).values())):
                _users.setdefault(path, []).append(tutorial)
    return files


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if not page.file.src_uri.startswith("api/") or Path(page.file.src_uri).stem == "index":
        return html
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
