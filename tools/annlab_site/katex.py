"""Math typeset at build time by the KaTeX this site serves, so no page runs a script
to typeset it.

The vendored ``katex.min.js`` (the one the pages loaded before) runs in V8 embedded in
Python (``mini-racer``): the page gets KaTeX's own HTML (what the reader sees) and
MathML (what a screen reader reads), exactly what its auto-render extension produced in
the browser, and the reader's browser only needs ``katex.min.css`` and its fonts.

Formulas are found as auto-render found them: in text outside ``pre``, ``code`` and the
other tags it skips, between ``$$…$$``, ``\\[…\\]``, ``\\(…\\)`` or ``$…$`` (the notebook
pages keep the dollars; ``pymdownx.arithmatex`` writes ``\\(…\\)`` and ``\\[…\\]`` in
Markdown pages). A formula KaTeX cannot parse is returned as an error naming it, and the
page shows KaTeX's red error text in its place.
"""

from __future__ import annotations

import json
import re
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

# Runs in the engine: one formula in, KaTeX's markup or its error message out.
RENDER = """(tex, display) => {
  const options = {displayMode: display, throwOnError: true};
  try {
    return JSON.stringify({html: katex.renderToString(tex, options)});
  } catch (error) {
    // What the browser showed: KaTeX's own error text in place of the formula.
    options.throwOnError = false;
    const html = katex.renderToString(tex, options);
    return JSON.stringify({error: String(error.message), html: html});
  }
}"""


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


class KaTeX:
    """``katex.min.js`` in an embedded V8, started on the first formula (0.7 s)."""

    def __init__(self, script: Path) -> None:
        self.script = script
        self._engine: Any = None  # the engine must outlive the function taken from it
        self._render: Any = None

    def render(self, formula: Formula) -> tuple[str, str | None]:
        """KaTeX's HTML+MathML for the formula, and its parse error (None if it parsed)."""
        if self._render is None:
            from py_mini_racer import MiniRacer

            self._engine = MiniRacer()
            self._engine.eval(self.script.read_text(encoding="utf-8"))
            self._render = self._engine.eval(RENDER)
        result = json.loads(self._render(formula.tex, formula.display))
        return str(result["html"]), result.get("error")


def _ignored(node: NavigableString) -> bool:
    for parent in node.parents:
        if parent.name in IGNORED_TAGS:
            return True
        if IGNORED_CLASSES.intersection(parent.get_attribute_list("class")):
            return True
    return False


def _markup(html: str, formula: Formula) -> list[Any]:
    fragment = BeautifulSoup(html, "html.parser")
    for typeset in fragment.select(".katex"):
        # The search index holds the formula as the page's source wrote it, not the
        # text of KaTeX's two copies (annlab_site/upstream.py reads this).
        typeset["data-search-text"] = f"${formula.tex}$"
    return list(fragment.contents)


def render_math(soup: BeautifulSoup | Tag, katex: KaTeX) -> tuple[int, list[str]]:
    """Typeset every formula in ``soup`` in place; how many, and the errors (each naming
    its formula): formulas KaTeX cannot parse, and formulas never closed (``UNCLOSED``
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
            html, error = katex.render(part)
            count += 1
            if error is not None:
                delimiter = "$$" if part.display else "$"
                errors.append(f"{delimiter}{part.tex}{delimiter}: {error}")
            replacement += _markup(html, part)
        node.replace_with(*replacement)
    return count, errors


# The page's link to KaTeX's stylesheet (mkdocs.yml's extra_css puts it on every page).
STYLESHEET = re.compile(r'<link\b[^>]*href="(?P<root>[^"]*)assets/katex/katex\.min\.css"[^>]*>')
CLASSES = re.compile(r'class="([^"]*)"')
# Which of KaTeX's fonts a formula's classes ask for (from katex.min.css); KaTeX_Main
# (the .katex font) is always used. A delimiter's size comes with "delimsizing".
FONTS = {
    "mathnormal": "Math-Italic",
    "boldsymbol": "Math-BoldItalic",
    "mathit": "Main-Italic",
    "textit": "Main-Italic",
    "mathbf": "Main-Bold",
    "textbf": "Main-Bold",
    "amsrm": "AMS-Regular",
    "mathbb": "AMS-Regular",
    "textbb": "AMS-Regular",
    "mathcal": "Caligraphic-Regular",
    "mathfrak": "Fraktur-Regular",
    "textfrak": "Fraktur-Regular",
    "mathscr": "Script-Regular",
    "textscr": "Script-Regular",
    "mathsf": "SansSerif-Regular",
    "textsf": "SansSerif-Regular",
    "mathtt": "Typewriter-Regular",
    "texttt": "Typewriter-Regular",
    "small-op": "Size1-Regular",
    "large-op": "Size2-Regular",
    "delim-size1": "Size1-Regular",
    "delim-size4": "Size4-Regular",
}


def fonts_used(html: str) -> list[str]:
    """KaTeX's fonts (file stems without ``KaTeX_``) that the formulas in ``html`` use."""
    used = {"Main-Regular"}
    for value in CLASSES.findall(html):
        names = set(value.split())
        used.update(FONTS[name] for name in names & FONTS.keys())
        if "delimsizing" in names:
            used.update(f"Size{n}-Regular" for n in "1234" if f"size{n}" in names)
    return sorted(used)


def link_stylesheet(page: str) -> str:
    """The built page with KaTeX's stylesheet only if it has math, and then with the
    fonts its formulas use preloaded.

    KaTeX's fonts block the text of a formula until they arrive (font-display: block),
    and the browser finds them only once the stylesheet is applied and the page laid
    out; preloaded, they arrive with the stylesheets and the formulas are drawn with
    the first paint of the text around them.
    """
    found = STYLESHEET.search(page)
    if found is None:
        return page
    if '<span class="katex">' not in page:
        return page[: found.start()] + page[found.end() :]
    fonts = f"{found['root']}assets/katex/fonts"
    preloads = "".join(
        f'<link rel="preload" href="{fonts}/KaTeX_{name}.woff2" as="font" '
        'type="font/woff2" crossorigin>'
        for name in fonts_used(page)
    )
    return page[: found.start()] + preloads + page[found.start() :]
