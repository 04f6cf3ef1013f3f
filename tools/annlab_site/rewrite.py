"""The passes that turn a rendered tutorial into the page we publish.

Each takes the page's parsed HTML and what it needs to know, nothing from MkDocs:

- scripts the template would load from CDNs (MathJax, Mermaid) are removed, and the
  math is written here as MathML, by the Temml this site keeps (``mathml``): the page
  runs no script to typeset it;
- mkdocs-jupyter's copy buttons get a role a screen reader announces;
- the notebook stylesheet nbconvert inlines into every page (about 0.6 MB) is replaced
  by a link to one shared file (cut to the rules the pages use by ``css_purge``);
- cell ids are renumbered and headings get the ids the table of contents links to;
- every figure gets the alt text written in its cell's metadata (``# %% alt="..."``);
  a figure without one fails the build; figures of cells tagged ``keep-colours`` are
  marked so the dark scheme shows them as drawn;
- every figure gets its width and height (the browser keeps its place before it
  arrives: no layout shift) and loads lazily (the figures below the first screen no
  longer compete with the stylesheets and fonts for a phone's bandwidth);
- cells tagged ``wall-clock`` (they print timings) get a note and leave the search index;
- names the page imports from ``annlab`` link to their API entries, in the code and
  in the prose's backquoted names;
- syntax-highlighting spans the stylesheets give no style of their own (names,
  whitespace: about a third of a tutorial's elements) are unwrapped to plain text, so
  the page looks the same with a smaller document to style and lay out;
- the build's cell tags are not shown as chips: they steer the build, a reader has no
  use for them;
- the page's header (a markdown cell tagged ``header``: the lecture, what the notes
  claim, what the reader will be able to do) is set off as a box;
- cells tagged ``solution`` fold into a "Solution" box, cells tagged ``checks`` (the
  asserts that pin the prose) into a "Checks" box, and cells tagged ``deeper`` into one
  fold per "Going deeper" section, its heading as the fold's visible title;
- tables are wrapped in Material's scroll box (``tables``);
- the page ends with a line naming the versions and numeric profile it ran with, how
  long it took, and its downloads.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import AttributeValueList
from mkdocs.exceptions import PluginError

from annlab_site import search_text
from annlab_site.css_purge import CLASS_SELECTOR
from annlab_site.mathml import Temml, render_math
from annlab_site.stamp import Stamp
from annlab_site.tables import wrap_tables

KEEP_COLOURS_TAG = "keep-colours"
NOTEBOOK_CSS = "assets/stylesheets/notebook.css"


@dataclass(frozen=True)
class RewriteInputs:
    """What the passes need to know about one executed tutorial page."""

    src_uri: str  # e.g. "tutorials/03_forward_pass.py", for error messages
    url: str  # the page's URL in the site, e.g. "tutorials/03_forward_pass/"
    code_cells: Sequence[Any]  # the code cells shown on the page (jupytext cells)
    markdown_cells: Sequence[Any]  # every markdown cell, in order
    alts: Sequence[Any]  # each shown code cell's alt text, filled in (or None)
    figure_sizes: dict[str, tuple[int, int]]  # figure file name -> (width, height) in px
    toc_ids: Sequence[str]  # the table of contents' anchors, in order
    stamp: Stamp  # the line that ends the page (versions, profile, downloads)
    api_links: dict[str, str]  # names the page imports from annlab -> API URL, relative
    prose_links: dict[str, str]  # those, and every documented ``annlab.…`` path -> API URL


@dataclass(frozen=True)
class Published:
    """A tutorial as published, the notebook stylesheet it links to, the formulas
    Temml could not parse (each named with its error), and what the search index reads."""

    html: str
    css: str
    math_errors: list[str]
    searchable: str  # what the search index reads of the page (search_text)


def rewrite(html: str, page: RewriteInputs, temml: Temml) -> Published:
    """The page as published."""
    soup = BeautifulSoup(html, "html.parser")
    remove_remote_scripts(soup)
    name_copy_buttons(soup)
    css = share_notebook_css(soup, page.url)
    number_cells(soup)
    align_heading_ids(soup, page)
    add_alt_text(soup, page)
    size_figures(soup, page)
    note_wall_clock(soup)
    link_code_to_api(soup, page.api_links)
    link_prose_to_api(soup, page.prose_links)
    unwrap_plain_tokens(soup, css)
    remove_tag_chips(soup)
    mark_markdown_tags(soup, page)
    mark_header(soup)
    fold_solutions(soup)
    fold_checks(soup)
    fold_deeper(soup)
    stamp(soup, page)
    wrap_tables(soup)
    _, math_errors = render_math(soup, temml)
    html = str(soup)
    return Published(html, css, math_errors, search_text.prune(soup))


def remove_remote_scripts(soup: BeautifulSoup) -> None:
    for script in soup.find_all("script"):
        src = script.get("src")
        body = script.string or ""
        remote = str(src or "").startswith(("http:", "https:", "//"))
        empty = src is not None and not str(src).strip()  # the template's MathJax slot
        if remote or empty or script.get("type") == "text/x-mathjax-config" or "cdnjs" in body:
            script.decompose()


def name_copy_buttons(soup: BeautifulSoup) -> None:
    """mkdocs-jupyter's copy buttons carry an aria-label without a role (ignored by
    screen readers, an error for the W3C checker) and a stray ``,`` attribute."""
    for button in soup.find_all("clipboard-copy"):
        button.attrs.pop(",", None)
        button["role"] = "button"
        button["tabindex"] = "0"


Step = tuple[str, tuple[str, ...]]  # a tag name ("" for any) and classes it must all have
STEP = re.compile(r"(?P<name>[a-z0-9]*)(?P<classes>(?:\.[-\w]+)*)")


def _steps(selector: str) -> list[Step]:
    steps = []
    for part in selector.split():
        found = STEP.fullmatch(part)
        if found is None:
            raise ValueError(f"select() takes tag.class chains, not {part!r}")
        steps.append((found["name"], tuple(found["classes"].split(".")[1:])))
    return steps


def _is(element: Tag, step: Step) -> bool:
    name, classes = step
    if name and element.name != name:
        return False
    have = element.get_attribute_list("class")
    return all(cls in have for cls in classes)


def _under(element: Tag, ancestors: list[Step]) -> bool:
    """Whether ``element`` has the ``ancestors`` steps above it, innermost last."""
    parent = element.parent
    for step in reversed(ancestors):
        while parent is not None and not _is(parent, step):
            parent = parent.parent
        if parent is None:
            return False
        parent = parent.parent
    return True


def select(root: Tag, selector: str) -> list[Tag]:
    """``root.select(selector)`` for the selectors these passes use: alternatives (``,``)
    of ``tag.class`` steps joined by descendant combinators, matched in document order.

    soupsieve's general matcher was most of the rewrite's time (a tutorial has some
    40,000 elements), and bs4's ``find_all`` by class took a third of what was left:
    this walks the tree once and checks each element's last step first.
    """
    chains = [_steps(alternative) for alternative in selector.split(",")]
    return [
        element
        for element in root.descendants
        if type(element) is Tag
        and any(_is(element, chain[-1]) and _under(element, chain[:-1]) for chain in chains)
    ]


def outermost(soup: BeautifulSoup, selector: str) -> list[Tag]:
    """Matches of ``selector`` not nested in another match (the template nests cell divs)."""
    matches = select(soup, selector)
    found = {id(element) for element in matches}
    return [m for m in matches if not any(id(parent) in found for parent in m.parents)]


def share_notebook_css(soup: BeautifulSoup, url: str) -> str:
    """Replace the inlined notebook styles by a link to one shared stylesheet; its CSS."""
    styles = soup.find_all("style")
    css = "\n".join(style.get_text() for style in styles)
    for style in styles:
        style.decompose()
    depth = url.count("/")
    link = soup.new_tag("link", attrs={"rel": "stylesheet", "href": "../" * depth + NOTEBOOK_CSS})
    soup.insert(0, link)
    return css


def css_key(css: str) -> str:
    return hashlib.sha256(css.encode()).hexdigest()


def align_heading_ids(soup: BeautifulSoup, page: RewriteInputs) -> None:
    """Give headings the ids the table of contents links to.

    mkdocs-jupyter builds the TOC with Markdown's slugs (code spans dropped) while
    nbconvert's heading ids keep them, so TOC links to headings holding `code` break.
    """
    headings = [h for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]) if h.get("id")]
    if len(page.toc_ids) != len(headings):
        raise PluginError(
            f"{page.src_uri}: {len(headings)} headings but {len(page.toc_ids)} TOC entries"
        )
    renames = []
    for heading, new_id in zip(headings, page.toc_ids, strict=True):
        renames.append((f"#{heading['id']}", f"#{new_id}"))
        heading["id"] = new_id
    # One pass over the links (a search of the page per heading took a second on
    # page 10); each heading's rename applies in turn, so a link renamed by one
    # heading is renamed again by a later heading whose old id it now names.
    for link in soup.find_all("a", href=True):
        href = link["href"]
        for old, new in renames:
            if href == old:
                href = new
        if href != link["href"]:
            link["href"] = href


def number_cells(soup: BeautifulSoup) -> None:
    # "nb-" keeps them apart from mkdocs-jupyter's "cell-N" ids, which its copy buttons
    # point at: a duplicate id would make a button copy a whole cell with its output.
    for number, element in enumerate(soup.find_all(id=re.compile("^cell-id=")), start=1):
        element["id"] = f"nb-cell-{number}"


def stamp(soup: BeautifulSoup, page: RewriteInputs) -> None:
    """Versions, run time and downloads, after the page's last cell: the build's
    record, out of the lesson's way."""
    if soup.find("h1") is None:
        raise PluginError(f"{page.src_uri}: a tutorial starts with its '# Title' cell")
    notebook = soup.select_one("div.jp-Notebook")
    if notebook is None:
        raise PluginError(f"{page.src_uri}: no notebook in the rendered page")
    notebook.append(BeautifulSoup(page.stamp.html(), "html.parser"))


def add_alt_text(soup: BeautifulSoup, page: RewriteInputs) -> None:
    html_cells = outermost(soup, "div.jp-CodeCell")
    if len(html_cells) != len(page.code_cells):
        raise PluginError(
            f"{page.src_uri}: {len(html_cells)} code cells in the HTML but "
            f"{len(page.code_cells)} in the source; cannot match figures to their alt text"
        )
    pairs = zip(html_cells, page.code_cells, page.alts, strict=True)
    for number, (html_cell, source_cell, alt) in enumerate(pairs, start=1):
        images = select(html_cell, ".jp-OutputArea img")
        if alt and not images:
            raise PluginError(
                f"{page.src_uri}: code cell {number} has alt text but drew no figure "
                "(is matplotlib's inline backend in use? did the cell call plt.show()?)"
            )
        if not images:
            continue
        if not alt:
            raise PluginError(
                f"{page.src_uri}: code cell {number} draws a figure but has no alt text; "
                'add alt="what the figure shows" to its "# %%" line'
            )
        alts = [alt] if isinstance(alt, str) else list(alt)
        if len(alts) != len(images):
            raise PluginError(
                f"{page.src_uri}: code cell {number} draws {len(images)} figures "
                f"but gives {len(alts)} alt texts"
            )
        keep = KEEP_COLOURS_TAG in source_cell.metadata.get("tags", [])
        for image, text in zip(images, alts, strict=True):
            image["alt"] = text
            if keep:
                image["class"] = AttributeValueList(
                    [*image.get_attribute_list("class"), "annlab-keep-colours"]
                )


def size_figures(soup: BeautifulSoup, page: RewriteInputs) -> None:
    for image in select(soup, ".jp-OutputArea img"):
        size = page.figure_sizes.get(str(image.get("src", "")))
        if size is None:
            raise PluginError(f"{page.src_uri}: no file for the figure {image.get('src')!r}")
        image["width"], image["height"] = str(size[0]), str(size[1])
        image["loading"] = "lazy"
        image["decoding"] = "async"


def note_wall_clock(soup: BeautifulSoup) -> None:
    """Cells tagged ``wall-clock`` print timings: the one output that is not seeded.

    They get a note, and are left out of the search index (which must not change from
    one build to the next).
    """
    for wrapper in select(soup, ".celltag_wall-clock .jp-Cell-outputWrapper"):
        wrapper["data-search-exclude"] = ""
    for cell in outermost(soup, "div.jp-Cell.celltag_wall-clock"):
        note = BeautifulSoup(
            '<p class="annlab-wall-clock">Times measured on the machine that built this page; '
            "they change from run to run and machine to machine, their ratios much less.</p>",
            "html.parser",
        )
        cell.append(note)


def _wrap_in_link(soup: BeautifulSoup, element: Tag, href: str) -> None:
    element.wrap(soup.new_tag("a", attrs={"href": href, "class": "annlab-api-link"}))


def link_code_to_api(soup: BeautifulSoup, links: dict[str, str]) -> None:
    """Names the page imports from annlab link, in its code, to their API entries."""
    spans = select(
        soup,
        ".jp-CodeCell .jp-InputArea .highlight-ipynb span.n, "
        ".jp-CodeCell .jp-InputArea .highlight-ipynb span.nn",
    )
    for span in spans:
        href = links.get(span.get_text())
        previous = span.find_previous_sibling()
        if href is None or (previous is not None and previous.get_text() == "."):
            continue  # not an annlab name, or an attribute that only shares its name
        _wrap_in_link(soup, span, href)


CODE_SPAN = ".jp-InputArea .highlight-ipynb pre span"


def unwrap_plain_tokens(soup: BeautifulSoup, css: str) -> None:
    """Unwrap the code's token spans whose class no rule of the notebook stylesheet
    names (Material's ``.highlight`` rules do not reach ``.highlight-ipynb``): they
    take the code's own colour, as their text will. Pygments' empty leading span goes
    too. Runs after ``link_code_to_api``, which finds names by their span."""
    styled = set(CLASS_SELECTOR.findall(css))
    for span in select(soup, CODE_SPAN):
        classes = span.get_attribute_list("class")
        if not (styled & set(classes)) and not span.attrs.keys() - {"class"}:
            span.unwrap()


PROSE_NAME = re.compile(r"(?P<name>[A-Za-z_][\w.]*)(?:\(\))?")


def link_prose_to_api(soup: BeautifulSoup, links: dict[str, str]) -> None:
    """Backquoted names in the prose link to their API entries, as names in code do.

    A code span links when its text is a name the page's code imports from annlab, or a
    dotted path ``annlab.…`` of a documented object (``links`` holds both), with or
    without a trailing ``()``. Spans already inside a link keep that link (the
    hand-typed links of the pages as they were written), and headings stay plain.
    """
    for code in select(soup, ".jp-MarkdownCell code"):
        if code.find_parent(["a", "pre", "h1", "h2", "h3", "h4", "h5", "h6"]) is not None:
            continue
        found = PROSE_NAME.fullmatch(code.get_text())
        href = links.get(found["name"]) if found else None
        if href is not None:
            _wrap_in_link(soup, code, href)


def remove_tag_chips(soup: BeautifulSoup) -> None:
    """nbconvert shows each cell's tags as chips above it; they steer the build only."""
    for chips in select(soup, ".tags_button_container"):
        chips.decompose()


def mark_markdown_tags(soup: BeautifulSoup, page: RewriteInputs) -> None:
    """nbconvert marks tagged code cells with a ``celltag_<tag>`` class, but not
    markdown cells: mark them the same way, so every fold below finds both kinds."""
    html_cells = outermost(soup, "div.jp-MarkdownCell")
    if len(html_cells) != len(page.markdown_cells):
        raise PluginError(
            f"{page.src_uri}: {len(html_cells)} markdown cells in the HTML "
            f"but {len(page.markdown_cells)} in the source"
        )
    for html_cell, source_cell in zip(html_cells, page.markdown_cells, strict=True):
        tags = [f"celltag_{tag}" for tag in source_cell.metadata.get("tags", [])]
        if tags:
            html_cell["class"] = AttributeValueList(
                [*html_cell.get_attribute_list("class"), *tags]
            )


def mark_header(soup: BeautifulSoup) -> None:
    """The header (cell tagged ``header``) and figure captions (markdown cells tagged
    ``caption``, right after their figure's cell) get the classes that style them."""
    for tag, name in (("header", "annlab-header"), ("caption", "annlab-caption")):
        for cell in outermost(soup, f"div.jp-Cell.celltag_{tag}"):
            cell["class"] = AttributeValueList([*cell.get_attribute_list("class"), name])


def _has_class(element: object, name: str) -> bool:
    return isinstance(element, Tag) and name in element.get_attribute_list("class")


def _fold_tagged(soup: BeautifulSoup, tag: str, title: str, classes: str) -> None:
    """Wrap each run of consecutive cells tagged ``tag`` in one titled fold."""
    marker = classes.split()[-1]
    for cell in outermost(soup, f"div.jp-Cell.celltag_{tag}"):
        previous = cell.find_previous_sibling()
        if previous is not None and previous.name == "details" and _has_class(previous, marker):
            previous.append(cell.extract())
            continue
        details = soup.new_tag("details", attrs={"class": classes})
        summary = soup.new_tag("summary")
        summary.string = title
        cell.wrap(details)
        details.insert(0, summary)


def fold_solutions(soup: BeautifulSoup) -> None:
    """Cells tagged ``solution`` fold into a "Solution" box; consecutive ones (the code,
    then the answer in words) share one box, so nothing outside gives the answer away."""
    _fold_tagged(soup, "solution", "Solution", "success solution")


def fold_checks(soup: BeautifulSoup) -> None:
    """Cells tagged ``checks`` hold the asserts that pin the page's sentences to its
    numbers: they run at every build, and a reader opens them on demand."""
    _fold_tagged(soup, "checks", "Checks", "quote annlab-checks")


def _starts_with_heading(cell: Tag) -> Tag | None:
    if "jp-MarkdownCell" not in cell.get_attribute_list("class"):
        return None
    first = cell.select_one(".jp-RenderedMarkdown > *")
    return first if first is not None and first.name in {"h2", "h3", "h4"} else None


def fold_deeper(soup: BeautifulSoup) -> None:
    """Cells tagged ``deeper`` fold into one box per "Going deeper" section.

    A section starts at a tagged markdown cell that opens with a heading, and runs over
    the tagged cells that follow it (a folded "Checks" box among them). The heading
    becomes the fold's title, so it stays visible, and the table of contents still
    links to it.
    """
    seen: set[int] = set()
    for cell in outermost(soup, "div.jp-Cell.celltag_deeper"):
        parent = cell.parent
        item = parent if parent is not None and _has_class(parent, "annlab-checks") else cell
        if id(item) in seen:
            continue  # a checks box of several cells moves as one
        seen.add(id(item))
        heading = _starts_with_heading(cell)
        previous = item.find_previous_sibling()
        if heading is None and previous is not None and _has_class(previous, "annlab-deeper"):
            previous.append(item.extract())
            continue
        details = soup.new_tag("details", attrs={"class": "note annlab-deeper"})
        summary = soup.new_tag("summary")
        if heading is not None:
            summary.append(heading.extract())
        else:
            summary.string = "Going deeper"
        item.wrap(details)
        details.insert(0, summary)
