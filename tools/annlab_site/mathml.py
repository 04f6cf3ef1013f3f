"""Math written as MathML at build time by the Temml this site keeps, so no page runs a
script to typeset it and the reader's browser draws it with one small font.

The vendored ``temml.min.js`` (a KaTeX descendant that writes MathML Core, the MathML
every current browser draws) runs in V8 embedded in Python (``mini-racer``). Each
formula becomes one ``<math>`` element: the same markup a screen reader reads and the
browser lays out, where KaTeX gave two copies (HTML for the eye, MathML for the ear) and
about 40 elements per formula. The browser needs only ``math.css`` and STIX Two Math,
which the build cuts to the characters the formulas use (:func:`subset_font`, about
20 KB instead of 400 KB).

Formulas are found as KaTeX's auto-render found them when it ran in the browser: in text
outside ``pre``, ``code`` and the other tags it skips, between ``$$…$$``, ``\\[…\\]``,
``\\(…\\)`` or ``$…$`` (the notebook pages keep the dollars; ``pymdownx.arithmatex``
writes ``\\(…\\)`` and ``\\[…\\]`` in Markdown pages). A formula Temml cannot parse is
returned as an error naming it, and the page shows Temml's red error text in its place.
"""

from __future__ import annotations

import html as html_text
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

# auto-render's delimiters as the site configured them, in its order of preference.
DELIMITERS = (("$$", "$$", True), ("\\[", "\\]", True), ("\\(", "\\)", False), ("$", "$", False))
LEFT = re.compile("|".join(re.escape(left) for left, _, _ in DELIMITERS))
# Where auto-render does not look: its ignoredTags, and the classes the site ignored.
IGNORED_TAGS = {"script", "noscript", "style", "textarea", "pre", "code", "option"}
IGNORED_CLASSES = {"highlight", "jp-OutputArea-output"}
# Cheap test before parsing a page: does any delimiter occur at all?
MAYBE_MATH = re.compile(r"\$|\\\(|\\\[")
# Left in text after the split, these open a formula that was never closed: $$, \(, \[,
# or a $ followed by TeX (a backslash, a brace, ^ or _); "costs $5" is a dollar.
UNCLOSED = re.compile(r"\$\$|\\\(|\\\[|\$[^$]*[\\{}^_]")

# Runs in the engine: one formula in, Temml's MathML or its error message out.
RENDER = """(tex, display) => {
  const options = {displayMode: display, throwOnError: true};
  try {
    return JSON.stringify({html: temml.renderToString(tex, options)});
  } catch (error) {
    // Temml's own red error text in place of the formula.
    options.throwOnError = false;
    const html = temml.renderToString(tex, options);
    return JSON.stringify({error: String(error.message), html: html});
  }
}"""
# A display formula's box, a span (formulas sit inside paragraphs): it scrolls sideways
# when wider than the column (extra.css; a11y.js makes it reachable by keyboard then).
DISPLAY_CLASS = "annlab-display-math"


@dataclass(frozen=True)
class Formula:
    """A formula found in text: its TeX without the delimiters, and how it is set."""

    tex: str
    display: bool


def _end_of_math(right: str, text: str, start: int) -> int:
    """Where ``right`` closes the formula opened before ``start`` (-1: never), skipping
    escaped characters and anything inside braces, as auto-render does."""
    index, depth = start, 0
    while index < len(text):
        if depth <= 0 and text.startswith(right, index):
            return index
        character = text[index]
        if character == "\\":
            index += 1
        elif character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
        index += 1
    return -1


def split_math(text: str) -> list[str | Formula]:
    """``text`` as plain strings and formulas, split as KaTeX's auto-render splits it
    (an opening delimiter that is never closed stays text)."""
    parts: list[str | Formula] = []
    while (found := LEFT.search(text)) is not None:
        if found.start() > 0:
            parts.append(text[: found.start()])
            text = text[found.start() :]
        left, right, display = next(d for d in DELIMITERS if text.startswith(d[0]))
        end = _end_of_math(right, text, len(left))
        if end == -1:
            break
        parts.append(Formula(text[len(left) : end], display))
        text = text[end + len(right) :]
    if text:
        parts.append(text)
    return parts


class Temml:
    """``temml.min.js`` in an embedded V8, started on the first formula (0.2 s); each
    formula typeset once (a page repeats many, and under serve the plugin keeps this
    object from build to build while the script is the same: :meth:`runs`)."""

    def __init__(self, script: Path) -> None:
        self.script = script
        self.source = script.read_bytes() if script.is_file() else b""
        self._engine: Any = None  # the engine must outlive the function taken from it
        self._render: Any = None
        self._typeset: dict[Formula, tuple[str, str | None]] = {}

    def runs(self, script: Path) -> bool:
        """Whether this is the Temml of ``script`` as it is now."""
        return script == self.script and script.read_bytes() == self.source

    def render(self, formula: Formula) -> tuple[str, str | None]:
        """Temml's MathML for the formula, and its parse error (None if it parsed)."""
        if formula in self._typeset:
            return self._typeset[formula]
        if self._render is None:
            from py_mini_racer import MiniRacer

            self._engine = MiniRacer()
            self._engine.eval(self.source.decode("utf-8"))
            self._render = self._engine.eval(RENDER)
        result = json.loads(self._render(formula.tex, formula.display))
        typeset = self._typeset[formula] = (str(result["html"]), result.get("error"))
        return typeset


def _ignored(node: NavigableString) -> bool:
    for parent in node.parents:
        if parent.name in IGNORED_TAGS:
            return True
        if IGNORED_CLASSES.intersection(parent.get_attribute_list("class")):
            return True
    return False


def _markup(html: str, formula: Formula) -> list[Any]:
    fragment = BeautifulSoup(html, "html.parser")
    for typeset in fragment.select("math"):
        # The search index holds the formula as the page's source wrote it, not the
        # characters of its MathML (annlab_site/upstream.py reads this).
        typeset["data-search-text"] = f"${formula.tex}$"
        if formula.display:
            typeset.wrap(fragment.new_tag("span", attrs={"class": DISPLAY_CLASS}))
    return list(fragment.contents)


def render_math(soup: BeautifulSoup | Tag, temml: Temml) -> tuple[int, list[str]]:
    """Typeset every formula in ``soup`` in place; how many, and the errors (each naming
    its formula): formulas Temml cannot parse, and formulas never closed (``UNCLOSED``
    left in the text, or any delimiter left in what ``pymdownx.arithmatex`` marked as
    math)."""
    count, errors = 0, []
    # A copy of the list: the loop replaces the nodes it visits.
    for node in list(soup.find_all(string=MAYBE_MATH)):
        if type(node) is not NavigableString or _ignored(node):
            continue  # comments, CDATA and the like are not text a reader sees
        parts = split_math(str(node))
        marked = node.find_parent(class_="arithmatex") is not None
        for part in parts:
            if isinstance(part, str) and (UNCLOSED.search(part) or (marked and "$" in part)):
                errors.append(f"a formula that is never closed: {part.strip()[:80]!r}")
        if not any(isinstance(part, Formula) for part in parts):
            continue
        replacement: list[Any] = []
        for part in parts:
            if isinstance(part, str):
                replacement.append(NavigableString(part))
                continue
            html, error = temml.render(part)
            count += 1
            if error is not None:
                delimiter = "$$" if part.display else "$"
                errors.append(f"{delimiter}{part.tex}{delimiter}: {error}")
            replacement += _markup(html, part)
        node.replace_with(*replacement)
    return count, errors


# The page's link to the math stylesheet (mkdocs.yml's extra_css puts it on every page).
STYLESHEET = re.compile(r'<link\b[^>]*href="(?P<root>[^"]*)assets/temml/math\.css"[^>]*>')
FONT = "STIXTwoMath.woff2"  # beside math.css in the site, cut to what the pages use
MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.DOTALL)
TAG = re.compile(r"<[^>]*>")


def link_stylesheet(page: str) -> str:
    """The built page with the math stylesheet only if it has math, and then with the
    math font preloaded.

    The browser would find the font only once the stylesheet is applied and the page
    laid out; preloaded, it arrives with the stylesheets, and the formulas are drawn in
    it with the first paint (math.css: font-display optional, so a font that comes too
    late is not used for that view, and nothing moves).
    """
    found = STYLESHEET.search(page)
    if found is None:
        return page
    if "<math" not in page:
        return page[: found.start()] + page[found.end() :]
    preload = (
        f'<link rel="preload" href="{found["root"]}assets/temml/{FONT}" as="font" '
        'type="font/woff2" crossorigin>'
    )
    return page[: found.start()] + preload + page[found.start() :]


# Glyphs the browser draws for an element that holds no character of its own: a
# square root's radical sign (without it in the font, Chromium draws no root at all).
DRAWN_BY_ELEMENT = {"<msqrt": "√", "<mroot": "√"}


# A one-character <mi> without a mathvariant is drawn in italic by mapping its letter to
# the Mathematical Italic block (MathML Core's text-transform: math-auto): "x" is drawn
# as U+1D465. Those are the code points the font must keep.
SINGLE_IDENTIFIER = re.compile(r"<mi(?![^>]*mathvariant)[^>]*>([^<]+)</mi>")
# Letters math-auto maps outside the block's pattern (the block's own slot is empty).
ITALIC_EXCEPTIONS = {"h": "\u210e"}  # PLANCK CONSTANT


def math_italic(character: str) -> str | None:
    """The Mathematical Italic form Chromium draws a single-letter ``<mi>`` with, or
    None when it keeps the character as it is (digits, symbols without such a form)."""
    if character in ITALIC_EXCEPTIONS:
        return ITALIC_EXCEPTIONS[character]
    try:
        name = unicodedata.name(character)
    except ValueError:
        return None
    for prefix, size in (
        ("LATIN SMALL LETTER ", "SMALL "),
        ("LATIN CAPITAL LETTER ", "CAPITAL "),
        ("GREEK SMALL LETTER ", "SMALL "),
        ("GREEK CAPITAL LETTER ", "CAPITAL "),
    ):
        if name.startswith(prefix):
            name = size + name.removeprefix(prefix)
            break
    else:
        name = {
            "PARTIAL DIFFERENTIAL": "PARTIAL DIFFERENTIAL",
            "NABLA": "NABLA",
            "GREEK LUNATE EPSILON SYMBOL": "EPSILON SYMBOL",
            "GREEK PHI SYMBOL": "PHI SYMBOL",
            "GREEK THETA SYMBOL": "THETA SYMBOL",
            "GREEK RHO SYMBOL": "RHO SYMBOL",
            "GREEK PI SYMBOL": "PI SYMBOL",
            "GREEK KAPPA SYMBOL": "KAPPA SYMBOL",
        }.get(name, "")
        if not name:
            return None
    try:
        return unicodedata.lookup("MATHEMATICAL ITALIC " + name)
    except KeyError:
        return None


def math_characters(page: str) -> set[str]:
    """The characters inside the ``<math>`` elements of a built page, the glyphs their
    elements draw (``DRAWN_BY_ELEMENT``), and the italic forms of one-letter
    identifiers (``math_italic``)."""
    characters = set()
    for element in MATH_ELEMENT.findall(page):
        characters |= set(html_text.unescape(TAG.sub("", element)))
        characters |= {glyph for tag, glyph in DRAWN_BY_ELEMENT.items() if tag in element}
        for identifier in SINGLE_IDENTIFIER.findall(element):
            letter = html_text.unescape(identifier)
            italic = math_italic(letter) if len(letter) == 1 else None
            if italic:
                characters.add(italic)
    return characters


def subset_font(font: bytes, characters: Iterable[str]) -> bytes:
    """``font`` (WOFF2) cut to ``characters``, keeping its MATH table and, through it,
    each kept glyph's larger and stretched forms (a big sum, tall brackets), as WOFF2.

    The same input gives the same bytes: the font keeps its own dates (fontTools would
    stamp the time of the cut).
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # keep every OpenType feature (ssty, dtls, ...)
    options.name_IDs = ["*"]  # keep the copyright and licence records
    parsed = TTFont(io.BytesIO(font), recalcTimestamp=False)  # keep the font's own date
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(character) for character in characters}))
    subsetter.subset(parsed)
    out = io.BytesIO()
    parsed.flavor = "woff2"
    parsed.save(out)
    return out.getvalue()
