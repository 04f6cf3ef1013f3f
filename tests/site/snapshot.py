"""What every tutorial page prints and draws, as a reviewable snapshot in
``tests/site/snapshots/``.

    python3 dev.py snapshot                    # build (page cache reused) and refresh
    .venv/bin/python -m tests.site.snapshot --site SITE_DIR   # refresh from a built site

One text file per page: the printed output of each code cell, as the built page shows
it, under a ``--- cell N`` header (N counts the code cells shown on the page, as the
copy buttons do), then under ``--- figures`` a fingerprint of each figure the page
shows, in order: its size, and the mean colour of each cell of a 16 × 16 grid laid over
it. Cells tagged ``wall-clock`` print timings, which no seed fixes: their digits (and
the padding that right-aligns them) are masked. A change to any printed number or any
figure then shows as a diff in review, and ``tests/site/test_snapshot.py`` checks that a
build on another x86-64 machine with AVX2 prints the same digits and draws the same
pictures.

Why a fingerprint and not the figure's bytes: a figure is drawn from computed floats,
and a difference in their last bits (another CPU's order of summation) moves the edge
of an antialiased line by a fraction of a pixel, so a few pixels change by a level or
two and the bytes differ although nobody could see it. Measured on these pages (two
numeric profiles on one machine, see ``FIGURE_TOLERANCE``): such noise moves a cell's
mean colour by at most 0.05 of 255 levels, while any change one can see moves it by
several tenths at least.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import io
import itertools
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from annlab_site import page_run
from bs4 import BeautifulSoup
from PIL import Image

from tests.conftest import ROOT

SNAPSHOTS = ROOT / "tests" / "site" / "snapshots"
HEADER = re.compile(
    r"^--- cell (?P<number>\d+)(?P<timed> wall-clock)?(?P<sensitive> cpu-sensitive)?$",
    re.MULTILINE,
)
# A cell tagged cpu-sensitive prints numbers that last-bit differences between CPUs move
# (a long chaotic training run): they are held to SENSITIVE_TOLERANCE, and the figures it
# draws to their name only. Page 4's overfitting runs (3200 Adam steps) printed a held-out
# cost of 1.549 on an AMD EPYC, 1.546 on an Intel Xeon and 1.543 on an emulated Haswell.
SENSITIVE = "cpu-sensitive"
SENSITIVE_TOLERANCE = 0.05  # relative, plus 0.005 absolute
FIGURES = "--- figures"
# A printed number, signed, with its decimals and exponent: 3, -0.25, 1.7881e-07, .5
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
GRID = 16  # a figure's fingerprint: the mean colour of each cell of a GRID x GRID grid,
STEPS = 16  # in 1/STEPS of a colour level (three hex digits per channel)
# How far a cell's mean may move, in levels of 255, before the figure counts as changed.
# The last-bit noise of another order of summation measured at most 0.047 (page 9's
# third figure, ATen's scalar kernels against its AVX2 ones); a training run that ended
# elsewhere (page 4's third figure) moved a cell by 4.3 levels, and the smallest visible
# change seen, a boundary drawn a pixel away over part of its length, by 0.32.
FIGURE_TOLERANCE = 0.2


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
    for target, cell in _code_cells(soup):
        printed = "".join(
            area.get_text()
            for child in cell.select(".jp-OutputArea-child")
            if "jp-OutputArea-executeResult" not in child.get_attribute_list("class")
            for area in child.select('.jp-RenderedText[data-mime-type="text/plain"] pre')
        )
        cells.append((target.get_text(), printed, _tagged(cell, "wall-clock")))
    return cells


def _code_cells(soup: BeautifulSoup) -> list[tuple[Any, Any]]:
    """(the element its copy button copies, the cell) for each code cell, in order."""
    found = []
    for button in soup.find_all("clipboard-copy"):
        targets = soup.find_all(id=button["for"])
        if len(targets) != 1:
            raise ValueError(f"copy button target #{button['for']} is not unique")
        cell = button.find_parent("div", class_="jp-CodeCell")
        if cell is None:
            raise ValueError(f"copy button #{button['for']} is outside a code cell")
        found.append((targets[0], cell))
    return found


def _tagged(cell: Any, tag: str) -> bool:
    """Whether a built cell carries the notebook tag ``tag`` (mkdocs-jupyter's class)."""
    return cell is not None and f"celltag_{tag}" in cell.get_attribute_list("class")


def printed_cells(html: str) -> list[tuple[int, str, bool]]:
    """(cell number, printed text, prints timings?) for each code cell that printed."""
    return [
        (number, mask_timings(text) if timed else text, timed)
        for number, (_, text, timed) in enumerate(page_cells(html), start=1)
        if text
    ]


@dataclass(frozen=True)
class Fingerprint:
    """A figure's size in pixels and the mean colour (R, G, B, in levels of 255) of each
    cell of a ``GRID`` x ``GRID`` grid laid over it, row by row."""

    name: str
    width: int
    height: int
    means: np.ndarray  # shape (GRID, GRID, 3)
    sensitive: bool = False  # drawn by a cell tagged cpu-sensitive: compared by name only

    def lines(self) -> list[str]:
        steps = np.rint(self.means * STEPS).astype(int)
        rows = ["".join(f"{value:03x}" for value in row.ravel()) for row in steps]
        tag = f" {SENSITIVE}" if self.sensitive else ""
        return [f"{self.name} {self.width}x{self.height}{tag}", *rows]

    def differences(self, other: Fingerprint) -> list[str]:
        """What differs from ``other`` beyond the tolerance, in words (empty if nothing)."""
        if self.sensitive != other.sensitive:
            return [f"{self.name}: tagged {SENSITIVE} in one and not the other"]
        if self.sensitive:
            return []
        if abs(self.width - other.width) > 1 or abs(self.height - other.height) > 1:
            return [
                f"{self.name}: {other.width}x{other.height} pixels, not {self.width}x{self.height}"
            ]
        moved = np.abs(self.means - other.means).max(axis=2)
        row, column = np.unravel_index(int(moved.argmax()), moved.shape)
        if moved[row, column] <= FIGURE_TOLERANCE:
            return []
        return [
            f"{self.name}: {int((moved > FIGURE_TOLERANCE).sum())} of {GRID * GRID} grid "
            f"cells changed colour by more than {FIGURE_TOLERANCE} of 255 levels, most "
            f"({moved[row, column]:.2f}) in row {row + 1}, column {column + 1} (of {GRID}, "
            f"from the top left)"
        ]


def fingerprint(name: str, png: bytes) -> Fingerprint:
    """The fingerprint of the image ``png`` (any format Pillow reads), composited on white.

    >>> white = io.BytesIO()
    >>> Image.new("RGB", (40, 20), "white").save(white, format="png")
    >>> figure = fingerprint("white.png", white.getvalue())
    >>> figure.width, figure.height, figure.means.shape, float(figure.means.min())
    (40, 20, (16, 16, 3), 255.0)
    >>> figure.lines()[1][:9]  # 255 levels in sixteenths, per channel: 0xff0
    'ff0ff0ff0'
    """
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    on_white = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    pixels = np.asarray(on_white.convert("RGB"), dtype=np.float64)
    height, width, _ = pixels.shape
    if width < GRID or height < GRID:
        raise ValueError(f"{name}: {width}x{height} pixels is smaller than the {GRID}x{GRID} grid")
    rows = np.linspace(0, height, GRID + 1).round().astype(int)
    columns = np.linspace(0, width, GRID + 1).round().astype(int)
    means = np.array(
        [
            [
                pixels[top:bottom, left:right].mean(axis=(0, 1))
                for left, right in itertools.pairwise(columns)
            ]
            for top, bottom in itertools.pairwise(rows)
        ]
    )
    return Fingerprint(name, width, height, means)


def page_figures(html: str, folder: Path) -> list[Fingerprint]:
    """The fingerprint of each figure a built page shows, in order; ``folder`` is the
    page's folder in the built site, where its figures are files."""
    soup = BeautifulSoup(html, "html.parser")
    figures: list[Fingerprint] = []
    for image in soup.select(".jp-OutputArea img"):
        source = str(image["src"])
        if source.startswith("data:"):  # an inline image: data:image/png;base64,...
            name, data = f"inline image {len(figures) + 1}", source.split(",", 1)[1]
            figure = fingerprint(name, base64.b64decode(data))
        else:
            figure = fingerprint(source, (folder / source).read_bytes())
        if _tagged(image.find_parent("div", class_="jp-CodeCell"), SENSITIVE):
            figure = dataclasses.replace(figure, sensitive=True)
        figures.append(figure)
    return figures


def parse_figures(snapshot: str) -> list[Fingerprint]:
    """The figures of a snapshot file, as :func:`page_figures` gives them (to 1/STEPS of
    a level)."""
    if f"\n{FIGURES}\n" not in snapshot:
        return []
    lines = snapshot.split(f"\n{FIGURES}\n", 1)[1].splitlines()
    figures = []
    for start in range(0, len(lines), GRID + 1):
        name, size, *tag = lines[start].split(" ")
        width, height = (int(n) for n in size.split("x"))
        rows = lines[start + 1 : start + 1 + GRID]
        values = [[int(row[i : i + 3], 16) for i in range(0, len(row), 3)] for row in rows]
        means = np.array(values, dtype=np.float64).reshape(GRID, GRID, 3) / STEPS
        figures.append(Fingerprint(name, width, height, means, tag == [SENSITIVE]))
    return figures


def render(
    page: str,
    cells: list[tuple[int, str, bool]],
    profile: str,
    figures: list[Fingerprint] | None = None,
    sensitive: set[int] | frozenset[int] = frozenset(),
) -> str:
    lines = [
        f"# What each code cell of {page} prints, and a fingerprint of each figure it",
        f"# draws, as built under the numeric profile {profile}. A figure's fingerprint:",
        f"# its size, then {GRID} rows of {GRID} grid cells, each cell's mean R, G, B in",
        f"# 1/{STEPS} of a colour level, three hex digits each.",
        "# Refresh with: python3 dev.py snapshot",
        "",
    ]
    for number, text, timed in cells:
        tags = (" wall-clock" if timed else "") + (f" {SENSITIVE}" if number in sensitive else "")
        lines.append(f"--- cell {number}{tags}")
        lines.append(text.rstrip("\n"))
    if figures:
        lines.append(FIGURES)
        for figure in figures:
            lines += figure.lines()
    return "\n".join(lines) + "\n"


def parse(snapshot: str) -> list[tuple[int, str, bool]]:
    """The cells of a snapshot file, as :func:`printed_cells` gives them (less the
    final line break of each); the figures are left out (:func:`parse_figures`)."""
    snapshot = snapshot.split(f"\n{FIGURES}\n")[0] + "\n"
    headers = list(HEADER.finditer(snapshot))
    cells = []
    for header, following in zip(headers, [*headers[1:], None], strict=True):
        end = following.start() if following else len(snapshot)
        text = snapshot[header.end() + 1 : end].rstrip("\n")
        cells.append((int(header["number"]), text, bool(header["timed"])))
    return cells


def sensitive_cells(html: str) -> set[int]:
    """The numbers (as :func:`printed_cells` counts them) of the code cells tagged
    ``cpu-sensitive``."""
    cells = _code_cells(BeautifulSoup(html, "html.parser"))
    return {number for number, (_, cell) in enumerate(cells, start=1) if _tagged(cell, SENSITIVE)}


def parse_sensitive(snapshot: str) -> set[int]:
    """The numbers of the cells a snapshot file marks ``cpu-sensitive``."""
    head = snapshot.split(f"\n{FIGURES}\n")[0]
    return {int(h["number"]) for h in HEADER.finditer(head) if h["sensitive"]}


def numbers_masked(text: str) -> str:
    """``text`` with every number replaced by ``#`` and runs of white space by one space
    (a wider number shifts the columns of a printed table or tensor).

    >>> numbers_masked("loss  0.25 after 1e+03 steps, -3 dead")
    'loss # after # steps, # dead'
    """
    return re.sub(r"\s+", " ", NUMBER.sub("#", text)).strip()


def numbers_close(expected: str, got: str) -> bool:
    """Whether every number of ``got`` is within ``SENSITIVE_TOLERANCE`` of the same
    number of ``expected`` (same count, in order).

    >>> numbers_close("cost 1.549, gap +1.517", "cost 1.581, gap +1.548")
    True
    >>> numbers_close("cost 1.549", "cost 1.75")
    False
    """
    a, b = NUMBER.findall(expected), NUMBER.findall(got)
    return len(a) == len(b) and all(
        abs(float(x) - float(y)) <= SENSITIVE_TOLERANCE * max(abs(float(x)), abs(float(y))) + 0.005
        for x, y in zip(a, b, strict=True)
    )


def refresh(site: Path, profile: str) -> list[Path]:
    """Write the snapshot of each page of the built ``site``, built under ``profile``
    (described: the profile each page's stamp names, ``NumericProfile.describe()``)."""
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for tutorial in sorted((ROOT / "docs" / "tutorials").glob("[0-9][0-9]_*.py")):
        folder = site / "tutorials" / tutorial.stem
        html = (folder / "index.html").read_text(encoding="utf-8")
        path = SNAPSHOTS / f"{tutorial.stem}.txt"
        figures = page_figures(html, folder)
        text = render(tutorial.stem, printed_cells(html), profile, figures, sensitive_cells(html))
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a site already built from this tree")
    args = parser.parse_args()
    # The build runs under this process's environment, so under this profile: the one
    # its pages' cache entries are keyed on and their stamps name.
    profile = page_run.numeric_profile().describe()
    if args.site:
        paths = refresh(args.site, profile)
    else:
        with tempfile.TemporaryDirectory() as folder:
            bin_dir = Path(sys.executable).parent
            subprocess.run(
                [str(bin_dir / "mkdocs"), "build", "--strict", "-d", folder],
                cwd=ROOT,
                check=True,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
            paths = refresh(Path(folder), profile)
    for path in paths:
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
