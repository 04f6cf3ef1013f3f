"""Every tutorial has the course's page shape (issue 25): a header that names the lecture
and links to the notes' passage, a main path of at most about 2,000 prose words (the
rest folded under "Going deeper"), a visible caption under every figure, and at the end
"Key points" (three to six) and the exercises. No build tag shows as a chip, and the run
stamp ends the page.

``python -m tests.site.test_page_shape site`` prints every page's count of prose words.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.site.conftest import TUTORIALS

pytestmark = [pytest.mark.site]

MAX_PROSE_WORDS = 2500  # the "about 2,000", with room for a paragraph
WORD = re.compile(r"\w")


def _cells(soup: BeautifulSoup) -> list[Tag]:
    notebook = soup.select_one("div.jp-Notebook")
    assert notebook is not None
    return [
        cell
        for cell in notebook.select("div.jp-Cell")
        if cell.find_parent("div", class_="jp-Cell") is None
    ]


def _folded(element: Tag) -> bool:
    return element.find_parent("details") is not None


def prose_words(html: str) -> int:
    """Words of rendered markdown outside folds: no code, outputs, math or stamp."""
    soup = BeautifulSoup(html, "html.parser")
    count = 0
    for cell in _cells(soup):
        if "jp-MarkdownCell" not in cell.get_attribute_list("class") or _folded(cell):
            continue
        for hidden in cell.select("pre, math, .annlab-display-math, .headerlink"):
            hidden.decompose()
        count += sum(1 for token in cell.get_text(" ").split() if WORD.search(token))
    return count


def shape_problems(html: str) -> list[str]:
    """What keeps a built tutorial page from the course's page shape."""
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    cells = _cells(soup)
    markdown = [c for c in cells if "jp-MarkdownCell" in c.get_attribute_list("class")]
    header = markdown[1] if len(markdown) > 1 else None
    if header is None or "annlab-header" not in header.get_attribute_list("class"):
        problems.append("the cell after the title is not the header (tags=['header'])")
    elif not header.select('a[href*="notes/#lecture-"]'):
        problems.append("the header links to no lecture of the notes (notes/#lecture-NN)")
    words = prose_words(html)
    if words > MAX_PROSE_WORDS:
        problems.append(f"{words} prose words outside folds (at most {MAX_PROSE_WORDS})")
    titles = [
        h2.get_text(" ", strip=True).rstrip("¶").strip()
        for h2 in soup.select("div.jp-Notebook h2")
        if not _folded(h2)
    ]
    if titles[-2:] != ["Key points", "Try it"]:
        problems.append(f"the page does not end with Key points, then Try it: {titles[-3:]}")
    key_points = [h2 for h2 in soup.select("div.jp-Notebook h2") if "Key points" in h2.text]
    if key_points:
        items = key_points[0].find_next("ul")
        count = len(items.find_all("li", recursive=False)) if items else 0
        if not 3 <= count <= 6:
            problems.append(f"{count} key points (three to six)")
    for number, cell in enumerate(cells, start=1):
        if not cell.select(".jp-OutputArea img"):
            continue
        following = cell.find_next_sibling()
        if following is None or "annlab-caption" not in following.get_attribute_list("class"):
            problems.append(f"cell {number} draws a figure with no caption cell right after it")
    if soup.select(".cell-tag, .tags_button_container"):
        problems.append("build tags are shown as chips")
    notebook = soup.select_one("div.jp-Notebook")
    last = notebook.find_all(recursive=False)[-1] if notebook else None
    if last is None or "annlab-stamp" not in last.get_attribute_list("class"):
        problems.append("the run stamp does not end the page")
    return problems


@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda path: path.stem)
def test_every_tutorial_has_the_page_shape(tutorial: Path, built_site: Path) -> None:
    html = (built_site / "tutorials" / tutorial.stem / "index.html").read_text(encoding="utf-8")
    print(f"{tutorial.stem}: {prose_words(html)} prose words outside folds")
    problems = shape_problems(html)
    assert not problems, f"{tutorial.stem}:\n  " + "\n  ".join(problems)


def test_no_page_has_build_tag_chips_and_every_stamp_ends_its_page(built_site: Path) -> None:
    for tutorial in TUTORIALS:
        html = (built_site / "tutorials" / tutorial.stem / "index.html").read_text("utf-8")
        soup = BeautifulSoup(html, "html.parser")
        assert not soup.select(".cell-tag"), f"{tutorial.stem} shows build tags as chips"
        notebook = soup.select_one("div.jp-Notebook")
        assert notebook is not None
        last = notebook.find_all(recursive=False)[-1]
        assert "annlab-stamp" in last.get_attribute_list("class"), tutorial.stem


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    for page in sorted((site / "tutorials").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        problems = shape_problems(html)
        print(f"{page.parent.name}: {prose_words(html)} prose words outside folds")
        for problem in problems:
            print(f"  - {problem}")
