"""The annlab MkDocs plugin: runs the tutorial pages, publishes them, and writes the API
reference.

    plugins:
      - mkdocs-jupyter: {execute: false, ...}   # only renders the executed notebooks
      - mkdocstrings: ...
      - annlab                                  # after them: it reads their output

Its parts, one module each (only this one knows MkDocs' events):

- ``page_run``: runs a page in a fresh kernel under a fixed numeric profile, fills in
  the prose's ``{{ value }}`` placeholders, names a failing cell. A cold build runs
  the pages that are not cached at once, one kernel per core. No MkDocs types there.
- ``notebook``: the executed notebook as HTML (nbconvert's preprocessors, then
  mkdocs-jupyter's converter), its headings, its notebook download.
- ``rewrite``: the passes from that HTML to the published page (alt texts, folds,
  links to the API, the stamp, the math, ...).
- ``tables``: tables wrapped in Material's scroll box at build time (no layout shift).
- ``mathml``: the math written as MathML at build time by the site's own Temml (in an
  embedded V8), on every page and in its table of contents; no page loads a script for
  it, and the math font is cut to the characters the formulas use.
- ``api_pages``: the API pages and nav generated from the package, and the "Used on"
  lists of the entries.
- ``css_purge``: the shared notebook stylesheet cut to the rules the pages use.
- ``memo``: the page cache (``.cache/pages/`` or ``$ANNLAB_PAGE_CACHE``); an entry is
  keyed by a hash of everything it depends on (the page source, every ``annlab``
  source, the converter's settings, the numeric profile, the versions of the packages
  that shape the output), so a page is re-executed exactly when something it runs
  against changed. Its run is kept apart, keyed by its code and placeholders only
  (``page_run.run_skeleton``): an edit of the prose alone re-renders the page from the
  earlier run in about a second, without a kernel. A whole build deletes the entries
  it did not use.
- ``upstream``: the two patches of other packages' internals, and nothing else.

A tutorial cell that raises fails the build naming the page, the cell and its first
line; every failing page is reported before the build stops. Dates come from
``SOURCE_DATE_EPOCH`` (by default the time of the commit being built) and cell ids are
fixed, so two builds of one commit give the same bytes.
"""

from __future__ import annotations

import base64
import concurrent.futures
import functools
import importlib.metadata
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Literal

import jinja2
import jupytext
import nbformat
import PIL.Image
from bs4 import BeautifulSoup
from jinja2 import FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from annlab_site import css_purge, mathml, notebook, page_run, pdf, rewrite, upstream
from annlab_site.annlab_names import api_url, imported_names
from annlab_site.api_pages import Section, UsedOn, documented_paths, drop_api_stylesheet, walk
from annlab_site.config import AnnlabConfig
from annlab_site.memo import Memo, digest, library_sources
from annlab_site.tables import wrap_tables

log = logging.getLogger("mkdocs.plugins.annlab")

CACHE_FORMAT = "6"  # bump when what a cache entry holds changes
VERSIONED = ("torch", "numpy", "matplotlib", "mkdocs-jupyter", "nbconvert", "nbclient")
DOWNLOADS = "downloads"  # the annlab wheel of the commit being built, for the pages' code
HERE = Path(__file__).resolve().parent
# PyTorch's CPU-only wheel index, as PyTorch's install page gives it for pip on Linux.
TORCH_CPU_LINE = "pip install torch --index-url https://download.pytorch.org/whl/cpu"
# pip needs the wheel's full URL, which only the browser knows (the site may be served
# from anywhere). Set by a script right after the line, before the page is first
# drawn: a script run after load made the line longer and shifted the page below it.
INSTALL_LINE = (
    "(code => { code.textContent = 'pip install ' + "
    "new URL(code.dataset.wheel, location.href).href; })"
    "(document.currentScript.previousElementSibling);"
)


class AnnlabPlugin(BasePlugin[AnnlabConfig]):
    """Runs and publishes the tutorials, and generates the API reference."""

    def __init__(self) -> None:
        # Placeholders until on_config reads the settings and the environment.
        self.dirty = False
        self.command = "build"
        self.printer: str | None = None  # the Chromium that prints the PDF, if it is built
        self.course: list[str] = []  # the built files the PDF holds: home and tutorials
        self.root = Path.cwd()
        self.library = self.root / "annlab"
        self.memo = Memo(self.root / ".cache" / "pages")
        self.profile = page_run.PROFILES["native"]
        self.package = Section("annlab", "annlab")
        self.documented: set[str] = set()
        self.used_on = UsedOn(self.memo, self.library)
        self.temml = mathml.Temml(self.root / "docs/assets/temml/temml.min.js")
        # Every character in a formula of any page built by this process (a dirty
        # rebuild sees only the changed pages: the font keeps what the others used).
        self.math_characters: set[str] = set()
        self._reset()

    def _reset(self) -> None:
        self.executed = 0
        self.reused = 0
        self.failures: list[str] = []
        self.notebook_css: dict[str, str] = {}  # hash -> the stylesheet the pages inline
        self.figures: dict[str, dict[str, str]] = {}  # page source -> {file name: base64}
        self.downloads: dict[str, str] = {}  # page source -> its .ipynb download
        self.page_classes: set[str] = set()  # every class the tutorial pages use
        self.runs: dict[str, concurrent.futures.Future[page_run.ExecutedPage]] = {}

    # -- configuration ------------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.dirty = dirty
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        here = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.root = (here / self.config.project).resolve()
        source_dir = os.environ.get("ANNLAB_SOURCE_DIR")
        self.library = Path(source_dir) if source_dir else self.root / self.config.library
        cache = os.environ.get("ANNLAB_PAGE_CACHE")
        self.memo = Memo(Path(cache) if cache else self.root / self.config.cache_dir)
        # Tutorial kernels inherit this process's environment. A test run's
        # MPLBACKEND=Agg would make plt.show() draw nothing on the site: force the
        # notebook backend (page_run gives each kernel its backend, threads and profile).
        os.environ["MPLBACKEND"] = page_run.INLINE_BACKEND
        self.temml = mathml.Temml(self.root / self.config.temml)
        if not self.temml.script.is_file():
            raise PluginError(f"annlab: no Temml at {self.temml.script} (the temml setting)")
        if not (self.root / self.config.math_font).is_file():
            raise PluginError(f"annlab: no math font at {self.config.math_font} (math_font)")
        self.profile = page_run.numeric_profile()
        self.printer = pdf.printer(self.config.pdf, self.command)
        log.info("annlab: pages run under the numeric profile %s", self.profile.describe())
        # Reproducible builds: the only date in the output (the gzip header of the
        # sitemap) comes from SOURCE_DATE_EPOCH; by default the time of the commit.
        if "SOURCE_DATE_EPOCH" not in os.environ:
            commit = subprocess.run(
                ["git", "log", "-1", "--format=%ct"], cwd=self.root, capture_output=True, text=True
            )
            if commit.returncode == 0 and commit.stdout.strip().isdigit():
                os.environ["SOURCE_DATE_EPOCH"] = commit.stdout.strip()
        self.package = walk(self.library)
        self.documented = documented_paths(self.package, self.library)
        if self.config.api_reference:
            self._extend_nav(config)
        return config

    def _extend_nav(self, config: MkDocsConfig) -> None:
        """Put the generated pages in the nav section that lists ``<api_dir>/index.md``."""
        index = f"{self.config.api_dir}/index.md"

        def extend(items: Any) -> bool:
            if isinstance(items, list):
                if index in items:
                    items.extend(self.package.nav(self.config.api_dir))
                    return True
                return any(extend(item) for item in items)
            if isinstance(items, dict):
                return any(extend(value) for value in items.values())
            return False

        if config.nav is not None and not extend(config.nav):
            raise PluginError(f"annlab: mkdocs.yml's nav has no section listing {index}")

    # -- files and nav ---------------------------------------------------------------

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._reset()
        self.memo.used.clear()
        self.used_on = UsedOn(self.memo, self.library)

    def _is_tutorial(self, file: File) -> bool:
        uri = file.src_uri
        return uri.startswith(self.config.tutorials) and uri.endswith(".py")

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.config.api_reference:
            for module in self.package.all_modules():
                uri = module.src_uri(self.config.api_dir)
                if files.get_file_from_path(uri) is not None:
                    raise PluginError(f"annlab: {uri} is generated; delete the hand-written one")
                files.append(File.generated(config, uri, content=module.markdown()))
        for file in sorted(files, key=lambda f: f.src_uri):
            if self._is_tutorial(file):
                self.used_on.add(file.abs_src_path or "", file.url)
        return files

    def _run_key(self, file: File) -> str:
        """Everything that can change a page's run (not its prose), hashed."""
        return digest(
            CACHE_FORMAT,
            page_run.run_skeleton(Path(file.abs_src_path or "")),
            (HERE / "page_run.py").read_bytes(),
            *library_sources(self.library),
            self.profile.describe(),
            sys.version,
            *(f"{package}=={importlib.metadata.version(package)}" for package in VERSIONED),
        )

    def _cache_key(self, file: File, config: MkDocsConfig) -> str:
        """Everything that can change a page's executed output, hashed."""
        converter = config.plugins["mkdocs-jupyter"].config
        return digest(
            CACHE_FORMAT,
            Path(file.abs_src_path or "").read_bytes(),
            (HERE / "page_run.py").read_bytes(),
            (HERE / "notebook.py").read_bytes(),
            *library_sources(self.library),
            json.dumps(dict(converter), sort_keys=True, default=str),
            self.profile.describe(),
            sys.version,
            *(f"{package}=={importlib.metadata.version(package)}" for package in VERSIONED),
        )

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Start every tutorial that has no cached output, one kernel per core, those
        named by ``run_first`` first.

        MkDocs renders pages one after another; each tutorial's render then only waits
        for its own run. The kernels are separate processes, so threads are enough here.
        Each runs on one thread under the same profile, so the output is the same bytes
        as a build that runs the pages one by one.
        """
        tutorials = {f.src_uri for f in files.documentation_pages() if self._is_tutorial(f)}
        self.course = [
            p.file.dest_uri for p in nav.pages if p.is_homepage or p.file.src_uri in tutorials
        ]
        unknown = [path for path in self.config.run_first if path not in tutorials]
        if unknown:
            raise PluginError(f"annlab: run_first names no tutorial: {unknown}")
        pending = [
            file
            for file in files.documentation_pages()
            if self._is_tutorial(file)
            and self.memo.load("page", self._cache_key(file, config)) is None
            and not self.memo.path(f"run-{self._run_key(file)}.json").exists()
        ]
        if not pending:
            return nav
        first = {path: index for index, path in enumerate(self.config.run_first)}
        pending.sort(key=lambda file: first.get(file.src_uri, len(first)))  # stable: nav order
        workers = int(os.environ.get("ANNLAB_PAGE_WORKERS", 0)) or self.config.page_workers
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1)
        for file in pending:
            path = Path(file.abs_src_path or "")
            self.runs[file.src_uri] = pool.submit(page_run.run_page, path, self.profile)
        pool.shutdown(wait=False)
        return nav

    # -- tutorial pages ----------------------------------------------------------------

    @event_priority(-100)  # after mkdocs-jupyter's: this render replaces its own
    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        if self._is_tutorial(page.file):
            upstream.render_with(page, functools.partial(self._render, page))
        return page

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """The executed page (from the cache, or run now) as the page's HTML and TOC."""
        key = self._cache_key(page.file, config)
        stored = self.memo.load("page", key)
        if stored is None:
            stored = self._execute(page, config)
            if stored is None:
                page.content = ""
                page.toc = get_toc([])  # other plugins (autorefs) still read the page's TOC
                return
            self.memo.store("page", key, stored)
        else:
            self.reused += 1
            log.info("annlab: reused the cached output of %s", page.file.src_uri)
            self.memo.path(f"run-{self._run_key(page.file)}.json")  # kept for a prose edit
        page.content = stored["content"]
        page.meta["annlab_seconds"] = stored["seconds"]
        page.meta["annlab_profile"] = stored["profile"]
        page.meta["annlab_alts"] = stored["alts"]  # filled in, unlike the source's
        page.toc = get_toc(stored["toc"])
        page.title = stored["title"] or page.title
        self.downloads[page.file.src_uri] = stored["download"]
        self.figures[page.file.src_uri] = stored["figures"]

    def _execute(self, page: Page, config: MkDocsConfig) -> dict[str, Any] | None:
        """Run the page (or wait for its run) and convert it; None if a cell raised."""
        source = Path(page.file.abs_src_path or "")
        run = self.runs.pop(page.file.src_uri, None)
        run_key = self._run_key(page.file)
        earlier = self.memo.load("run", run_key)
        try:
            if earlier is not None:  # only the prose changed: the run's outputs still hold
                executed = page_run.reuse_run(
                    source,
                    page_run.ExecutedPage(
                        nbformat.reads(earlier["notebook"], as_version=4),
                        earlier["seconds"],
                        self.profile,
                        earlier["values"],
                    ),
                )
            else:
                # No run was started for a page that changed after on_nav (mkdocs serve).
                executed = run.result() if run else page_run.run_page(source, self.profile)
        except page_run.PageError as error:
            # Keep going, so one build reports every failing page; on_env stops the
            # build before anything is written to the site directory.
            self.failures.append(
                f"Tutorial {page.file.src_uri} failed in {error.where}:\n{error.error}"
            )
            log.error("annlab: tutorial %s failed in %s", page.file.src_uri, error.where)
            return None
        if earlier is not None:
            self.reused += 1
            log.info("annlab: reused the run of %s under its new prose", page.file.src_uri)
        else:
            self.executed += 1
            log.info("annlab: executed %s in %.1f s", page.file.src_uri, executed.seconds)
            self.memo.store(
                "run",
                run_key,
                {
                    "notebook": nbformat.writes(executed.notebook),
                    "seconds": executed.seconds,
                    "values": executed.values,
                },
            )
        options = dict(config.plugins["mkdocs-jupyter"].config)
        # mkdocs-jupyter converts the notebook again only to find its headings: they
        # are stored with the output.
        toc, title = notebook.toc_tokens(str(source), options["toc_depth"])
        download = notebook.download(source, executed.notebook)
        alts = page_run.alt_texts(executed.notebook)
        content, figures = notebook.notebook_html(executed.notebook, options)
        return {
            "content": content,
            "seconds": executed.seconds,
            "figures": figures,
            "profile": executed.profile.describe(),
            "toc": toc,
            "title": title,
            "download": download,
            "alts": alts,
        }

    def _rewrite_key(self, html: str, page: Page) -> str:
        """Everything the rewrite reads: the page, its source, annlab, this plugin."""
        return digest(
            CACHE_FORMAT,
            html,
            page.url,
            str(page.meta.get("annlab_seconds", 0.0)),
            str(page.meta.get("annlab_profile", "")),
            json.dumps(page.meta.get("annlab_alts")),
            json.dumps(self._figure_sizes(page), sort_keys=True),
            Path(page.file.abs_src_path or "").read_bytes(),
            *(source.read_bytes() for source in sorted(HERE.glob("*.py"))),
            *library_sources(self.library),
            *(importlib.metadata.version(package) for package in ("annlab", "torch", "numpy")),
            self.temml.script.read_bytes(),
            importlib.metadata.version("mini-racer"),
        )

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        uri = page.file.src_uri
        errors = self._typeset_toc(page.toc.items)
        if self._is_tutorial(page.file) and html:
            html, content_errors = self._tutorial_content(html, page)
        else:
            if uri.startswith(f"{self.config.api_dir}/") and not uri.endswith("index.md"):
                html = self.used_on.annotate(html, page.url)
            html, content_errors = self._typeset(html, tables=True)
        # A formula Temml cannot parse shows as red error text; the warning names
        # the page and the formula, and fails a strict build.
        for error in dict.fromkeys(content_errors + errors):
            log.warning("annlab: %s: cannot typeset %s", uri, error)
        return html

    def _tutorial_content(self, html: str, page: Page) -> tuple[str, list[str]]:
        """The published tutorial, and the formulas Temml could not parse."""
        # Parsing a tutorial's 0.6 MB of HTML is most of a no-change rebuild: reuse the
        # rewritten page (and its notebook stylesheet) when nothing it depends on changed.
        key = self._rewrite_key(html, page)
        entry = self.memo.load("rewritten", key)
        if entry is None:
            published = rewrite.rewrite(html, self._tutorial(page), self.temml)
            entry = {
                "html": published.html,
                "css": rewrite.css_key(published.css),
                "math_errors": published.math_errors,
            }
            # The entry refers to the stylesheet.
            self.memo.write_text(f"notebook-{entry['css']}.css", published.css)
            self.memo.store("rewritten", key, entry)
        css_file = self.memo.path(f"notebook-{entry['css']}.css")
        self.notebook_css[entry["css"]] = css_file.read_text("utf-8")
        return str(entry["html"]), list(entry["math_errors"])

    def _typeset(self, html: str, *, tables: bool = False) -> tuple[str, list[str]]:
        """A Markdown or API page (or a title) with its math typeset, and its tables
        wrapped if asked; not parsed when it has neither."""
        has_tables = tables and "<table" in html
        if not mathml.MAYBE_MATH.search(html) and not has_tables:
            return html, []
        soup = BeautifulSoup(html, "html.parser")
        count, errors = mathml.render_math(soup, self.temml)
        wrapped = wrap_tables(soup) if has_tables else 0
        return (str(soup) if count or wrapped else html), errors

    def _typeset_toc(self, items: Any) -> list[str]:
        """Math in headings, typeset in the table of contents too (the template prints
        each entry's title as HTML)."""
        errors = []
        for item in items:
            item.title, found = self._typeset(item.title)
            errors += found + self._typeset_toc(item.children)
        return errors

    def _tutorial(self, page: Page) -> rewrite.Tutorial:
        """What the rewrite passes need to know about the page."""
        cells = jupytext.read(page.file.abs_src_path).cells
        shown = [
            cell
            for cell in cells
            if cell.cell_type == "code"
            and not page_run.REMOVED_TAGS & set(cell.metadata.get("tags", []))
        ]
        names = imported_names("\n".join(cell.source for cell in shown), self.library)

        def link(path: str) -> str:
            return get_relative_url(api_url(path, self.library, self.config.api_dir), page.url)

        code_links = {name: link(path) for name, path in names.items()}
        return rewrite.Tutorial(
            src_uri=page.file.src_uri,
            url=page.url,
            code_cells=shown,
            markdown_cells=[cell for cell in cells if cell.cell_type == "markdown"],
            alts=page.meta["annlab_alts"],
            figure_sizes=self._figure_sizes(page),
            toc_ids=_toc_ids(page.toc.items),
            stamp=self._stamp(page),
            api_links=code_links,
            prose_links={**{path: link(path) for path in self.documented}, **code_links},
        )

    def _figure_sizes(self, page: Page) -> dict[str, tuple[int, int]]:
        sizes = {}
        for name, data in self.figures.get(page.file.src_uri, {}).items():
            with PIL.Image.open(io.BytesIO(base64.b64decode(data))) as image:
                sizes[name] = image.size
        return sizes

    def _stamp(self, page: Page) -> str:
        """Versions, run time and downloads: the line that ends the page."""
        stem = Path(page.file.src_uri).stem
        seconds = page.meta.get("annlab_seconds", 0.0)
        versions = ", ".join(
            f"{name} {importlib.metadata.version(name)}" for name in ("annlab", "torch", "numpy")
        )
        profile = page.meta.get("annlab_profile", "")
        wheel = get_relative_url(f"{DOWNLOADS}/{_wheel_name()}", page.url)
        return (
            f'<p class="annlab-stamp" data-search-exclude>Executed with {versions}, '
            f"numeric profile {profile}, in "
            f'<span class="annlab-run-seconds">{seconds:.1f}</span>&nbsp;s. '
            f'Download: <a href="{stem}.ipynb" download>notebook (.ipynb)</a> · '
            f'<a href="{stem}.py" download>script (.py)</a>. To run them on Linux, '
            "install PyTorch's CPU-only build first (the default index's Linux wheels "
            "bundle CUDA, gigabytes this course does not use), "
            f'<code class="annlab-install-torch">{TORCH_CPU_LINE}</code>; on macOS and '
            "Windows the default index is already CPU-only. Then this annlab: "
            f'<code class="annlab-install" data-wheel="{wheel}">pip install {wheel}</code>'
            f"<script>{INSTALL_LINE}</script> "
            f'(<a href="{wheel}" download>the wheel</a>)</p>'
        )

    @event_priority(100)  # before the search plugin indexes the page
    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        index = upstream.search_index(config) if self.config.search_memo else None
        if index is not None:
            upstream.memoise_search(index, self.memo, (HERE / "upstream.py").read_bytes())
        return context

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        if self.failures:
            summary = "\n\n".join(self.failures)
            raise PluginError(f"{len(self.failures)} tutorial page(s) failed:\n\n{summary}")
        # Compiling the theme's and mkdocstrings' ~120 Jinja templates took 4 of a
        # no-change rebuild's 18 CPU seconds. Jinja's bytecode cache checks each
        # template's source checksum, so it is never stale.
        folder = self.memo.path("jinja")
        folder.mkdir(parents=True, exist_ok=True)
        templates = FileSystemBytecodeCache(str(folder))
        env.bytecode_cache = templates
        if "mkdocstrings" in config.plugins:
            handlers = config.plugins["mkdocstrings"].handlers  # type: ignore[attr-defined]
            handlers.get_handler("python").env.bytecode_cache = templates
        return env

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """The math stylesheet only on pages with math, with its font preloaded, and
        mkdocstrings' only on pages with API entries; write a tutorial's figures, and its
        notebook beside its script (mkdocs-jupyter copies the .py)."""
        output = mathml.link_stylesheet(output)
        output = drop_api_stylesheet(output)
        if self.printer and page.file.dest_uri in self.course:
            output = pdf.add_link(output, get_relative_url(f"{DOWNLOADS}/{pdf.NAME}", page.url))
        self.math_characters |= mathml.math_characters(output)
        if self._is_tutorial(page.file):
            folder = Path(page.file.abs_dest_path).parent
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in self.figures.get(page.file.src_uri, {}).items():
                (folder / name).write_bytes(base64.b64decode(data))
            target = folder / f"{Path(page.file.src_uri).stem}.ipynb"
            target.write_text(self.downloads[page.file.src_uri], encoding="utf-8")
            self.page_classes.update(css_purge.classes_in(output))
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        self._write_wheel(site)
        self._write_math_font(site)
        if len(self.notebook_css) > 1:
            raise PluginError("tutorial pages carry different notebook styles; expected one")
        # The site's own stylesheets may read the notebook's custom properties (--jp-*).
        other_css = "".join(
            (Path(config.docs_dir) / str(path)).read_text("utf-8")
            for path in config.extra_css
            if (Path(config.docs_dir) / str(path)).is_file()
        )
        for css in self.notebook_css.values():
            # Only the rules the pages can use, and the custom properties they read:
            # 590 KB of JupyterLab CSS was render-blocking on every tutorial
            # (Lighthouse). Memoised: the parse takes half a second.
            key = digest(
                css, *sorted(self.page_classes), other_css, (HERE / "css_purge.py").read_bytes()
            )
            used = self.memo.load("notebook-css", key)
            if used is None:
                used = self.memo.store(
                    "notebook-css", key, css_purge.used_css(css, self.page_classes, other_css)
                )
            (site / rewrite.NOTEBOOK_CSS).parent.mkdir(parents=True, exist_ok=True)
            (site / rewrite.NOTEBOOK_CSS).write_text(used, encoding="utf-8")
        if self.printer:  # last: it prints the pages as they are now, in the site
            epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
            pdf.write_pdf(site, self.course, self.printer, config.site_description, epoch)
        log.info(
            "annlab: tutorials executed: %d, reused from the cache: %d", self.executed, self.reused
        )
        if self.config.prune_cache and not self.dirty:
            removed = self.memo.prune()
            if removed:
                log.info("annlab: removed %d cache entries this build did not use", len(removed))

    def _write_math_font(self, site: Path) -> None:
        """The math font cut to the characters the pages' formulas use (about 20 KB of
        its 400), beside math.css; memoised (the cut takes about a second)."""
        source = (self.root / self.config.math_font).read_bytes()
        characters = "".join(sorted(self.math_characters))
        key = digest(source, characters, importlib.metadata.version("fonttools"))
        entry = self.memo.load("math-font", key)
        if entry is None:
            data = base64.b64encode(mathml.subset_font(source, characters)).decode()
            entry = self.memo.store("math-font", key, data)
        target = site / "assets" / "temml" / mathml.FONT
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(str(entry)))

    def _write_wheel(self, site: Path) -> None:
        """The annlab wheel of the tree being built, served beside the pages that use it.

        Built once per change of annlab's sources, pyproject.toml or the README (its
        long description, in the wheel's METADATA) (kept in the page cache); its dates
        come from SOURCE_DATE_EPOCH, so two builds give the same bytes.
        """
        key = digest(
            *library_sources(self.root / self.config.library),
            (self.root / "pyproject.toml").read_bytes(),
            (self.root / "README.md").read_bytes(),
            os.environ.get("SOURCE_DATE_EPOCH", ""),
            importlib.metadata.version("setuptools"),
        )
        stored = self.memo.path(f"wheel-{key}") / _wheel_name()
        if not stored.exists():
            with tempfile.TemporaryDirectory() as folder:
                # Built from a copy: pip builds in the source tree (setuptools' build/),
                # and two builds of one checkout at once (the test workers) collided
                # there ("File exists: build/bdist.../annlab-0.1.0.dist-info").
                source = Path(folder) / "source"
                shutil.copytree(
                    self.root / self.config.library,
                    source / self.config.library,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc"),
                )
                for name in ("pyproject.toml", "README.md"):
                    shutil.copy2(self.root / name, source / name)
                built = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "pip",
                        "wheel",
                        "--quiet",
                        "--no-deps",
                        "--no-build-isolation",
                        "--wheel-dir",
                        folder,
                        str(source),
                    ],
                    capture_output=True,
                    text=True,
                )
                wheel = Path(folder) / _wheel_name()
                if built.returncode != 0 or not wheel.exists():
                    raise PluginError(f"could not build the annlab wheel:\n{built.stderr}")
                stored.parent.mkdir(parents=True, exist_ok=True)
                partial = stored.with_suffix(f".{os.getpid()}.partial")
                partial.write_bytes(wheel.read_bytes())
                partial.replace(stored)
        (site / DOWNLOADS).mkdir(parents=True, exist_ok=True)
        (site / DOWNLOADS / _wheel_name()).write_bytes(stored.read_bytes())


def _toc_ids(items: Any) -> list[str]:
    ids: list[str] = []
    for item in items:
        ids.append(item.id)
        ids += _toc_ids(item.children)
    return ids


def _wheel_name() -> str:
    version = importlib.metadata.version("annlab")
    return f"annlab-{version}-py3-none-any.whl"
