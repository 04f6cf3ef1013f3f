"""The tutorials' shape: what every page has, and code that fits the column. (Each page runs
as plain Python in tests/site/test_copy_paste.py.)"""

from __future__ import annotations

import itertools
from pathlib import Path

import jupytext
import pytest

from tests.site.conftest import TUTORIALS

MAX_CODE_WIDTH = 79  # the content column shows about this many characters of code


def test_there_are_tutorials() -> None:
    assert TUTORIALS, "no docs/tutorials/NN_*.py found"


@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_code_fits_the_column(tutorial: Path) -> None:
    notebook = jupytext.read(tutorial)
    too_wide = [
        line
        for cell in notebook.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if len(line) > MAX_CODE_WIDTH
    ]
    assert not too_wide, f"code lines over {MAX_CODE_WIDTH} characters: {too_wide}"


@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_has_the_page_structure(tutorial: Path) -> None:
    """Motivation first, then Questions, then Try it with at least one executed solution."""
    notebook = jupytext.read(tutorial)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert markdown.lstrip().startswith("# "), "the page starts with its title"
    assert "## Questions" in markdown and "## Try it" in markdown
    assert markdown.index("## Questions") < markdown.index("## Try it")
    solutions = [c for c in notebook.cells if "solution" in c.metadata.get("tags", [])]
    assert any(c.cell_type == "code" for c in solutions), "an exercise has an executed solution"
    # The answer in words is folded with its code: no untagged cell right after a solution
    # may give it away (only the next exercise may follow).
    for before, after in itertools.pairwise(notebook.cells):
        if "solution" in before.metadata.get("tags", []) and after.cell_type == "markdown":
            assert "solution" in after.metadata.get(
                "tags", []
            ) or after.source.lstrip().startswith(("**Exercise", "#")), (
                f"answer outside its fold: {after.source[:60]!r}"
            )
    hidden = [c for c in notebook.cells if "style" in c.metadata.get("tags", [])]
    assert all(len(c.source.splitlines()) <= 10 for c in hidden), "style cells stay small"
