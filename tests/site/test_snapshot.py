"""The built pages print and draw what the committed snapshot says (tests/site/snapshots/):
every printed digit, and every figure to the eye (its fingerprint, within
``snapshot.FIGURE_TOLERANCE``; ``tests/site/snapshot.py`` says why not its bytes).

The snapshot was made on one x86-64 machine under the pages' numeric profile (see
annlab_site/page_run.py); a build on any other x86-64 machine with AVX2, Intel or AMD,
must print the same, digit for digit, and draw the same pictures. This is also the
suite's proof that every page's executions are seeded: an unseeded number or figure
would differ from the build that made the snapshot. Elsewhere the profile cannot be
applied and the test is skipped, saying why. Refresh after an intended change with
``python3 dev.py snapshot`` and review the diff.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from annlab_site import page_run

from tests.site import snapshot
from tests.site.conftest import TUTORIALS

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
    figures = snapshot.page_figures(html, folder)
    expected = stored.read_text(encoding="utf-8")
    sensitive = snapshot.sensitive_cells(html)
    built = snapshot.render(
        tutorial.stem,
        snapshot.printed_cells(html),
        profile.describe(),  # what the page's stamp names: its cache entry is keyed on it
        figures,
        sensitive,
    )
    # Cells tagged cpu-sensitive: the same words and numbers within the tolerance, so
    # they are compared one by one and left out of the exact comparison below.
    stored_cells = {n: text for n, text, _ in snapshot.parse(expected)}
    built_cells = {n: text for n, text, _ in snapshot.parse(built)}
    printing = sensitive & set(built_cells)  # a tagged cell may only draw
    assert printing == snapshot.parse_sensitive(expected), "the cpu-sensitive tags changed"
    for number in sorted(printing):
        want, got = stored_cells[number], built_cells.get(number, "")
        assert snapshot.numbers_masked(got) == snapshot.numbers_masked(
            want
        ) and snapshot.numbers_close(want, got), (
            f"{tutorial.stem} cell {number} (cpu-sensitive) printed other words, or numbers "
            f"more than {snapshot.SENSITIVE_TOLERANCE:.0%} away:\n{got}\n"
            f"the snapshot says:\n{want}"
        )
    printed, wanted = (_exact_part(text, sensitive) for text in (built, expected))
    if printed != wanted:
        diff = "".join(
            difflib.unified_diff(
                wanted.splitlines(keepends=True),
                printed.splitlines(keepends=True),
                f"tests/site/snapshots/{tutorial.stem}.txt",
                "this build",
            )
        )
        pytest.fail(f"{tutorial.stem} prints other than its snapshot:\n{diff}")
    stored_figures = snapshot.parse_figures(expected)
    assert [f.name for f in figures] == [f.name for f in stored_figures], (
        f"{tutorial.stem} draws other figures than its snapshot lists"
    )
    changed = [
        line
        for old, new in zip(stored_figures, figures, strict=True)
        for line in old.differences(new)
    ]
    assert not changed, f"{tutorial.stem} draws other than its snapshot:\n" + "\n".join(changed)


def _exact_part(text: str, sensitive: set[int]) -> str:
    """The snapshot's text without its figures and without the cpu-sensitive cells'
    output (their headers stay)."""
    cells = [
        (n, "(cpu-sensitive: compared within a tolerance)" if n in sensitive else t, timed)
        for n, t, timed in snapshot.parse(text.split(f"\n{snapshot.FIGURES}\n")[0] + "\n")
    ]
    return snapshot.render("page", cells, "", None, sensitive)


def test_a_snapshot_reads_back_as_written() -> None:
    cells = [(1, "a = 1\n  b", False), (4, "took # s", True)]
    assert snapshot.parse(snapshot.render("page", cells, "x")) == cells
    rng = np.random.default_rng(0)
    figure = snapshot.Fingerprint("figure-1.png", 300, 200, rng.uniform(0, 255, (16, 16, 3)))
    written = snapshot.render("page", cells, "x", [figure, figure])
    assert snapshot.parse(written) == cells
    read = snapshot.parse_figures(written)
    assert [(f.name, f.width, f.height) for f in read] == [("figure-1.png", 300, 200)] * 2
    assert np.abs(read[0].means - figure.means).max() <= 0.5 / snapshot.STEPS
    tagged = snapshot.render("page", cells, "x", [replace(figure, sensitive=True)], {4})
    assert snapshot.parse(tagged) == cells and snapshot.parse_sensitive(tagged) == {4}
    assert [f.sensitive for f in snapshot.parse_figures(tagged)] == [True]
    moved = replace(figure, means=figure.means + 50, sensitive=True)
    assert snapshot.parse_figures(tagged)[0].differences(moved) == [], "compared by name only"
    assert snapshot.mask_timings("  12.5 ms, 3 runs") == "# ms,# runs"


def _drawn(points: np.ndarray) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.plot(points[:, 0], np.sort(points[:, 1]), linewidth=1.5)
    ax.scatter(points[:, 0], points[:, 1], s=12)
    ax.set(xlim=(-4, 4), ylim=(-4, 4))
    png = io.BytesIO()
    fig.savefig(png, format="png")
    plt.close(fig)
    return png.getvalue()


def test_a_figure_fingerprint_passes_last_bit_noise_and_fails_a_visible_change() -> None:
    rng = np.random.default_rng(1)
    points = rng.normal(size=(200, 2))
    # Every coordinate off by a relative 1e-5 (a hundredth of a pixel here), as another
    # CPU's order of summation leaves it after many steps: some pixels change, the
    # figure does not.
    noisy = points * (1 + 1e-5 * rng.choice([-1.0, 1.0], size=points.shape))
    moved = points.copy()
    moved[:10] += 0.1  # ten of 200 points two pixels away: a change one can see
    drawn = {name: _drawn(p) for name, p in [("base", points), ("noisy", noisy), ("moved", moved)]}
    assert drawn["noisy"] != drawn["base"], "the noise changed no pixel: the test proves nothing"
    base, noisy_print, moved_print = (snapshot.fingerprint(n, png) for n, png in drawn.items())
    assert base.differences(noisy_print) == []
    assert base.differences(moved_print), "ten points moved by two pixels passed unseen"
