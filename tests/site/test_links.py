"""The built site: no broken internal link or anchor, no bulky search index, light pages.

mkdocs validates the links of Markdown pages; the links inside executed notebooks
(the tutorials' links to the API reference) are checked only here.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.site]

MAX_PAGE_BYTES = 1_000_000


def _target(page: Path, href: str, site: Path) -> tuple[Path, str] | None:
    parsed = urlparse(href)
    if parsed.scheme or parsed.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    path = unquote(parsed.path)
    if not path:
        base = page
    elif path.startswith("/"):  # the 404 page links from the site root
        base = (site / path.lstrip("/")).resolve()
    else:
        base = (page.parent / path).resolve()
    if base.is_dir():
        base = base / "index.html"
    return base, parsed.fragment


def test_no_broken_internal_links_or_anchors(built_site: Path) -> None:
    site = built_site.resolve()
    ids: dict[Path, set[str]] = {}
    broken: list[str] = []
    checked = 0
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        ids[page.resolve()] = {e["id"] for e in soup.find_all(id=True)}
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(["a", "link", "script", "img"]):
            href = element.get("href") or element.get("src")
            if not href or href.startswith("data:"):
                continue
            found = _target(page.resolve(), href, site)
            if found is None:
                continue
            target, fragment = found
            checked += 1
            where = f"{page.relative_to(site)} -> {href}"
            if not target.exists():
                broken.append(f"{where} (no such file)")
            elif fragment and target.suffix == ".html" and fragment not in ids.get(target, set()):
                broken.append(f"{where} (no anchor #{fragment})")
    print(f"\nlink check: {checked} internal links in {len(pages)} pages, {len(broken)} broken")
    assert not broken, "\n".join(broken)


def _weight(page: Path, site: Path) -> int:
    """A page's bytes plus those of the figures it shows (shared assets are not counted)."""
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    figures = {
        page.parent / str(img["src"])
        for img in soup.select("article img[src]")
        if _target(page, str(img["src"]), site)
    }
    return page.stat().st_size + sum(f.stat().st_size for f in figures if f.is_file())


def test_no_page_weighs_more_than_a_megabyte(built_site: Path) -> None:
    weights = {
        p.relative_to(built_site).as_posix(): _weight(p, built_site)
        for p in built_site.rglob("*.html")
    }
    heaviest = max(weights, key=weights.__getitem__)
    print(f"\nheaviest page with its figures: {heaviest}, {weights[heaviest] / 1e6:.2f} MB")
    assert weights[heaviest] <= MAX_PAGE_BYTES


def test_figures_are_files_not_inline_data(built_site: Path) -> None:
    """nbconvert inlines figures as base64; the site serves them as files beside the page."""
    tutorials = sorted(built_site.glob("tutorials/*/index.html"))
    inline = [p.parent.name for p in tutorials if "data:image" in p.read_text("utf-8")]
    assert tutorials and not inline
    figures = sorted(built_site.glob("tutorials/*/figure-*.png"))
    assert len(figures) >= len(tutorials)
    assert all(f.read_bytes().startswith(b"\x89PNG") for f in figures)


def test_search_index_is_lean(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    docs = index["docs"]
    assert not [d["location"] for d in docs if "data:image" in d["text"] or "base64" in d["text"]]
    biggest = max(docs, key=lambda d: len(d["text"]))
    assert len(biggest["text"]) < 50_000, f"{biggest['location']} puts bulky text in the index"
