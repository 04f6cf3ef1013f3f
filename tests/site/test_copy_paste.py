"""What a reader copies from a page is the page's code, and it runs and prints what the
page shows, also on a machine whose sums run in another order.

Two tests share the work, so each page's code runs once here (the site build runs it
once more, in a kernel):

1. ``test_copy_buttons_copy_the_code_the_page_ran``: for every tutorial of the built
   site, the text each copy button copies (mkdocs-jupyter's ``<clipboard-copy for=ID>``
   copies the text of the element with that id) is exactly the source of the code cell
   the build executed, cell for cell. So the printed outputs under the cells, which
   ``tests/site/test_snapshot.py`` holds to the committed snapshot digit for digit, are what
   this very text printed.
2. ``test_page_code_runs_as_plain_python_under_another_numeric_profile``: the page's
   code cells run in order in one fresh Python interpreter (no Jupyter kernel), the way
   a reader pastes them into one session, under a deliberately different numeric
   profile (ATen's scalar kernels, numpy's baseline paths, numba for a generic x86-64, MKL's
   own branch for the CPU):
   the sums run in other orders and the last digits change, as on another CPU. Every
   assert of every page must hold there; an assert that holds on one machine only (an
   exact float equality, a bound at the edge of what one seed gives) fails here before
   a reader's machine finds it. Each cell must print what the page shows with every
   number masked: the same lines and words, in the same cells (what a kernel displays
   without ``print`` is not printed by a script, so only printed output is compared;
   the pages print what they report). The digits themselves differ by design under
   this profile, and are held exact by the snapshot test under the pages' own profile.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from annlab_site import page_run

from tests.site import snapshot
from tests.site.conftest import TUTORIALS, removed_cell_tags

# Runs each cell in one namespace, like a reader pasting them in order into one session,
# and records what each cell printed.
DRIVER = """
import contextlib, io, json, sys
cells = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
printed = []
for number, code in enumerate(cells, start=1):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, f"<copied cell {number}>", "exec"), namespace)
    printed.append(buffer.getvalue())
json.dump(printed, open(sys.argv[2], "w", encoding="utf-8"))
"""


def _shown_code_cells(tutorial: Path) -> list[str]:
    """The source of each code cell the page shows, in order (cells tagged to be removed
    run in the build but are not on the page)."""
    return [
        cell.source
        for cell in jupytext.read(tutorial).cells
        if cell.cell_type == "code"
        and not removed_cell_tags() & set(cell.metadata.get("tags", []))
    ]


@pytest.mark.site
def test_copy_buttons_copy_the_code_the_page_ran(built_site: Path) -> None:
    for tutorial in TUTORIALS:
        page = built_site / "tutorials" / tutorial.stem / "index.html"
        copied = [code for code, _, _ in snapshot.page_cells(page.read_text(encoding="utf-8"))]
        source = _shown_code_cells(tutorial)
        assert len(copied) == len(source), (
            f"{tutorial.stem}: {len(copied)} copy buttons for {len(source)} code cells"
        )
        for number, (got, ran) in enumerate(zip(copied, source, strict=True), start=1):
            assert got.rstrip("\n") == ran.rstrip("\n"), (
                f"{tutorial.stem} cell {number}: the copy button copies\n{got}\n"
                f"but the build ran\n{ran}"
            )


@pytest.mark.pages
@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.stem)
def test_page_code_runs_as_plain_python_under_another_numeric_profile(
    tutorial: Path, tmp_path: Path
) -> None:
    source = tmp_path / "cells.json"
    source.write_text(json.dumps(_shown_code_cells(tutorial)), encoding="utf-8")
    printed_file = tmp_path / "printed.json"
    files = (str(source), str(printed_file))
    env = page_run.page_env(page_run.PROFILES["scalar"], backend="Agg")
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", DRIVER, *files],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"{tutorial.stem} fails as plain Python under the profile "
        f"{page_run.PROFILES['scalar'].describe()}:\n{result.stderr}"
    )
    printed = json.loads(printed_file.read_text(encoding="utf-8"))
    stored = snapshot.SNAPSHOTS / f"{tutorial.stem}.txt"
    assert stored.exists(), f"no snapshot for {tutorial.stem}: run python3 dev.py snapshot"
    cells = snapshot.parse(stored.read_text(encoding="utf-8"))
    shown = {number: text for number, text, _ in cells}
    timed = {number for number, _, is_timed in cells if is_timed}
    same_digits = 0
    for number, got in enumerate(printed, start=1):
        expected = shown.get(number, "")
        if number in timed:  # timings, which no seed fixes: masked as in the snapshot
            got = snapshot.mask_timings(got)
        assert snapshot.numbers_masked(got) == snapshot.numbers_masked(expected), (
            f"{tutorial.stem} cell {number} printed:\n{got}\nthe page shows:\n{expected}"
        )
        same_digits += bool(expected) and got.rstrip("\n") == expected
    assert set(shown) <= set(range(1, len(printed) + 1)), "the snapshot has cells the page lacks"
    print(
        f"\n{tutorial.stem}: {len(printed)} cells ran as plain Python under another "
        f"profile; {len(shown)} printed what the page shows ({same_digits} to the digit)"
    )
