"""Every tutorial runs as a plain Python script, the way a reader who copies it would."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from annlab_site import page_run

from tests.conftest import TUTORIALS

MAX_CODE_WIDTH = 79  # the content column shows about this many characters of code


def test_there_are_tutorials() -> None:
    assert TUTORIALS, "no docs/tutorials/NN_*.py found"


@pytest.mark.pages
@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_runs_as_a_script_under_another_numeric_profile(
    tutorial: Path, tmp_path: Path
) -> None:
    """Every assert of every page holds under a second, different numeric profile.

    The site is built under the AVX2 profile; this runs each page as a plain script
    with ATen's scalar kernels and MKL's compatible path instead, so the sums run in
    other orders and the last digits change, as they would on another CPU. An assert
    that holds on one machine only (an exact float equality, a bound at the edge of
    what one seed gives) fails here before a reader's machine finds it.
    """
    env = page_run.page_env(page_run.PROFILES["compatible"], backend="Agg")
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", str(tutorial)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{tutorial.name} failed as a script:\n{result.stderr}"


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
