"""MkDocs hooks that run the tutorial pages and turn them into pages we can publish.

- The pages are executed here, not by mkdocs-jupyter: ``page_run.py`` runs each in a
  fresh kernel under a fixed numeric profile (so every x86-64 machine with AVX2
  prints the same numbers), fills in the prose's ``{{ value }}`` placeholders from
  the page's own computation, and names a failing cell. A cold build runs the pages
  that are not cached at once, one kernel per core; mkdocs-jupyter's converter then
  renders each executed notebook (with its execution turned off).
- A tutorial cell that raises fails the build with the page, the cell number and
  the cell's first line in the message (mkdocs-jupyter only shows the traceback).
- Every figure gets the alt text written in its cell's metadata
  (``# %% alt="..."`` in the jupytext source); a figure without one fails the build.
- Figures of cells tagged ``keep-colours`` are marked so the dark scheme shows them as
  drawn (a colour map inverted would no longer match its colour bar or the text).
- Cells tagged ``wall-clock`` (they print timings, the one unseeded output) get a
  note saying so; the reproducibility and copy-paste tests mask their digits only.
- Names a page imports from ``annlab`` link, in its code, to their API entries
  (``api_links.py`` adds the other direction).
- Figures, inlined by nbconvert as base64, become files beside their page
  (``figure-N.png``): a third lighter, cached by browsers, and no longer re-parsed by
  the search plugin on every build.
- Cells tagged ``solution`` are folded into a "Solution" box; they still execute.
- Scripts that nbconvert's template would load from CDNs (MathJax, Mermaid) are
  removed: math is rendered by the KaTeX this site serves itself.
- The notebook stylesheet (about 0.6 MB) that nbconvert inlines into every page is
  written once to ``assets/stylesheets/notebook.css``, cut to the rules the pages can
  use (``css_purge.py``: about 0.14 MB), and linked from each tutorial.
- Each tutorial page is stamped with the versions and numeric profile it ran with and
  how long it took, and offers its source as a script (``.py``, placeholders as
  written) and a notebook (``.ipynb``, prose numbers filled in as on the page).
- Cell ids, random in jupytext's notebooks, are renumbered so two builds of the same
  commit give the same bytes; dates come from ``SOURCE_DATE_EPOCH`` (by default the
  time of the commit being built).
- A page's executed output is cached in ``.cache/pages/`` (or ``$ANNLAB_PAGE_CACHE``)
  under a key made of the page source, every ``annlab`` source file, the notebook
  converter's settings, the numeric profile and the versions of the packages that
  shape the output. So a page is re-executed exactly when something it runs against
  changed; deleting the folder is always safe. (mkdocs-jupyter's own cache keys on the
  page text only and is turned off in mkdocs.yml: it would publish stale figures after
  an ``annlab`` change.)
  The rewritten page, its table of contents and its notebook download are stored the
  same way, so a rebuild with nothing changed parses no tutorial; Jinja's templates
  are compiled once into a bytecode cache in the same folder.
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import jupytext
from bs4 import BeautifulSoup, NavigableString
from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from mkdocs_jupyter.convert import nb2html
from mkdocs_jupyter.plugin import _get_nb_toc_tokens

sys.path.insert(0, str(Path(__file__).parent))
import build_memo
import css_purge
import page_run
from annlab_names import api_url, imported_names

log = logging.getLogger("mkdocs.hooks.annlab")

ROOT = Path(__file__).resolve().parents[1]
REMOVED_TAGS = page_run.REMOVED_TAGS  # keep in step with mkdocs.yml's remove_cell_tags
VERSIONED = ("torch", "numpy", "matplotlib", "mkdocs-jupyter", "nbconvert", "nbclient")
NOTEBOOK_CSS = "assets/stylesheets/notebook.css"
DOWNLOADS = "downloads"  # the annlab wheel of the commit being built, for the pages' code
# Figures whose colours carry meaning (colour maps, colour bars) are not inverted in the
# dark scheme (extra.css): tag their cell with this.
KEEP_COLOURS_TAG = "keep-colours"
CACHE_FORMAT = "5"  # bump when what a cache entry holds changes
INLINE_IMAGE = re.compile(
    r"data:image/(?P<type>png|jpeg|svg\+xml);base64,(?P<data>[A-Za-z0-9+/=\s]+)"
)
IMAGE_SUFFIXES = {"png": "png", "jpeg": "jpg", "svg+xml": "svg"}

_stats = {"executed": 0, "reused": 0}
_notebook_css: dict[str, str] = {}
_failures: list[str] = []
_figures: dict[str, dict[str, str]] = {}  # page source -> {file name: base64 data}
_downloads: dict[str, str] = {}  # page source -> its notebook download (.ipynb text)
_page_classes: set[str] = set()  # every class the tutorial pages use (css_purge)
_runs: dict[str, concurrent.futures.Future[page_run.ExecutedPage]] = {}
_profile: list[page_run.NumericProfile] = []


def on_config(config: Any) -> Any:
    # Tutorial kernels inherit this process's environment. A test run's MPLBACKEND=Agg
    # would make plt.show() draw nothing on the site: force the notebook backend.
    # (page_run gives each page's kernel its backend, one thread and the numeric profile.)
    os.environ["MPLBACKEND"] = page_run.INLINE_BACKEND
    _profile[:] = [page_run.numeric_profile()]
    log.info("annlab: pages run under the numeric profile %s", _profile[0].describe())
    # Reproducible builds: the only date in the output (the gzip header of the sitemap)
    # comes from SOURCE_DATE_EPOCH; without one, use the time of the commit being built.
    if "SOURCE_DATE_EPOCH" not in os.environ:
        commit = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
        )
        if commit.returncode == 0 and commit.stdout.strip().isdigit():
            os.environ["SOURCE_DATE_EPOCH"] = commit.stdout.strip()
    return config


def _is_tutorial(page: Any) -> bool:
    return page.file.src_uri.startswith("tutorials/") and page.file.src_uri.endswith(".py")


def _code_cells(path: str) -> list[Any]:
    """The code cells of a tutorial that reach the HTML, in order."""
    notebook = jupytext.read(path)
    return [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code" and not REMOVED_TAGS & set(cell.metadata.get("tags", []))
    ]


def on_pre_build(config: Any) -> None:
    _stats.update(executed=0, reused=0)
    _notebook_css.clear()
    _failures.clear()
    _figures.clear()
    _downloads.clear()
    _runs.clear()
    _page_classes.clear()


def _cache_key(file: Any, config: Any) -> str:
    """Everything that can change a page's executed output, hashed."""
    converter = config["plugins"]["mkdocs-jupyter"].config
    return build_memo.digest(
        CACHE_FORMAT,
        Path(file.abs_src_path).read_bytes(),
        Path(page_run.__file__).read_bytes(),
        *build_memo.library_sources(),
        json.dumps(dict(converter), sort_keys=True, default=str),
        _profile[0].describe(),
        sys.version,
        *(f"{package}=={importlib.metadata.version(package)}" for package in VERSIONED),
    )


def _page_workers() -> int:
    """Kernels run at once in a cold build: one per core (``$ANNLAB_PAGE_WORKERS``)."""
    return int(os.environ.get("ANNLAB_PAGE_WORKERS", 0)) or os.cpu_count() or 1


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """Start every tutorial that has no cached output, one kernel per core.

    MkDocs renders pages one after another; each tutorial's render then only waits for
    its own run. The kernels are separate processes, so threads are enough here. Each
    runs on one thread under the same profile, so the output is the same bytes as a
    build that runs the pages one by one.
    """
    pending = [
        file for file in files.documentation_pages()
        if _is_tutorial_file(file) and build_memo.load("page", _cache_key(file, config)) is None
    ]  # fmt: skip
    if not pending:
        return nav
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=_page_workers())
    for file in pending:
        _runs[file.src_uri] = pool.submit(
            page_run.run_page, Path(file.abs_src_path), _profile[0]
        )
    pool.shutdown(wait=False)
    return nav


def _is_tutorial_file(file: Any) -> bool:
    return bool(file.src_uri.startswith("tutorials/") and file.src_uri.endswith(".py"))


def _notebook_html(notebook: Any, config: Any) -> str:
    """The executed notebook as mkdocs-jupyter renders it (with execution turned off)."""
    options = config["plugins"]["mkdocs-jupyter"].config
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.ipynb"
        path.write_text(json.dumps(notebook), encoding="utf-8")
        html = nb2html(
            str(path), execute=False, kernel_name=options["kernel_name"],
            theme=options["theme"], allow_errors=False, show_input=options["show_input"],
            no_input=options["no_input"], no_prompt=options["no_prompt"],
            remove_tag_config=options["remove_tag_config"],
            highlight_extra_classes=options["highlight_extra_classes"],
            include_requirejs=options["include_requirejs"],
            custom_mathjax_url=options["custom_mathjax_url"],
        )  # fmt: skip
    return _without_appended_styles(html)


# For an .ipynb (not a .py) nb2html appends the exporter's inlined CSS once more, as the
# repr of a Python list: drop that block. Checked by tests/test_hooks.py, so a change
# upstream fails loudly instead of doubling the notebook stylesheet.
APPENDED_STYLE = re.compile(
    r"\n {8}<style>\n {8}\[.*\]\n {8}</style>\n {8}\Z", re.DOTALL
)


def _without_appended_styles(html: str) -> str:
    trimmed, count = APPENDED_STYLE.subn("", html)
    if count != 1:
        raise PluginError("mkdocs-jupyter's nb2html no longer appends its styles as expected")
    return trimmed


def _download(path: str, executed: Any) -> str:
    """The page as a notebook to download: no outputs, the prose numbers filled in."""
    notebook = page_run.read_page(Path(path))
    prose = {cell.id: cell.source for cell in executed.cells if cell.cell_type == "markdown"}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = prose[cell.id]
    return jupytext.writes(notebook, fmt="ipynb") + "\n"  # as jupytext.write ends the file


def on_pre_page(page: Any, config: Any, files: Any) -> Any:
    if not _is_tutorial(page):
        return page
    toc_depth = config["plugins"]["mkdocs-jupyter"].config["toc_depth"]

    def render_cached_naming_the_cell(config: Any, files: Any) -> None:
        key = _cache_key(page.file, config)
        stored = build_memo.load("page", key)
        if stored is None:
            run = _runs.pop(page.file.src_uri, None)
            try:
                if run is not None:
                    executed = run.result()
                else:  # the page changed after on_nav (mkdocs serve)
                    executed = page_run.run_page(Path(page.file.abs_src_path), _profile[0])
            except page_run.PageError as error:
                # Keep going, so one build reports every failing page; on_env stops the
                # build before anything is written to the site directory.
                _failures.append(
                    f"Tutorial {page.file.src_uri} failed in {error.where}:\n{error.error}"
                )
                log.error("annlab: tutorial %s failed in %s", page.file.src_uri, error.where)
                page.content = ""
                page.toc = get_toc([])  # other plugins (autorefs) still read the page's TOC
                return
            _stats["executed"] += 1
            log.info("annlab: executed %s in %.1f s", page.file.src_uri, executed.seconds)
            toc_tokens, title = _get_nb_toc_tokens(page.file.abs_src_path, toc_depth)
            stored = {
                "content": _notebook_html(executed.notebook, config),
                "seconds": executed.seconds,
                "profile": executed.profile.describe(),
                "toc": toc_tokens,
                "title": title,
                "download": _download(page.file.abs_src_path, executed.notebook),
                "alts": page_run.alt_texts(executed.notebook),
            }
            build_memo.store("page", key, stored)
        else:
            _stats["reused"] += 1
            log.info("annlab: reused the cached output of %s", page.file.src_uri)
        page.content = stored["content"]
        page.meta["annlab_seconds"] = stored["seconds"]
        page.meta["annlab_profile"] = stored["profile"]
        # mkdocs-jupyter converts the notebook again only to find its headings: they
        # are stored with the output (4 of a no-change rebuild's 18 CPU seconds).
        page.toc = get_toc(stored["toc"])
        page.title = stored["title"] or page.title
        _downloads[page.file.src_uri] = stored["download"]
        page.meta["annlab_alts"] = stored["alts"]  # filled in, unlike the source's

    page.render = render_cached_naming_the_cell
    return page


def _remove_remote_scripts(soup: BeautifulSoup) -> None:
    for script in soup.find_all("script"):
        src = script.get("src")
        body = script.string or ""
        remote = (src or "").startswith(("http:", "https:", "//"))
        empty = src is not None and not src.strip()  # the template's MathJax slot
        if remote or empty or script.get("type") == "text/x-mathjax-config" or "cdnjs" in body:
            script.decompose()


def _name_copy_buttons(soup: BeautifulSoup) -> None:
    """mkdocs-jupyter's copy buttons carry an aria-label without a role (ignored by
    screen readers, an error for the W3C checker) and a stray ``,`` attribute."""
    for button in soup.find_all("clipboard-copy"):
        button.attrs.pop(",", None)
        button["role"] = "button"
        button["tabindex"] = "0"


def _outermost(soup: BeautifulSoup, selector: str) -> list[Any]:
    """Matches of ``selector`` not nested in another match (the template nests cell divs)."""
    matches = soup.select(selector)
    inside = {id(inner) for outer in matches for inner in outer.select(selector)}
    return [element for element in matches if id(element) not in inside]


def _share_notebook_css(soup: BeautifulSoup, page: Any) -> str:
    """Replace the inlined notebook styles by a link to one shared stylesheet; its hash."""
    styles = soup.find_all("style")
    css = "\n".join(style.get_text() for style in styles)
    for style in styles:
        style.decompose()
    key = hashlib.sha256(css.encode()).hexdigest()
    _notebook_css[key] = css
    depth = page.url.count("/")
    link = soup.new_tag("link", attrs={"rel": "stylesheet", "href": "../" * depth + NOTEBOOK_CSS})
    soup.insert(0, link)
    return key


def _toc_ids(items: Any) -> list[str]:
    ids: list[str] = []
    for item in items:
        ids.append(item.id)
        ids += _toc_ids(item.children)
    return ids


def _align_heading_ids(soup: BeautifulSoup, page: Any) -> None:
    """Give headings the ids the table of contents links to.

    mkdocs-jupyter builds the TOC with Markdown's slugs (code spans dropped) while
    nbconvert's heading ids keep them, so TOC links to headings holding `code` break.
    """
    headings = [h for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]) if h.get("id")]
    wanted = _toc_ids(page.toc.items)
    if len(wanted) != len(headings):
        raise PluginError(
            f"{page.file.src_uri}: {len(headings)} headings but {len(wanted)} TOC entries"
        )
    for heading, new_id in zip(headings, wanted, strict=True):
        old_id = heading["id"]
        heading["id"] = new_id
        for link in soup.select(f'a[href="#{old_id}"]'):
            link["href"] = f"#{new_id}"


def _number_cells(soup: BeautifulSoup) -> None:
    # "nb-" keeps them apart from mkdocs-jupyter's "cell-N" ids, which its copy buttons
    # point at: a duplicate id would make a button copy a whole cell with its output.
    for number, element in enumerate(soup.select('[id^="cell-id="]'), start=1):
        element["id"] = f"nb-cell-{number}"


def _stamp(soup: BeautifulSoup, page: Any) -> None:
    """Versions, run time and downloads, under the page title."""
    stem = Path(page.file.src_uri).stem
    seconds = page.meta.get("annlab_seconds", 0.0)
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}" for name in ("annlab", "torch", "numpy")
    )
    profile = page.meta.get("annlab_profile", "")
    wheel = get_relative_url(f"{DOWNLOADS}/{_wheel_name()}", page.url)
    stamp = BeautifulSoup(
        f'<p class="annlab-stamp" data-search-exclude>Executed with {versions}, '
        f'numeric profile {profile}, in '
        f'<span class="annlab-run-seconds">{seconds:.1f}</span>&nbsp;s. '
        f'Download: <a href="{stem}.ipynb" download>notebook (.ipynb)</a> · '
        f'<a href="{stem}.py" download>script (.py)</a>. They need this annlab: '
        f'<code class="annlab-install" data-wheel="{wheel}">pip install {wheel}</code> '
        f'(<a href="{wheel}" download>the wheel</a>)</p>',
        "html.parser",
    )
    title = soup.find("h1")
    if title is None:
        raise PluginError(f"{page.file.src_uri}: a tutorial starts with its '# Title' cell")
    title.insert_after(stamp)


def _add_alt_text(soup: BeautifulSoup, page: Any) -> None:
    html_cells = _outermost(soup, "div.jp-CodeCell")
    source_cells = _code_cells(page.file.abs_src_path)
    if len(html_cells) != len(source_cells):
        raise PluginError(
            f"{page.file.src_uri}: {len(html_cells)} code cells in the HTML but "
            f"{len(source_cells)} in the source; cannot match figures to their alt text"
        )
    alts = page.meta["annlab_alts"]
    pairs = zip(html_cells, source_cells, alts, strict=True)
    for number, (html_cell, source_cell, alt) in enumerate(pairs, start=1):
        images = html_cell.select(".jp-OutputArea img")
        if alt and not images:
            raise PluginError(
                f"{page.file.src_uri}: code cell {number} has alt text but drew no figure "
                "(is matplotlib's inline backend in use? did the cell call plt.show()?)"
            )
        if not images:
            continue
        if not alt:
            raise PluginError(
                f"{page.file.src_uri}: code cell {number} draws a figure but has no alt text; "
                'add alt="what the figure shows" to its "# %%" line'
            )
        alts = [alt] if isinstance(alt, str) else list(alt)
        if len(alts) != len(images):
            raise PluginError(
                f"{page.file.src_uri}: code cell {number} draws {len(images)} figures "
                f"but gives {len(alts)} alt texts"
            )
        keep = KEEP_COLOURS_TAG in source_cell.metadata.get("tags", [])
        for image, text in zip(images, alts, strict=True):
            image["alt"] = text
            if keep:
                image["class"] = [*image.get("class", []), "annlab-keep-colours"]


def _coalesce_streams(soup: BeautifulSoup) -> None:
    """Join a cell's consecutive printed outputs into one block.

    The kernel sends printed text in chunks whose split depends on timing, so the same
    prints can arrive as one output or as two: without this, two builds differ.
    """
    for area in soup.select(".jp-OutputArea"):
        previous = None
        for child in area.find_all("div", class_="jp-OutputArea-child", recursive=False):
            text = _printed_text(child)
            if text is not None and previous is not None:
                previous.string = previous.get_text() + text.get_text()
                gap = child.previous_sibling  # the line break the template put before it
                if isinstance(gap, NavigableString) and not gap.strip():
                    gap.extract()
                child.decompose()
                continue
            previous = text


def _printed_text(child: Any) -> Any:
    """The <pre> of an output that is printed text (not a displayed value), else None."""
    if "jp-OutputArea-executeResult" in child.get("class", []):
        return None
    outputs = child.find_all("div", class_="jp-OutputArea-output")
    if len(outputs) != 1 or outputs[0].get("data-mime-type") != "text/plain":
        return None
    return outputs[0].find("pre")


def _note_wall_clock(soup: BeautifulSoup) -> None:
    """Cells tagged ``wall-clock`` print timings: the one output that is not seeded.

    They get a note, and are left out of the search index (which must not change from
    one build to the next).
    """
    for wrapper in soup.select(".celltag_wall-clock .jp-Cell-outputWrapper"):
        wrapper["data-search-exclude"] = ""
    for cell in _outermost(soup, "div.jp-Cell.celltag_wall-clock"):
        note = BeautifulSoup(
            '<p class="annlab-wall-clock">Times measured on the machine that built this page; '
            "they change from run to run and machine to machine, their ratios much less.</p>",
            "html.parser",
        )
        cell.append(note)


def _link_code_to_api(soup: BeautifulSoup, page: Any) -> None:
    """Names the page imports from annlab link, in its code, to their API entries."""
    code = "\n".join(cell.source for cell in _code_cells(page.file.abs_src_path))
    names = imported_names(code)
    spans = soup.select(".jp-CodeCell .jp-InputArea .highlight-ipynb span.n, "
                        ".jp-CodeCell .jp-InputArea .highlight-ipynb span.nn")  # fmt: skip
    for span in spans:
        path = names.get(span.get_text())
        previous = span.find_previous_sibling()
        if path is None or (previous is not None and previous.get_text() == "."):
            continue  # not an annlab name, or an attribute that only shares its name
        href = get_relative_url(api_url(path), page.url)
        span.wrap(soup.new_tag("a", attrs={"href": href, "class": "annlab-api-link"}))


def _fold_solutions(soup: BeautifulSoup, page: Any) -> None:
    """Cells tagged ``solution`` fold into a "Solution" box; consecutive ones (the code,
    then the answer in words) share one box, so nothing outside gives the answer away."""
    # nbconvert marks tagged code cells with a class, but not markdown cells: mark them.
    html_cells = _outermost(soup, "div.jp-MarkdownCell")
    source_cells = [cell for cell in jupytext.read(page.file.abs_src_path).cells
                    if cell.cell_type == "markdown"]  # fmt: skip
    if len(html_cells) != len(source_cells):
        raise PluginError(f"{page.file.src_uri}: {len(html_cells)} markdown cells in the HTML "
                          f"but {len(source_cells)} in the source")  # fmt: skip
    for html_cell, source_cell in zip(html_cells, source_cells, strict=True):
        if "solution" in source_cell.metadata.get("tags", []):
            html_cell["class"] = [*html_cell.get("class", []), "celltag_solution"]
    for cell in _outermost(soup, "div.jp-Cell.celltag_solution"):
        previous = cell.find_previous_sibling()
        if previous is not None and previous.name == "details" and "solution" in previous.get(
            "class", []
        ):
            previous.append(cell.extract())
            continue
        details = soup.new_tag("details", attrs={"class": "success solution"})
        summary = soup.new_tag("summary")
        summary.string = "Solution"
        cell.wrap(details)
        details.insert(0, summary)


def on_env(env: Any, config: Any, files: Any) -> Any:
    if _failures:
        summary = "\n\n".join(_failures)
        raise PluginError(f"{len(_failures)} tutorial page(s) failed:\n\n{summary}")
    # Compiling the theme's and mkdocstrings' ~120 Jinja templates took 4 of a no-change
    # rebuild's 18 CPU seconds. Jinja's bytecode cache checks each template's source
    # checksum, so it is never stale; it shares the page cache's (ignored) folder.
    templates = FileSystemBytecodeCache(str(_make_dir(build_memo.cache_dir() / "jinja")))
    env.bytecode_cache = templates
    if "mkdocstrings" in config["plugins"]:
        handlers = config["plugins"]["mkdocstrings"].handlers
        handlers.get_handler("python").env.bytecode_cache = templates
    return env


def _make_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _rewrite_key(html: str, page: Any) -> str:
    """Everything the rewrite below reads: the page, its source, annlab, these hooks."""
    return build_memo.digest(
        CACHE_FORMAT,
        html,
        page.url,
        str(page.meta.get("annlab_seconds", 0.0)),
        str(page.meta.get("annlab_profile", "")),
        json.dumps(page.meta.get("annlab_alts")),
        Path(page.file.abs_src_path).read_bytes(),
        *(source.read_bytes() for source in sorted(Path(__file__).parent.glob("*.py"))),
        *build_memo.library_sources(),
        *(importlib.metadata.version(package) for package in ("annlab", "torch", "numpy")),
    )


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if not _is_tutorial(page) or not html:
        return html
    # Parsing a tutorial's 0.6 MB of HTML is most of a no-change rebuild: reuse the
    # rewritten page (and its notebook stylesheet) when nothing it depends on changed.
    key = _rewrite_key(html, page)
    entry = build_memo.load("rewritten", key)
    if entry is not None:
        css = (build_memo.cache_dir() / f"notebook-{entry['css']}.css").read_text("utf-8")
        _notebook_css[entry["css"]] = css
        _figures[page.file.src_uri] = entry["figures"]
        return str(entry["html"])
    rewritten, css_key, figures = _rewrite(html, page)
    _figures[page.file.src_uri] = figures
    css_file = _make_dir(build_memo.cache_dir()) / f"notebook-{css_key}.css"
    css_file.write_text(_notebook_css[css_key], "utf-8")  # the entry below refers to it
    build_memo.store("rewritten", key, {"html": rewritten, "css": css_key, "figures": figures})
    return rewritten


def _move_figures_to_files(soup: BeautifulSoup) -> dict[str, str]:
    """Point each inline (base64) figure at a file beside the page; return the files.

    nbconvert inlines figures as base64, a third more bytes than the image, all of which
    the search plugin and every later hook would parse again on each build. As files,
    the browser also loads them in parallel and caches them. Values stay base64 here
    (the cache entry is JSON); ``on_post_page`` writes the decoded bytes.
    """
    figures: dict[str, str] = {}
    for image in soup.select(".jp-OutputArea img"):
        found = INLINE_IMAGE.fullmatch(str(image.get("src", "")))
        if not found:
            continue
        name = f"figure-{len(figures) + 1}.{IMAGE_SUFFIXES[found['type']]}"
        figures[name] = found["data"]
        image["src"] = name
    return figures


def _rewrite(html: str, page: Any) -> tuple[str, str, dict[str, str]]:
    """The tutorial page as published, its notebook stylesheet's hash and its figures."""
    soup = BeautifulSoup(html, "html.parser")
    _remove_remote_scripts(soup)
    _name_copy_buttons(soup)
    css_key = _share_notebook_css(soup, page)
    _number_cells(soup)
    _coalesce_streams(soup)
    _align_heading_ids(soup, page)
    _add_alt_text(soup, page)
    _note_wall_clock(soup)
    _link_code_to_api(soup, page)
    _fold_solutions(soup, page)
    _stamp(soup, page)
    figures = _move_figures_to_files(soup)
    return str(soup), css_key, figures


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Write the page's figures, and its notebook beside its script (mkdocs-jupyter
    copies the .py)."""
    if _is_tutorial(page):
        folder = Path(page.file.abs_dest_path).parent
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in _figures.get(page.file.src_uri, {}).items():
            (folder / name).write_bytes(base64.b64decode(data))
        target = folder / f"{Path(page.file.src_uri).stem}.ipynb"
        target.write_text(_downloads[page.file.src_uri], encoding="utf-8")
        _page_classes.update(css_purge.classes_in(output))
    return output


def _wheel_name() -> str:
    version = importlib.metadata.version("annlab")
    return f"annlab-{version}-py3-none-any.whl"


def _write_wheel(site: Path) -> None:
    """The annlab wheel of the tree being built, served beside the pages that use it.

    Built once per change of annlab's sources or pyproject.toml (kept in the page
    cache); its dates come from SOURCE_DATE_EPOCH, so two builds give the same bytes.
    """
    key = build_memo.digest(
        *build_memo.library_sources(ROOT / "annlab"), (ROOT / "pyproject.toml").read_bytes(),
        os.environ.get("SOURCE_DATE_EPOCH", ""), importlib.metadata.version("setuptools"),
    )  # fmt: skip
    stored = build_memo.cache_dir() / f"wheel-{key}" / _wheel_name()
    if not stored.exists():
        with tempfile.TemporaryDirectory() as folder:
            built = subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                 "--no-build-isolation", "--wheel-dir", folder, str(ROOT)],
                capture_output=True, text=True,
            )  # fmt: skip
            wheel = Path(folder) / _wheel_name()
            if built.returncode != 0 or not wheel.exists():
                raise PluginError(f"could not build the annlab wheel:\n{built.stderr}")
            stored.parent.mkdir(parents=True, exist_ok=True)
            partial = stored.with_suffix(f".{os.getpid()}.partial")
            partial.write_bytes(wheel.read_bytes())
            partial.replace(stored)
    (site / DOWNLOADS).mkdir(parents=True, exist_ok=True)
    (site / DOWNLOADS / _wheel_name()).write_bytes(stored.read_bytes())


def on_post_build(config: Any) -> None:
    _write_wheel(Path(config["site_dir"]))
    if len(_notebook_css) > 1:
        raise PluginError("tutorial pages carry different notebook styles; expected one")
    site = Path(config["site_dir"])
    for css in _notebook_css.values():
        # Only the rules the pages can use: 590 KB of JupyterLab CSS was render-blocking
        # on every tutorial (Lighthouse). Memoised: the parse takes half a second.
        key = build_memo.digest(css, *sorted(_page_classes),
                                Path(css_purge.__file__).read_bytes())  # fmt: skip
        used = build_memo.load("notebook-css", key)
        if used is None:
            used = build_memo.store("notebook-css", key, css_purge.used_css(css, _page_classes))
        (site / NOTEBOOK_CSS).parent.mkdir(parents=True, exist_ok=True)
        (site / NOTEBOOK_CSS).write_text(used, encoding="utf-8")
    log.info(
        "annlab: tutorials executed: %d, reused from the cache: %d",
        _stats["executed"], _stats["reused"],
    )
