"""Numbers in a page's prose come from its code: results are ``{{ placeholders }}``.

A markdown cell, or a figure's alt text, fails this test when it carries a result-like
number (a decimal, a percentage, or a whole number of two or more digits) typed by
hand. What is not a
result, and so may stay literal:

- **math** (``$...$``, ``$$...$$``) and **inline code**: formulas and names;
- **quotes** (``"..."`` or ``“...”``): the notes' own words and numbers, quoted to be
  checked or corrected;
- **references**: "page 4", "lecture 46", "exercise 2", "figure 3";
- **settings**: a number that the page's code sets as a literal (outside ``assert``
  statements), such as ``epochs=500`` or a learning rate of ``0.01``. These are the
  lecture's constants and the page's choices: inputs, not results. An assert's bounds
  are not settings: a sentence that quotes them instead of the printed value fails;
- the few phrases in ``ALLOWED`` below, each with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import pytest

from tests.site.conftest import TUTORIALS

MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]+`")
PLACEHOLDER = re.compile(r"\{\{.*?\}\}")
QUOTE = re.compile(r'"[^"\n]*"|“[^”]*”')
LINK_TARGET = re.compile(r"\]\([^)]*\)")
REFERENCE = re.compile(
    r"\b(?:pages?|lectures?|exercises?|figures?|sections?)\s+\d+"
    r"(?:\s*(?:,|and|to|or|–|-)\s*\d+)*",
    re.IGNORECASE,
)
RESULT_LIKE = re.compile(
    r"(?<![\w.\-])(\d[\d ,]*\.\d+|\d+(?:\.\d+)? ?%|\d{2,}(?:[  ,]\d{3})*)(?![\w\-])"
)

# Page ("*" for every page) -> {phrase: why its number is not a result of the code}.
ALLOWED: dict[str, dict[str, str]] = {
    "*": {
        "95% Wilson": "the confidence level the interval is computed for: a setting",
        "95 % Wilson": "the confidence level the interval is computed for: a setting",
        "95 % interval": "the confidence level the interval is computed for: a setting",
        "95% interval": "the confidence level the interval is computed for: a setting",
        "95% band": "the confidence level a figure's band is drawn for: a setting",
        "95 % band": "the confidence level a figure's band is drawn for: a setting",
        "95% error bars": "the confidence level of a figure's error bars: a setting",
    },
    "04_loss_and_cost": {
        "2000 observations": "the notes' own example (2000 samples, batches of 20), not a result",
    },
}


def settings(code: str) -> set[str]:
    """The numbers the code sets as literals, outside asserts, in the forms prose uses."""
    tree = ast.parse(code)
    asserted = {
        id(node) for a in ast.walk(tree) if isinstance(a, ast.Assert) for node in ast.walk(a)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in asserted or not isinstance(node, ast.Constant):
            continue
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            continue
        value = node.value
        found |= {repr(value), f"{value:g}"}
        if value == int(value):
            found |= {str(int(value)), f"{int(value):,}".replace(",", "")}
        if isinstance(value, float) and value < 1:
            found.add(f"{100 * value:g}")  # 0.9 written as 90 %
    return found


def typed_numbers(tutorial: Path) -> list[str]:
    """Result-like numbers typed into the page's prose, with their context."""
    notebook = jupytext.read(tutorial)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    constants = settings(code)
    allowed = {**ALLOWED["*"], **ALLOWED.get(tutorial.stem, {})}
    found = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown":
            where, text = f"markdown cell {number}", cell.source
        elif isinstance(cell.metadata.get("alt"), str):
            where, text = f"alt text of cell {number}", cell.metadata["alt"]
        else:
            continue
        text = re.sub(r"[\u00a0\u202f]", " ", text)  # no-break spaces read as spaces
        for phrase in allowed:
            text = text.replace(phrase, " ")
        for pattern in (MATH, INLINE_CODE, PLACEHOLDER, QUOTE, REFERENCE, LINK_TARGET):
            text = pattern.sub(" ", text)
        for match in RESULT_LIKE.finditer(text):
            value = re.sub(r"[ ,%\u202f]", "", match.group(0))
            if value in constants:
                continue
            context = text[max(0, match.start() - 40) : match.end() + 20].replace("\n", " ")
            found.append(f"{where}: {match.group(0)!r} in '…{context}…'")
    return found


@pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda p: p.stem)
def test_prose_numbers_are_computed_by_the_page(tutorial: Path) -> None:
    typed = typed_numbers(tutorial)
    assert not typed, (
        f"{tutorial.name}: numbers typed into the prose; quote the value the code "
        "computed with {{ name }} (or add the phrase to ALLOWED with a reason):\n"
        + "\n".join(typed)
    )


def test_the_check_finds_a_typed_result_and_an_asserts_bound() -> None:
    code = "epochs = 500\nshare = 0.39\nassert 0.15 < share < 0.35\n"
    assert "500" in settings(code) and "0.15" not in settings(code)
    assert RESULT_LIKE.search("between 15% and 35% of the runs")
    assert not RESULT_LIKE.search("the 2-16-1-1 network")
