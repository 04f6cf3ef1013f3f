"""Tables wrapped at build time as Material's script wraps them, so the page does not
move when the script runs.

Material's script puts every ``table:not([class])`` in a scroll box
(``div.md-typeset__scrollwrap > div.md-typeset__table``). Before it runs a table is laid
out differently (squeezed into the column, a larger margin after it): the page was
drawn that way and then moved (layout shift on the API pages). Wrapped here, the page
is drawn as it will stay; the script wraps the table once more, and ``extra.css`` makes
that inner box add nothing.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag


def wrap_tables(soup: BeautifulSoup | Tag) -> int:
    """Wrap each table without a class in Material's scroll box; how many."""
    tables = [table for table in soup.find_all("table") if not table.get("class")]
    for table in tables:
        inner = table.wrap(soup.new_tag("div", attrs={"class": "md-typeset__table"}))
        inner.wrap(soup.new_tag("div", attrs={"class": "md-typeset__scrollwrap"}))
    return len(tables)
