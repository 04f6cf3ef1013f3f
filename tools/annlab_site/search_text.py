"""What the search index reads of a page: its prose, its headings and its inline code.

Material's search plugin indexes the HTML of each page; the plugin hands it the page
as :func:`searchable` leaves it (``upstream.memoise_search``). A tutorial's rewrite
(``rewrite.rewrite``), which holds the page parsed already, prepares it with
:func:`prune` and keeps it in the memo under a hash of the page (:func:`keep`), so the
search step does not parse the page's megabyte again (:func:`stored`).
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from annlab_site.memo import Memo, digest

# What the search index leaves out: elements marked to be, the tutorials' code cells (code
# and printed output) and code blocks. See :func:`searchable`.
NOT_SEARCHED = "[data-search-exclude], .jp-CodeCell, pre"


def searchable(html: str) -> str:
    """The page as the search index should see it: its prose, headings and inline code.

    - Elements marked ``data-search-exclude``: Material's parser honours the mark on
      simple elements (the run stamp) but loses it on the output wrapper of a
      ``wall-clock`` cell, a few levels into nbconvert's nested divs, and indexed those
      timings, so the index differed from build to build.
    - Code cells, their printed output and code blocks: thousands of terms such as
      ``n_per_cluster=50))`` or ``(se_push,`` that nobody types into a search box, and
      that trip a bug in Lunr 2.3.9 (Material's search engine): its token set merges
      nodes whose edge labels and numeric ids read alike when concatenated (``"1" + "12"``
      and ``"11" + "2"``), so its prefix search can expand a query to a term the index
      does not hold and throws ("Invalid query" in the console, no result). A reader's
      "Multilayer n" failed that way. The names in the prose (inline code) stay
      searchable, and every API name has its own page and heading.
    - A typeset formula carries ``data-search-text``: its MathML's characters would
      read as garbled text, so it is indexed as that text (its TeX).
    """
    marks = ("data-search-exclude", "data-search-text", "jp-CodeCell", "<pre")
    if not any(mark in html for mark in marks):
        return html
    return prune(BeautifulSoup(html, "html.parser"))


def prune(soup: BeautifulSoup) -> str:
    """The page of ``soup`` as :func:`searchable` gives it (``soup`` is changed)."""
    for element in soup.select(NOT_SEARCHED):
        element.decompose()
    for element in soup.select("[data-search-text]"):
        element.replace_with(str(element["data-search-text"]))
    return str(soup)


def keep(memo: Memo, html: str, searchable_html: str) -> None:
    """Keep what the search index should read of the page ``html``."""
    memo.store("searchable", digest(html), searchable_html)


def stored(memo: Memo, html: str) -> str:
    """What the search index should read of ``html``: as kept, or made now."""
    kept = memo.load("searchable", digest(html))
    return searchable(html) if kept is None else str(kept)
