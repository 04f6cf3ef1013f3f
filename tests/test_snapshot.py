"""The built pages print and draw exactly what the committed snapshot says
(tests/snapshots/): every printed digit, and every figure's bytes (SHA-256).

The snapshot was made on one x86-64 machine under the pages' numeric profile (AVX2
kernels for ATen and MKL, see annlab_site/page_run.py); a build on any other x86-64 machine
with AVX2 must print the same, digit for digit, and draw the same pixels. This is also
the suite's proof that every page's executions are seeded: an unseeded number or figure
would differ from the build that made the snapshot. Elsewhere the profile cannot be
applied and the test is skipped, saying why. Refresh after an intended change with
``python3 dev.py snapshot`` and review the diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from annlab_site import page_run, snapshot

from tests.conftest import TUTORIALS

pytestmark = [pytest.mark.site]


@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.stem)
def test_page_prints_what_the_snapshot_says(tutorial: Path, built_site: Path) -> None:
    profile = page_run.numeric_profile()
    if profile != page_run.PROFILES["avx2"]:
        pytest.skip(
            f"the snapshot was made under the x86-64 AVX2 profile; this build ran "
            f"under {profile.describe()}, whose last digits may differ"
        )
    stored = snapshot.SNAPSHOTS / f"{tutorial.stem}.txt"
    assert stored.exists(), f"no snapshot for {tutorial.stem}: run python3 dev.py snapshot"
    folder = built_site / "tutorials" / tutorial.stem
    html = (folder / "index.html").read_text("utf-8")
    built = snapshot.render(
        tutorial.stem,
        snapshot.printed_cells(html),
        snapshot.page_profile(html),
        snapshot.figure_digests(html, folder),
    )
    expected = stored.read_text(encoding="utf-8")
    if built != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                built.splitlines(keepends=True),
                f"tests/snapshots/{tutorial.stem}.txt",
                "this build",
            )
        )
        pytest.fail(f"{tutorial.stem} prints or draws other than its snapshot:\n{diff}")


def test_a_snapshot_reads_back_as_written() -> None:
    cells = [(1, "a = 1\n  b", False), (4, "took # s", True)]
    assert snapshot.parse(snapshot.render("page", cells, "x")) == cells
    figures = [("figure-1.png", "ab" * 32)]
    assert snapshot.parse(snapshot.render("page", cells, "x", figures)) == cells
    assert snapshot.mask_timings("  12.5 ms, 3 runs") == "# ms,# runs"
