"""What every tutorial page prints, as a reviewable snapshot in ``tests/snapshots/``.

    python3 dev.py snapshot                    # build (page cache reused) and refresh
    .venv/bin/python -m annlab_site.snapshot --site SITE_DIR   # refresh from a built site

One text file per page: the printed output of each code cell, as the built page shows
it, under a ``--- cell N`` header (N counts the code cells shown on the page, as the
copy buttons do), then under ``--- figures`` the SHA-256 of each figure the page shows,
in order. Cells tagged ``wall-clock`` print timings, which no seed fixes: their
digits (and the padding that right-aligns them) are masked. A change to any printed
number or any figure's pixels then shows as a diff in review, and
``tests/test_snapshot.py`` checks that a build on another x86-64 machine with AVX2
prints and draws the same.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]  # installed editable from tools/: the checkout
SNAPSHOTS = ROOT / "tests" / "snapshots"
HEADER = re.compile(r"^--- cell (?P<number>\d+)(?P<timed> wall-clock)?$", re.MULTILINE)
FIGURES = "--- figures"


def mask_timings(text: str) -> str:
    """Digits of a timing, with the padding that right-aligns them, become '#'."""
    return re.sub(r" *[0-9][0-9.]*", "#", text)


def page_cells(html: str) -> list[tuple[str, str, bool]]:
    """For each code cell of a built page, in order: the code its copy button copies
    (mkdocs-jupyter's ``<clipboard-copy for=ID>`` copies the element with that id), the
    printed output shown under it, and whether it prints timings (``wall-clock``).
    Values a notebook displays without ``print`` are not printed output."""
    soup = BeautifulSoup(html, "html.parser")
    cells = []
    for button in soup.find_all("clipboard-copy"):
        targets = soup.find_all(id=button["for"])
        if len(targets) != 1:
            raise ValueError(f"copy button target #{button['for']} is not unique")
        cell = button.find_parent("div", class_="jp-CodeCell")
        if cell is None:
            raise ValueError(f"copy button #{button['for']} is outside a code cell")
        printed = "".join(
            area.get_text()
            for child in cell.select(".jp-OutputArea-child")
            if "jp-OutputArea-executeResult" not in child.get_attribute_list("class")
            for area in child.select('.jp-RenderedText[data-mime-type="text/plain"] pre')
        )
        cells.append(
            (
                targets[0].get_text(),
                printed,
                "celltag_wall-clock" in cell.get_attribute_list("class"),
            )
        )
    return cells


def printed_cells(html: str) -> list[tuple[int, str, bool]]:
    """(cell number, printed text, prints timings?) for each code cell that printed."""
    return [
        (number, mask_timings(text) if timed else text, timed)
        for number, (_, text, timed) in enumerate(page_cells(html), start=1)
        if text
    ]


def figure_digests(html: str, folder: Path) -> list[tuple[str, str]]:
    """(file name, SHA-256) of each figure a built page shows, in order; ``folder`` is
    the page's folder in the built site, where its figures are files."""
    soup = BeautifulSoup(html, "html.parser")
    digests = []
    for image in soup.select(".jp-OutputArea img"):
        source = str(image["src"])
        if source.startswith("data:"):
            data = source.encode("utf-8")  # an inline image: its text is its content
        else:
            data = (folder / source).read_bytes()
        digests.append((source[:40], hashlib.sha256(data).hexdigest()))
    return digests


def render(
    page: str,
    cells: list[tuple[int, str, bool]],
    profile: str,
    figures: list[tuple[str, str]] | None = None,
) -> str:
    lines = [
        f"# What each code cell of {page} prints, and the SHA-256 of each figure it",
        f"# draws, as built under the numeric profile {profile}.",
        "# Refresh with: python3 dev.py snapshot",
        "",
    ]
    for number, text, timed in cells:
        lines.append(f"--- cell {number}{' wall-clock' if timed else ''}")
        lines.append(text.rstrip("\n"))
    if figures:
        lines.append(FIGURES)
        lines += [f"{name} {digest}" for name, digest in figures]
    return "\n".join(lines) + "\n"


def parse(snapshot: str) -> list[tuple[int, str, bool]]:
    """The cells of a snapshot file, as :func:`printed_cells` gives them (less the
    final line break of each); the figures' digests are left out."""
    snapshot = snapshot.split(f"\n{FIGURES}\n")[0] + "\n"
    headers = list(HEADER.finditer(snapshot))
    cells = []
    for header, following in zip(headers, [*headers[1:], None], strict=True):
        end = following.start() if following else len(snapshot)
        text = snapshot[header.end() + 1 : end].rstrip("\n")
        cells.append((int(header["number"]), text, bool(header["timed"])))
    return cells


def page_profile(html: str) -> str:
    found = re.search(r"numeric profile (.*?), in <span", html)
    return found.group(1) if found else "unknown"


def refresh(site: Path) -> list[Path]:
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for tutorial in sorted((ROOT / "docs" / "tutorials").glob("[0-9][0-9]_*.py")):
        folder = site / "tutorials" / tutorial.stem
        html = (folder / "index.html").read_text(encoding="utf-8")
        path = SNAPSHOTS / f"{tutorial.stem}.txt"
        figures = figure_digests(html, folder)
        text = render(tutorial.stem, printed_cells(html), page_profile(html), figures)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a site already built from this tree")
    args = parser.parse_args()
    if args.site:
        paths = refresh(args.site)
    else:
        with tempfile.TemporaryDirectory() as folder:
            bin_dir = Path(sys.executable).parent
            subprocess.run(
                [str(bin_dir / "mkdocs"), "build", "--strict", "-d", folder],
                cwd=ROOT,
                check=True,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
            paths = refresh(Path(folder))
    for path in paths:
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
