"""The math of the Markdown and API pages (and of every page's table of contents),
typeset at build time into MathML by Temml, with the pages' tables wrapped as Material's
script wraps them. A tutorial's own math is typeset with its render
(:mod:`annlab_site.tutorial_build`).

Under ``mkdocs serve`` a page whose HTML an edit did not change is typeset once for the
process (:meth:`annlab_site.memo.Memo.in_memory`); ``mkdocs build`` typesets every page.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from bs4 import BeautifulSoup

from annlab_site import mathml
from annlab_site.memo import Memo, digest
from annlab_site.tables import wrap_tables


class Typesetter:
    """Typesets pages' math with one Temml; each result keyed on the page's HTML and the
    Temml script itself."""

    def __init__(self, temml: mathml.Temml, memo: Memo) -> None:
        self.temml = temml
        self.memo = memo

    @cached_property
    def key(self) -> str:
        """The Temml script's digest: a new Temml typesets every page again."""
        return digest(self.temml.script.read_bytes())

    def page(self, html: str, *, tables: bool = False) -> tuple[str, list[str]]:
        """A Markdown or API page (or a title) with its math typeset, and its tables
        wrapped if asked, and the formulas Temml could not parse; not parsed when it
        has neither math nor tables."""
        has_tables = tables and "<table" in html
        if not mathml.MAYBE_MATH.search(html) and not has_tables:
            return html, []

        def typeset() -> tuple[str, list[str]]:
            soup = BeautifulSoup(html, "html.parser")
            count, errors = mathml.render_math(soup, self.temml)
            wrapped = wrap_tables(soup) if has_tables else 0
            return (str(soup) if count or wrapped else html), errors

        key = digest(html, str(has_tables), self.key)
        return self.memo.in_memory("typeset", key, typeset)

    def toc(self, items: Any) -> list[str]:
        """Math in headings, typeset in the table of contents too (the template prints
        each entry's title as HTML); the formulas Temml could not parse."""
        errors = []
        for item in items:
            item.title, found = self.page(item.title)
            errors += found + self.toc(item.children)
        return errors
