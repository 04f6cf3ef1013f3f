"""Keep only the notebook stylesheet's rules that can apply to the tutorial pages.

nbconvert inlines all of JupyterLab's CSS (about 590 KB, 3200 rules) into every
notebook page; the tutorials use a small part of it. A rule is kept when one of its
selectors names only classes that occur in the pages' HTML, or that Material's scripts
add while the page runs (``md-*``, e.g. the ``md-typeset__scrollwrap`` it wraps tables
in, which mkdocs-jupyter's CSS styles). The test is conservative: a kept selector may
still match nothing, but a dropped one cannot match anything. ``@media`` blocks are filtered the
same way; other at-rules (keyframes, charset) are kept as they are. Selectors that put
the document's root (``:root``, ``html``, ``body``) inside another element match nothing
and go too (nbconvert scopes JupyterLab's ``:root`` under ``.jupyter-wrapper``).

Then the custom properties (``--jp-*``): JupyterLab declares about 560, its icons among
them as data URIs, and the kept rules read about 90. A declaration stays when a kept
rule, another stylesheet of the site or the pages' inline styles read it through
``var()``, directly or through another kept property (:func:`drop_unused_properties`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import tinycss2

CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][-_a-zA-Z0-9]*)")
NEGATION = re.compile(r":not\([^()]*\)")
# The root element inside another element: ".jupyter-wrapper :root", "... body".
ROOT_INSIDE = re.compile(r"\S\s*[\s>+~]\s*(?::root|html|body)(?![-\w])")
VAR_USE = re.compile(r"var\(\s*(--[-\w]+)")
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
    if ROOT_INSIDE.search(selector):
        return False
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


def used_css(css: str, classes: set[str], read_elsewhere: str = "") -> str:
    """The rules of ``css`` that can apply to a page using ``classes``, with only the
    custom properties they (or ``read_elsewhere``: other CSS, inline styles) read."""
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return drop_unused_properties("\n".join(_kept(rules, classes)) + "\n", read_elsewhere)


def _declaration_lists(rules: Iterable[Any]) -> Iterable[list[Any]]:
    """The declarations of every style rule, inside ``@media`` too."""
    for rule in rules:
        if rule.type == "qualified-rule":
            yield tinycss2.parse_declaration_list(rule.content)
        elif rule.type == "at-rule" and rule.at_keyword == "media" and rule.content:
            yield from _declaration_lists(tinycss2.parse_rule_list(rule.content))


def drop_unused_properties(css: str, read_elsewhere: str = "") -> str:
    """``css`` without the custom properties nothing reads.

    Read means named in a ``var()`` of an ordinary declaration of ``css``, of
    ``read_elsewhere``, or of a custom property that is itself read. A rule left with
    no declarations goes too.
    """
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    reads: dict[str, set[str]] = {}  # custom property -> the properties its values read
    needed = set(VAR_USE.findall(read_elsewhere))
    for declarations in _declaration_lists(rules):
        for item in declarations:
            if item.type != "declaration":
                continue
            used = set(VAR_USE.findall(tinycss2.serialize(item.value)))
            if item.name.startswith("--"):
                reads.setdefault(item.name, set()).update(used)
            else:
                needed |= used
    todo = list(needed)
    while todo:
        for name in reads.get(todo.pop(), ()):
            if name not in needed:
                needed.add(name)
                todo.append(name)
    return "\n".join(_without_unread(rules, needed)) + "\n"


def _without_unread(rules: Iterable[Any], needed: set[str]) -> list[str]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            declarations = [
                item
                for item in tinycss2.parse_declaration_list(rule.content)
                if item.type == "declaration"
                and (not item.name.startswith("--") or item.name in needed)
            ]
            if declarations:
                body = ";".join(
                    f"{item.name}:{tinycss2.serialize(item.value).strip()}"
                    + ("!important" if item.important else "")
                    for item in declarations
                )
                kept.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{body}}}")
        elif rule.type == "at-rule" and rule.at_keyword == "media" and rule.content:
            inner = _without_unread(tinycss2.parse_rule_list(rule.content), needed)
            if inner:
                kept.append(f"@media{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        else:
            kept.append(tinycss2.serialize([rule]))
    return kept
