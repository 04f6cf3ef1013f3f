"""Math typeset at build time (annlab_site.katex): found where KaTeX's auto-render found
it, typeset by the site's own KaTeX, and a formula it cannot typeset fails the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from annlab_site.katex import Formula, KaTeX, render_math, split_math
from bs4 import BeautifulSoup

from tests.conftest import ROOT, build_site, small_project

SCRIPT = ROOT / "docs" / "assets" / "katex" / "katex.min.js"


@pytest.fixture(scope="module")
def katex() -> KaTeX:
    return KaTeX(SCRIPT)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a $x$ b", ["a ", Formula("x", False), " b"]),
        ("$$y = 1$$", [Formula("y = 1", True)]),
        ("\\(x\\) and \\[y\\]", [Formula("x", False), " and ", Formula("y", True)]),
        # A delimiter inside braces does not close the formula.
        ("$\\text{a $ b}$.", [Formula("\\text{a $ b}", False), "."]),
        # $$ is tried before $, as auto-render tries the delimiters in the site's order.
        ("$$a$$ $b$", [Formula("a", True), " ", Formula("b", False)]),
        ("it costs $5", ["it costs ", "$5"]),  # never closed: text, as in the browser
        ("no math", ["no math"]),
    ],
)
def test_formulas_are_found_as_auto_render_found_them(
    text: str, parts: list[str | Formula]
) -> None:
    assert split_math(text) == parts


def test_math_is_typeset_outside_code_and_printed_output(katex: KaTeX) -> None:
    soup = BeautifulSoup(
        "<p>Let $w x + b$ be</p><p>$$\\hat y = \\sigma(z)$$</p>"
        "<p><code>$not math$</code></p><pre>$no$</pre>"
        '<div class="jp-OutputArea-output"><p>$printed$</p></div>',
        "html.parser",
    )
    count, errors = render_math(soup, katex)
    assert (count, errors) == (2, [])
    inline, display = soup.select("p")[:2]
    assert inline.select_one(".katex > .katex-mathml annotation").get_text() == "w x + b"
    assert inline.get_text().startswith("Let ") and inline.get_text().endswith(" be")
    assert display.select_one(".katex-display .katex-html") is not None
    assert soup.select_one("code").get_text() == "$not math$"
    assert soup.select_one("pre").get_text() == "$no$"
    assert "$printed$" in soup.select_one(".jp-OutputArea-output").get_text()
    # The search index holds the TeX (annlab_site/upstream.py), not KaTeX's two copies.
    assert [el["data-search-text"] for el in soup.select(".katex")] == [
        "$w x + b$",
        "$\\hat y = \\sigma(z)$",
    ]


def test_the_markup_is_katex_s_own(katex: KaTeX) -> None:
    """What the browser's katex.render produced before: the same script, the same call."""
    html, error = katex.render(Formula("x^2", False))
    assert error is None
    assert html.startswith('<span class="katex"><span class="katex-mathml"><math')
    assert 'class="katex-html" aria-hidden="true"' in html


@pytest.mark.parametrize(
    ("html", "named"),
    [
        ("<p>$\\frac{1}{2$</p>", "\\frac{1}{2"),  # braces unbalanced: never closed
        ("<p>$\\fraction{1}$</p>", "Undefined control sequence: \\fraction"),
        ("<p>an opening \\( and nothing else</p>", "never closed"),
        ('<p><span class="arithmatex">\\(\\frac{1}{\\)</span></p>', "never closed"),
    ],
)
def test_a_formula_that_cannot_be_typeset_is_an_error(katex: KaTeX, html: str, named: str) -> None:
    _, errors = render_math(BeautifulSoup(html, "html.parser"), katex)
    assert len(errors) == 1 and named in errors[0], errors


@pytest.mark.site
def test_a_bad_formula_fails_the_strict_build_naming_the_page(tmp_path: Path) -> None:
    """A Markdown page's math (arithmatex), typeset by the plugin: the strict build
    fails and names the page and the formula; a good formula is typeset, and the
    page loads no script to do it."""
    project = small_project(tmp_path, {})
    home = tmp_path / "docs" / "index.md"
    cache = {"ANNLAB_PAGE_CACHE": str(tmp_path / "cache")}
    home.write_text("# Home\n\nA typo: $\\sigmaa(z)$.\n")
    failed = build_site(project, tmp_path / "site", cache)
    assert failed.returncode != 0
    assert "index.md: KaTeX cannot typeset $\\sigmaa(z)$" in failed.stderr, failed.stderr[-2000:]
    assert "Undefined control sequence: \\sigmaa" in failed.stderr
    home.write_text("# Home\n\nA formula: $\\sigma(z) = 1$.\n")
    built = build_site(project, tmp_path / "site", cache)
    assert built.returncode == 0, built.stderr[-2000:]
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<annotation encoding="application/x-tex">\\sigma(z) = 1</annotation>' in page
    assert "katex.min.js" not in page
