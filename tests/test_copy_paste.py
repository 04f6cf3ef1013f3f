"""What a reader copies from a page runs and prints what the page shows.

For every tutorial page of the built site, take exactly the text each copy button
copies (mkdocs-jupyter's ``<clipboard-copy for=ID>`` copies the text of the element
with that id), run the cells in order in one fresh interpreter, and compare what each
cell prints with the printed output shown under that cell on the page. Values a
notebook displays without ``print`` (a bare last expression) are not printed by a
script, so only printed output is compared; the pages print what they report. Cells
tagged ``wall-clock`` print timings, which no seed fixes: their digits are masked.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from annlab_site import page_run, snapshot

from tests.conftest import TUTORIALS

pytestmark = [pytest.mark.site]

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


def _digits_masked(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[0-9.]+", "#", text))


@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.stem)
def test_copied_code_prints_what_the_page_shows(
    tutorial: Path, built_site: Path, tmp_path: Path
) -> None:
    page = built_site / "tutorials" / tutorial.stem / "index.html"
    cells = snapshot.page_cells(page.read_text(encoding="utf-8"))
    assert cells, f"{tutorial.stem}: no copy buttons found"
    source = tmp_path / "cells.json"
    source.write_text(json.dumps([code for code, _, _ in cells]), encoding="utf-8")
    printed_file = tmp_path / "printed.json"
    # One thread and the numeric profile the build ran the page under: the same sums.
    env = page_run.page_env(page_run.numeric_profile(), backend="Agg")
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, str(source), str(printed_file)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{tutorial.stem}: the copied code fails:\n{result.stderr}"
    printed = json.loads(printed_file.read_text(encoding="utf-8"))
    compared = 0
    for number, ((_, shown, timed), got) in enumerate(zip(cells, printed, strict=True), 1):
        if timed:
            shown, got = _digits_masked(shown), _digits_masked(got)
        assert got == shown, f"{tutorial.stem} cell {number} printed:\n{got}\npage shows:\n{shown}"
        compared += bool(shown)
    print(f"\n{tutorial.stem}: {len(cells)} cells copied, {compared} printed outputs matched")
