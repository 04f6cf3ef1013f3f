"""One tutorial page carried through a build: :class:`TutorialBuild`.

MkDocs hands the plugin a page at several events; each event calls one method of the
page's ``TutorialBuild``, which holds everything the page's build has found so far:

1. ``start``: (on_nav) its run started in a kernel, unless the cache holds its output
   or a run of the same code (a prose-only edit);
2. ``render``: (MkDocs' ``page.render``) its executed notebook as HTML, its table of
   contents and title: from the cache, from an earlier run under new prose, or from
   the run;
3. ``publish``: (on_page_content) the rendered HTML through ``rewrite``'s passes, with
   its stamp, figure sizes and API links;
4. ``write_files``: (on_post_page) its figures and notebook download beside the page.

Its source is read once, its cache and run keys computed once. What every page of a
build shares (the cache, the profile, annlab's sources, the converter's settings) is
one :class:`SiteContext`, made by the plugin once per build.
"""

from __future__ import annotations

import base64
import concurrent.futures
import copy
import functools
import importlib.metadata
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from annlab_site import mathml, notebook, page_run, pdf, rewrite, search_text
from annlab_site.annlab_names import api_links
from annlab_site.memo import Memo, digest
from annlab_site.stamp import DOWNLOADS, Stamp, installed_versions, wheel_name

log = logging.getLogger("mkdocs.plugins.annlab")

CACHE_FORMAT = "7"  # bump when what a cache entry holds changes (7: print figures)
VERSIONED = ("torch", "numpy", "matplotlib", "mkdocs-jupyter", "nbconvert", "nbclient")
HERE = Path(__file__).resolve().parent


@dataclass
class SiteContext:
    """What every tutorial of one build shares; made once per build."""

    memo: Memo
    profile: page_run.NumericProfile
    library: Path  # annlab's source folder
    library_sources: list[bytes]  # its files, hashed into the keys (read once per build)
    converter: dict[str, Any]  # mkdocs-jupyter's settings
    removed_tags: frozenset[str]  # cells run but not shown (mkdocs-jupyter's remove_cell_tags)
    temml: mathml.Temml
    api_dir: str
    documented: set[str]  # every documented annlab.… path
    # A tutorial's run key by its cache key, which hashes all the run key does (and
    # more): under mkdocs serve, kept from build to build, so that a page that did not
    # change is not parsed again to find it.
    run_keys: dict[str, str] = field(default_factory=dict)
    executed: int = 0
    reused: int = 0
    failures: list[str] = field(default_factory=list)

    @functools.cached_property
    def environment(self) -> list[str]:
        """The profile, Python and the versions of the packages that shape a run."""
        return [
            self.profile.describe(),
            sys.version,
            *(f"{package}=={importlib.metadata.version(package)}" for package in VERSIONED),
        ]

    @functools.cached_property
    def run_inputs(self) -> list[str | bytes]:
        """What every page's run depends on besides its code (hashed into its run key)."""
        return [
            (HERE / "page_run.py").read_bytes(),
            (HERE / "print_figures.py").read_bytes(),  # loaded into the page's kernel
            *self.library_sources,
            *self.environment,
        ]

    @functools.cached_property
    def output_salt(self) -> str:
        """What every page's executed output depends on besides its source."""
        return digest(
            CACHE_FORMAT,
            *self.run_inputs,
            (HERE / "notebook.py").read_bytes(),
            json.dumps(self.converter, sort_keys=True, default=str),
        )

    @functools.cached_property
    def rewrite_salt(self) -> str:
        """What every page's rewrite depends on besides the page: this plugin, annlab
        (the API links), Temml and the V8 it runs in."""
        return digest(
            CACHE_FORMAT,
            json.dumps(sorted(self.removed_tags)),
            *(source.read_bytes() for source in sorted(HERE.glob("*.py"))),
            *self.library_sources,
            self.temml.script.read_bytes(),
            importlib.metadata.version("mini-racer"),
        )


class TutorialBuild:
    """One tutorial page, from its source to its published HTML and files."""

    def __init__(self, file: File, site: SiteContext) -> None:
        self.src_uri = file.src_uri
        self.path = Path(file.abs_src_path or "")
        self.site = site
        self.page: Page | None = None  # set by the plugin when MkDocs reaches the page
        self.run: concurrent.futures.Future[page_run.ExecutedPage] | None = None
        self.output: dict[str, Any] | None = None  # the executed page, as the cache holds it

    # -- its source and keys, read and computed once --------------------------------

    @functools.cached_property
    def source(self) -> bytes:
        return self.path.read_bytes()

    @functools.cached_property
    def notebook(self) -> Any:
        """The source as a notebook (``page_run.read_page``: fixed cell ids), read once;
        what changes it gets a copy (:meth:`fresh`)."""
        return page_run.read_page(self.path)

    def fresh(self) -> Any:
        return copy.deepcopy(self.notebook)

    @property
    def cells(self) -> list[Any]:
        return list(self.notebook.cells)

    @functools.cached_property
    def run_key(self) -> str:
        """Everything that can change the page's run (not its prose), hashed."""
        known = self.site.run_keys.get(self.cache_key)
        if known is None:
            skeleton = page_run.run_skeleton(self.notebook)
            known = digest(CACHE_FORMAT, skeleton, *self.site.run_inputs)
            self.site.run_keys[self.cache_key] = known
        return known

    @functools.cached_property
    def cache_key(self) -> str:
        """Everything that can change the page's executed output, hashed."""
        return digest(self.site.output_salt, self.source)

    # -- 1. its run -----------------------------------------------------------------------

    def needs_run(self) -> bool:
        """Whether neither its output nor a run of its code is cached."""
        memo = self.site.memo
        return memo.load("page", self.cache_key) is None and not memo.has(
            f"run-{self.run_key}.json"
        )

    def start(self, pool: concurrent.futures.Executor) -> None:
        self.run = pool.submit(
            page_run.run_page,
            self.path,
            self.site.profile,
            removed_tags=self.site.removed_tags,
            notebook=self.fresh(),
        )

    # -- 2. its render (MkDocs calls it as page.render) -----------------------------------

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """The executed page (from the cache, or run now) as the page's HTML and TOC."""
        assert self.page is not None
        memo = self.site.memo
        self.output = memo.load("page", self.cache_key)
        if self.output is None:
            self.output = self._execute()
            if self.output is None:
                self.page.content = ""
                self.page.toc = get_toc([])  # other plugins (autorefs) still read the TOC
                return
            memo.store("page", self.cache_key, self.output)
        else:
            self.site.reused += 1
            log.info("annlab: reused the cached output of %s", self.src_uri)
            memo.keep(f"run-{self.run_key}.json")  # kept for a prose edit
        self.page.content = self.output["content"]
        self.page.toc = get_toc(self.output["toc"])
        self.page.title = self.output["title"] or self.page.title
        # The stamp, as data, for the theme and other plugins. (The theme's template
        # also shows a source-file block only on pages with metadata: the tutorials
        # have had this one key since their stamp was first kept as page metadata.)
        self.page.meta["annlab_stamp"] = self.stamp

    def _execute(self) -> dict[str, Any] | None:
        """Run the page (or wait for its run) and convert it; None if a cell raised."""
        site, run, self.run = self.site, self.run, None
        # A page whose run was started takes that run, not one that another page with
        # the same code (an identical skeleton) stored meanwhile.
        earlier = site.memo.load("run", self.run_key) if run is None else None
        try:
            if earlier is not None:  # only the prose changed: the run's outputs still hold
                executed = page_run.reuse_run(
                    self.path,
                    page_run.ExecutedPage.from_stored(earlier, site.profile),
                    site.removed_tags,
                    notebook=self.fresh(),
                )
            else:
                # No run was started for a page that changed after on_nav (mkdocs serve).
                executed = (
                    run.result()
                    if run
                    else page_run.run_page(
                        self.path,
                        site.profile,
                        removed_tags=site.removed_tags,
                        notebook=self.fresh(),
                    )
                )
        except page_run.PageError as error:
            # Keep going, so one build reports every failing page; the plugin stops the
            # build before anything is written to the site directory.
            site.failures.append(
                f"Tutorial {self.src_uri} failed in {error.where}:\n{error.error}"
            )
            log.error("annlab: tutorial %s failed in %s", self.src_uri, error.where)
            return None
        if earlier is not None:
            site.reused += 1
            log.info("annlab: reused the run of %s under its new prose", self.src_uri)
        else:
            site.executed += 1
            log.info("annlab: executed %s in %.1f s", self.src_uri, executed.seconds)
            site.memo.store("run", self.run_key, executed.stored())
        # Under serve, the HTML of the cells a prose edit left alone is kept from the
        # page's previous conversion (notebook.CellMemory).
        memory = (
            None
            if site.memo.recall is None
            else site.memo.in_memory("cells", digest(self.src_uri), notebook.CellMemory)
        )
        output = notebook.page_output(self.path, executed, site.converter, memory, self.fresh())
        output["alts"] = page_run.alt_texts(executed.notebook, site.removed_tags)  # filled in
        return output

    # -- 3. its published HTML -----------------------------------------------------------

    @functools.cached_property
    def stamp(self) -> Stamp:
        """What the page ran with and offers to download: the line that ends it."""
        assert self.page is not None and self.output is not None
        return Stamp(
            versions=installed_versions(),
            profile=self.output["profile"],
            seconds=self.output["seconds"],
            stem=self.path.stem,
            wheel=get_relative_url(f"{DOWNLOADS}/{wheel_name()}", self.page.url),
        )

    @functools.cached_property
    def figure_sizes(self) -> dict[str, tuple[int, int]]:
        return notebook.figure_sizes((self.output or {}).get("figures", {}))

    def publish(self, html: str) -> tuple[str, list[str], str]:
        """The published page, the formulas Temml could not parse, and the notebook
        stylesheet it links to.

        Parsing a tutorial's 0.6 MB of HTML is most of a no-change rebuild: the
        rewritten page (and its stylesheet) is reused when nothing it depends on changed.
        """
        memo = self.site.memo
        key = self._rewrite_key(html)
        entry = memo.load("rewritten", key)
        if entry is None:
            published = rewrite.rewrite(html, self._rewrite_inputs(), self.site.temml)
            entry = {
                "html": published.html,
                "css": rewrite.css_key(published.css),
                "math_errors": published.math_errors,
            }
            # The entry refers to the stylesheet.
            memo.write_text(f"notebook-{entry['css']}.css", published.css)
            memo.store("rewritten", key, entry)
            search_text.keep(memo, published.html, published.searchable)
        css = memo.read_text(f"notebook-{entry['css']}.css")
        return str(entry["html"]), list(entry["math_errors"]), css

    def _rewrite_key(self, html: str) -> str:
        """Everything the rewrite reads: the page, its source, and what every page's does."""
        assert self.page is not None and self.output is not None
        return digest(
            self.site.rewrite_salt,
            html,
            self.page.url,
            json.dumps(self.stamp.html()),
            json.dumps(self.output["alts"]),
            json.dumps(self.figure_sizes, sort_keys=True),
            self.source,
        )

    def _rewrite_inputs(self) -> rewrite.RewriteInputs:
        """What the rewrite passes need to know about the page."""
        assert self.page is not None and self.output is not None
        page, site = self.page, self.site
        shown = [
            cell
            for cell in self.cells
            if cell.cell_type == "code"
            and not site.removed_tags & set(cell.metadata.get("tags", []))
        ]
        code_links, prose_links = api_links(
            "\n".join(cell.source for cell in shown),
            site.documented,
            site.library,
            site.api_dir,
            page.url,
        )
        return rewrite.RewriteInputs(
            src_uri=self.src_uri,
            url=page.url,
            code_cells=shown,
            markdown_cells=[cell for cell in self.cells if cell.cell_type == "markdown"],
            alts=self.output["alts"],
            figure_sizes=self.figure_sizes,
            toc_ids=_toc_ids(page.toc.items),
            stamp=self.stamp,
            api_links=code_links,
            prose_links=prose_links,
        )

    # -- 4. its files ----------------------------------------------------------------------

    def write_files(self, folder: Path) -> None:
        """Its figures, and its notebook beside its script (mkdocs-jupyter copies the .py)."""
        if self.output is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.output["figures"].items():
            (folder / name).write_bytes(base64.b64decode(data))
        target = folder / f"{self.path.stem}.ipynb"
        target.write_text(self.output["download"], encoding="utf-8")

    def print_figures(self) -> dict[str, bytes]:
        """Its figures at print resolution, for the PDF, by their files' paths in the
        site (``pdf.figures_to_print``)."""
        if self.output is None or self.page is None:
            return {}
        return pdf.figures_to_print(
            self.src_uri,
            self.page.file.dest_uri.rsplit("/", 1)[0],
            self.output["figures"],
            self.output["print_figures"],
        )


def start_runs(builds: list[TutorialBuild], first: list[str], workers: int) -> None:
    """Start the run of every tutorial whose output and run are not cached, on
    ``workers`` threads, those whose source is named in ``first`` first (then in nav
    order). Each run is a kernel of its own under the same profile, so the pages give
    the same bytes as when they run one by one."""
    pending = [build for build in builds if build.needs_run()]
    if not pending:
        return
    order = {path: index for index, path in enumerate(first)}
    pending.sort(key=lambda build: order.get(build.src_uri, len(order)))  # stable
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    for build in pending:
        build.start(pool)
    pool.shutdown(wait=False)


def _toc_ids(items: Any) -> list[str]:
    ids: list[str] = []
    for item in items:
        ids.append(item.id)
        ids += _toc_ids(item.children)
    return ids
