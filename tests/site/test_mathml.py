"""Math written as MathML at build time (annlab_site.mathml): found where KaTeX's
auto-render found it, written by the site's own Temml, a formula it cannot typeset fails
the build, and the math font is cut to the characters the formulas use."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from annlab_site.mathml import (
    Formula,
    Temml,
    link_stylesheet,
    math_characters,
    render_math,
    split_math,
    subset_font,
)
from bs4 import BeautifulSoup

from tests.site.conftest import ROOT, build_site, small_project

SCRIPT = ROOT / "docs" / "assets" / "temml" / "temml.min.js"
FONT = ROOT / "docs" / "assets" / "temml" / "STIXTwoMath-full.woff2"


@pytest.fixture(scope="module")
def temml() -> Temml:
    return Temml(SCRIPT)


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


def test_math_is_typeset_outside_code_and_printed_output(temml: Temml) -> None:
    soup = BeautifulSoup(
        "<p>Let $w x + b$ be</p><p>$$\\hat y = \\sigma(z)$$</p>"
        "<p><code>$not math$</code></p><pre>$no$</pre>"
        '<div class="jp-OutputArea-output"><p>$printed$</p></div>',
        "html.parser",
    )
    count, errors = render_math(soup, temml)
    assert (count, errors) == (2, [])
    inline, display = soup.select("p")[:2]
    assert [m.name for m in inline.select("math mi")] == ["mi", "mi", "mi"]  # w, x, b
    assert inline.get_text().startswith("Let ") and inline.get_text().endswith(" be")
    assert display.select_one("span.annlab-display-math > math[display=block]") is not None
    assert inline.select_one(".annlab-display-math") is None
    assert soup.select_one("code").get_text() == "$not math$"
    assert soup.select_one("pre").get_text() == "$no$"
    assert "$printed$" in soup.select_one(".jp-OutputArea-output").get_text()
    # The search index holds the TeX (annlab_site/upstream.py), not the MathML's text.
    assert [el["data-search-text"] for el in soup.select("math")] == [
        "$w x + b$",
        "$\\hat y = \\sigma(z)$",
    ]


def test_a_formula_is_one_math_element(temml: Temml) -> None:
    """MathML only: no HTML copy beside it (KaTeX wrote both, about 40 elements each)."""
    html, error = temml.render(Formula("x^2", False))
    assert error is None
    assert html == '<math><msup><mi>x</mi><mn class="tml-sml-pad">2</mn></msup></math>'
    html, _ = temml.render(Formula("\\mathsf{T} + \\mathbb{R}", False))
    # Letter styles as Unicode math letters, which Chromium draws (it ignores mathvariant)
    assert "𝖳" in html and "ℝ" in html and "mathvariant" not in html


def test_the_stylesheet_and_font_are_linked_only_where_there_is_math() -> None:
    link = '<link href="../../assets/temml/math.css" rel="stylesheet">'
    with_math = link_stylesheet(f"<head>{link}</head><p><math><mi>x</mi></math></p>")
    assert '<link rel="preload" href="../../assets/temml/STIXTwoMath.woff2"' in with_math
    assert link in with_math
    assert link_stylesheet(f"<head>{link}</head><p>none</p>") == "<head></head><p>none</p>"


def test_the_font_is_cut_to_the_characters_of_the_formulas(temml: Temml) -> None:
    from fontTools.ttLib import TTFont

    page = "".join(temml.render(Formula(tex, True))[0] for tex in ["\\sum_i x_i", "a < b"])
    characters = math_characters(f"<p>prose ∫ {page}</p>")
    assert characters >= set("∑ixab<"), "the formulas' characters, entities decoded"
    assert characters - set("∑ixab<") == set("𝑖𝑥𝑎𝑏"), "and the italic letters drawn"
    cut = subset_font(FONT.read_bytes(), characters)
    font = TTFont(io.BytesIO(cut))
    kept = set(map(chr, font.getBestCmap()))  # also what the kept glyphs stand for (>)
    assert characters <= kept and len(kept) < 14
    assert "MATH" in font, "the MATH table (spacing, big operators) is kept"
    sum_glyph = font.getBestCmap()[ord("∑")]
    variants = font["MATH"].table.MathVariants.VertGlyphCoverage.glyphs
    assert sum_glyph in variants, "and the large sum a display formula uses"
    assert len(cut) < 15_000 < FONT.stat().st_size
    assert subset_font(FONT.read_bytes(), characters) == cut, "the same bytes every time"


def test_a_square_root_keeps_its_radical_sign_in_the_cut_font(temml: Temml) -> None:
    """``<msqrt>`` holds no radical character: the browser draws the font's √, which a
    cut to the formula's text alone would leave out (every root on the site went blank)."""
    page = temml.render(Formula("\\sqrt{v} + \\sqrt[3]{w}", False))[0]
    assert "√" not in page and "<msqrt" in page
    assert math_characters(page) == set("vw3+√𝑣𝑤")


def test_one_letter_identifiers_keep_their_italic_form_in_the_cut_font(temml: Temml) -> None:
    """The browser draws a one-letter ``<mi>`` as the letter's Mathematical Italic
    code point (``x`` as U+1D465, ``h`` as U+210E): a cut to the letters themselves
    sent every variable on the site to a fallback font."""
    tex = "x + h \\cdot \\beta - \\partial W + \\mathrm{d}"
    kept = math_characters(temml.render(Formula(tex, False))[0])
    assert {"\U0001d465", "\u210e", "\U0001d6fd", "\U0001d715", "\U0001d44a"} <= kept
    assert "\U0001d451" not in kept, "an upright (mathvariant) letter stays upright"


@pytest.mark.parametrize(
    ("html", "named"),
    [
        ("<p>$\\frac{1}{2$</p>", "\\frac{1}{2"),  # braces unbalanced: never closed
        ("<p>$\\fraction{1}$</p>", "Unsupported function name: \\fraction"),
        ("<p>an opening \\( and nothing else</p>", "never closed"),
        ('<p><span class="arithmatex">\\(\\frac{1}{\\)</span></p>', "never closed"),
    ],
)
def test_a_formula_that_cannot_be_typeset_is_an_error(temml: Temml, html: str, named: str) -> None:
    _, errors = render_math(BeautifulSoup(html, "html.parser"), temml)
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
    assert "index.md: cannot typeset $\\sigmaa(z)$" in failed.stderr, failed.stderr[-2000:]
    assert "Unsupported function name: \\sigmaa" in failed.stderr
    home.write_text("# Home\n\nA formula: $\\sigma(z) = 1$.\n")
    built = build_site(project, tmp_path / "site", cache)
    assert built.returncode == 0, built.stderr[-2000:]
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<math><mrow><mi>σ</mi>" in page  # (its data-search-text fed the index)
    assert "temml.min.js" not in page
