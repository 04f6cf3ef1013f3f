"""Keep only the notebook stylesheet's rules that can apply to the tutorial pages.

nbconvert inlines all of JupyterLab's CSS (about 590 KB, 3200 rules) into every
notebook page; the tutorials use a small part of it. A rule is kept when one of its
selectors names only classes that occur in the pages' HTML, or that Material's scripts
add while the page runs (``md-*``, e.g. the ``md-typeset__scrollwrap`` it wraps tables
in, which mkdocs-jupyter's CSS styles). The test is conservative: a kept selector may
still match nothing, but a dropped one cannot match anything. ``@media`` blocks are filtered the
same way; other at-rules (keyframes, charset) are kept as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import tinycss2

CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][-_a-zA-Z0-9]*)")
NEGATION = re.compile(r":not\([^()]*\)")
RUNTIME_PREFIXES = ("md-",)  # classes Material's JavaScript adds to the page


def classes_in(html: str) -> set[str]:
    """Every class name used in an HTML document."""
    return {name for found in CLASS_ATTRIBUTE.finditer(html) for name in found[1].split()}


def _selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, current = [], 0, ""
    for char in prelude:
        depth += (char in "([") - (char in ")]")
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [part.strip() for part in [*parts, current] if part.strip()]


def _can_apply(selector: str, classes: set[str]) -> bool:
    # Classes inside :not(...) need not be present for the selector to match.
    return all(
        name in classes or name.startswith(RUNTIME_PREFIXES)
        for name in CLASS_SELECTOR.findall(NEGATION.sub("", selector))
    )


def _kept(rules: Iterable[Any], classes: set[str]) -> list[str]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [
                s for s in _selectors(tinycss2.serialize(rule.prelude)) if _can_apply(s, classes)
            ]
            if selectors:
                kept.append(f"{','.join(selectors)}{{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.at_keyword == "media" and rule.content:
            inner = tinycss2.parse_rule_list(
                rule.content, skip_whitespace=True, skip_comments=True
            )
            body = _kept(inner, classes)
            if body:
                kept.append(f"@media{tinycss2.serialize(rule.prelude)}{{{''.join(body)}}}")
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]))
    return kept


def used_css(css: str, classes: set[str]) -> str:
    """The rules of ``css`` that can apply to a page using ``classes``."""
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return "\n".join(_kept(rules, classes)) + "\n"
