"""MkDocs hook: reuse the search plugin's index entries of pages that did not change.

Material's search plugin parses every page's HTML on every build to split it into
sections; that parse was the largest cost of a rebuild with nothing changed (about 1.8
of 6.6 s here). Its result depends only on the page's HTML, URL, title, metadata, table
of contents and the plugin's settings, so it is stored under a hash of exactly those,
this file and Material's version (see ``build_memo``), and replayed. The index written
at the end is the same JSON either way; ``tests/test_page_cache.py`` checks that.
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
import build_memo


def _toc(items: Any) -> list[Any]:
    return [[item.id, item.url, item.title, _toc(item.children)] for item in items]


def _key(page: Any, settings: dict[str, Any]) -> str:
    meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
    return build_memo.digest(
        Path(__file__).read_bytes(),
        importlib.metadata.version("mkdocs-material"),
        page.content or "",
        page.url,
        str(page.title),
        json.dumps(meta, sort_keys=True, default=str),
        json.dumps(_toc(page.toc), default=str),
        json.dumps(settings, sort_keys=True, default=str),
    )


def _without_excluded(html: str) -> str:
    """The page without the elements marked ``data-search-exclude``.

    Material's parser honours the mark on simple elements (the run stamp) but loses it
    on the output wrapper of a ``wall-clock`` cell, a few levels into nbconvert's
    nested divs, and indexed those timings: the index then differed from build to
    build, and one such index broke Lunr's prefix search (no result for "cost").
    Removed here instead; only pages with such cells pay for the extra parse.
    """
    if "celltag_wall-clock" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select("[data-search-exclude]"):
        element.decompose()
    return str(soup)


def _memoised(index: Any) -> Any:
    parse = index.add_entry_from_context

    def add_entry_from_context(page: Any) -> None:
        key = _key(page, index.config)
        entries = build_memo.load("search", key)
        if entries is not None:
            index.entries.extend(entries)
            return
        before = len(index.entries)
        content = page.content
        try:
            page.content = _without_excluded(content)
            parse(page)
        finally:
            page.content = content
        build_memo.store("search", key, index.entries[before:])

    add_entry_from_context.memoised = True  # type: ignore[attr-defined]
    return add_entry_from_context


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    search = config["plugins"].get("material/search") or config["plugins"].get("search")
    index = getattr(search, "search_index", None)
    if index is not None and not getattr(index.add_entry_from_context, "memoised", False):
        index.add_entry_from_context = _memoised(index)
    return context
