"""The annlab MkDocs plugin: runs the tutorial pages, publishes them, and writes the API
reference.

    plugins:
      - mkdocs-jupyter: {execute: false, ...}   # only renders the executed notebooks
      - mkdocstrings: ...
      - annlab                                  # after them: it reads their output

This module only maps MkDocs' events to the parts, one module each:

- ``tutorial_build``: one ``TutorialBuild`` per tutorial carries the page through the
  build (its source read once, its cache keys, its run, its render, its rewrite, its
  stamp and figures); the plugin calls one of its methods per event.
- ``stamp``: the line that ends a tutorial, as data, and its HTML.
- ``site_assets``: what the pages share, written after them: the annlab wheel, the
  math font, the notebook stylesheet.

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
  lists of the entries; ``api_replay``: under serve, an unchanged API page replayed
  from memory instead of rendered by mkdocstrings again.
- ``search_text``: what the search index reads of a page (no code, formulas as TeX).
- ``css_purge``: the shared notebook stylesheet cut to the rules the pages use.
- ``memo``: the page cache (``.cache/pages/`` or ``$ANNLAB_PAGE_CACHE``); an entry is
  keyed by a hash of everything it depends on (the page source, every ``annlab``
  source, the converter's settings, the numeric profile, the versions of the packages
  that shape the output), so a page is re-executed exactly when something it runs
  against changed. Its run is kept apart, keyed by its code and placeholders only
  (``page_run.run_skeleton``): an edit of the prose alone re-renders the page from the
  earlier run in about a second, without a kernel. A whole build deletes the entries
  it did not use.
- ``upstream``: every reach into other packages' internals, and nothing else.

A tutorial cell that raises fails the build naming the page, the cell and its first
line; every failing page is reported before the build stops. Dates come from
``SOURCE_DATE_EPOCH`` (by default the time of the commit being built) and cell ids are
fixed, so two builds of one commit give the same bytes.

Under ``mkdocs serve`` (``on_startup(command="serve")``) the PDF is not printed, edits
are looked for every 0.1 s, and each rebuild takes from memory what the previous build
of the process used and an edit did not change (``memo.Recall``: the pages' cached
outputs and rewrites, their search entries, the typeset Markdown, the rendered API
pages, the tutorials' run keys and the HTML of each of their cells), so a prose edit
converts only its cells and re-renders only its page; the serve log says so once.
``mkdocs build`` never holds anything in memory from one build to another, and writes
the same bytes as before.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Literal

import jinja2
from jinja2 import FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from annlab_site import api_replay, css_purge, mathml, page_run, pdf, site_assets, upstream
from annlab_site.api_pages import (
    Section,
    UsedOn,
    drop_api_stylesheet,
    extend_nav,
    read_package,
)
from annlab_site.config import AnnlabConfig
from annlab_site.memo import Memo, Recall, library_sources
from annlab_site.stamp import DOWNLOADS
from annlab_site.tutorial_build import SiteContext, TutorialBuild, start_runs
from annlab_site.typeset import Typesetter

log = logging.getLogger("mkdocs.plugins.annlab")

HERE = Path(__file__).resolve().parent
SEARCH_CODE = ("upstream.py", "search_text.py")  # what shapes the search entries


class AnnlabPlugin(BasePlugin[AnnlabConfig]):
    """Runs and publishes the tutorials, and generates the API reference."""

    def __init__(self) -> None:
        # Placeholders until on_config reads the settings and the environment.
        self.dirty = False
        self.command = "build"
        self.printer: str | None = None  # the Chromium that prints the PDF, if it is built
        self.epoch: int | None = None  # the build's date (SOURCE_DATE_EPOCH, or the commit's)
        self.course: list[str] = []  # the built files the PDF holds: home and tutorials
        self.root = Path.cwd()
        self.library = self.root / "annlab"
        self.sources: list[bytes] = []  # the package's files (memo.library_sources)
        self.memo = Memo(self.root / ".cache" / "pages")
        self.profile = page_run.PROFILES["native"]
        self.package = Section("annlab", "annlab")
        self.documented: set[str] = set()
        self.used_on = UsedOn(self.memo, self.library)
        self.temml = mathml.Temml(self.root / "docs/assets/temml/temml.min.js")
        self.typeset = Typesetter(self.temml, self.memo)
        # Every character in a formula of any page built by this process (a dirty
        # rebuild sees only the changed pages: the font keeps what the others used).
        self.math_characters: set[str] = set()
        self.tutorials: dict[str, TutorialBuild] = {}  # src_uri -> its build
        self.assets = site_assets.SiteAssets(self.memo, self.root, "annlab", Path())
        # Under mkdocs serve, what one build used, in memory for the next (memo.Recall).
        self.recall: Recall | None = None
        self.api_replay: api_replay.ApiReplay | None = None  # under serve only

    # -- configuration ------------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.dirty = dirty
        self.command = command
        # MkDocs keeps a plugin instance for the life of the process: another command
        # started in the same process (a test's second build) must not inherit serve's.
        self.recall = Recall() if command == "serve" else None
        self.api_replay = None
        if command == "serve":
            log.info(
                "annlab: serve does not print the PDF edition, and each rebuild reuses "
                "from memory what an edit did not change (python3 dev.py build builds "
                "everything)"
            )

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Look for edits every 0.1 s (MkDocs: every 0.5 s)."""
        upstream.poll_every(server, 0.1)
        return server

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        here = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.root = (here / self.config.project).resolve()
        # An absolute setting stays as it is under the project root.
        self.library = self.root / (self.config.source_dir or self.config.library)
        self.memo = Memo(self.root / self.config.cache_dir, self.recall)
        script = self.root / self.config.temml
        if not script.is_file():
            raise PluginError(f"annlab: no Temml at {script} (the temml setting)")
        if not self.temml.runs(script):  # (serve keeps it, and what it typeset, otherwise)
            self.temml = mathml.Temml(script)
        self.typeset = Typesetter(self.temml, self.memo)
        if not (self.root / self.config.math_font).is_file():
            raise PluginError(f"annlab: no math font at {self.config.math_font} (math_font)")
        self.profile = page_run.numeric_profile()
        self.printer = pdf.printer(self.config.pdf, self.command)
        log.info("annlab: pages run under the numeric profile %s", self.profile.describe())
        # (Under serve, git is asked once per process, as when this was an env variable.)
        self.epoch = self.memo.in_memory("epoch", "", lambda: site_assets.build_epoch(self.root))
        self.sources = library_sources(self.library)  # read once per build
        self.package, self.documented = read_package(self.library, self.sources, self.memo)
        if self.config.api_reference:
            extend_nav(config.nav, self.package, self.config.api_dir)
        return config

    # -- files and nav ---------------------------------------------------------------

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.used_on = UsedOn(self.memo, self.library)
        self.assets = site_assets.SiteAssets(
            self.memo, self.root, self.config.library, self.root / self.config.math_font
        )
        self.tutorials = {}
        self.site = SiteContext(
            memo=self.memo,
            profile=self.profile,
            library=self.library,
            library_sources=self.sources,
            converter=dict(config.plugins["mkdocs-jupyter"].config),
            removed_tags=upstream.removed_cell_tags(config),
            temml=self.temml,
            api_dir=self.config.api_dir,
            documented=self.documented,
            run_keys={} if self.recall is None else self.recall.run_keys,
        )
        # mkdocstrings renders the API pages before on_env: its templates get the
        # cache now (mkdocstrings makes a new handler, with a new Jinja environment,
        # for every build, so serve compiled them again on every rebuild).
        if "mkdocstrings" in config.plugins:
            upstream.mkdocstrings_env(config).bytecode_cache = self._template_cache()
            upstream.memoise_signature_format(self.memo)
        upstream.cache_notebook_templates(self._template_cache())  # nbconvert's, likewise

    def _is_tutorial(self, file: File) -> bool:
        uri = file.src_uri
        return uri.startswith(self.config.tutorials) and uri.endswith(".py")

    def _is_api_page(self, uri: str) -> bool:
        """A generated API page (not the hand-written index of the section)."""
        return uri.startswith(f"{self.config.api_dir}/") and not uri.endswith("index.md")

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.config.api_reference:
            for module in self.package.all_modules():
                uri = module.src_uri(self.config.api_dir)
                if files.get_file_from_path(uri) is not None:
                    raise PluginError(f"annlab: {uri} is generated; delete the hand-written one")
                files.append(File.generated(config, uri, content=module.markdown()))
        self.tutorials = {
            file.src_uri: TutorialBuild(file, self.site)
            for file in files.documentation_pages()
            if self._is_tutorial(file)
        }
        for file in sorted(files, key=lambda f: f.src_uri):
            if (build := self.tutorials.get(file.src_uri)) is not None:
                # Its notebook is parsed (once, for all) only if the memo misses.
                self.used_on.add(build.path.name, build.source, build.fresh, file.url)
        if self.recall is not None:  # serve: unchanged API pages are replayed, not rendered
            key = api_replay.site_key(config, self.site.library_sources, files)
            self.api_replay = api_replay.ApiReplay(self.memo, key)
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """The runs of the tutorials not cached started, one kernel per core,
        ``run_first`` first: MkDocs renders pages one after another, and each
        tutorial's render then only waits for its own run."""
        self.course = [
            p.file.dest_uri for p in nav.pages if p.is_homepage or p.file.src_uri in self.tutorials
        ]
        unknown = [path for path in self.config.run_first if path not in self.tutorials]
        if unknown:
            raise PluginError(f"annlab: run_first names no tutorial: {unknown}")
        workers = self.config.page_workers or os.cpu_count() or 1
        start_runs(list(self.tutorials.values()), self.config.run_first, workers)
        return nav

    # -- pages ---------------------------------------------------------------------------

    @event_priority(-100)  # after mkdocs-jupyter's: this render replaces its own
    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        if self.epoch is not None:  # the sitemap's dates, and its gzip header's
            page.update_date = site_assets.day(self.epoch)
        build = self.tutorials.get(page.file.src_uri)
        if build is not None:
            build.page = page
            upstream.render_with(page, build.render)
        elif self.api_replay is not None and self._is_api_page(page.file.src_uri):
            self.api_replay.take(page)
        return page

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        uri = page.file.src_uri
        errors = self.typeset.toc(page.toc.items)
        build = self.tutorials.get(uri)
        if build is not None and html:
            html, content_errors, css = build.publish(html)
            self.assets.add_notebook_css(css)
        else:
            if self._is_api_page(uri):
                html = self.used_on.annotate(html, page.url)
            html, content_errors = self.typeset.page(html, tables=True)
        # A formula Temml cannot parse shows as red error text; the warning names
        # the page and the formula, and fails a strict build.
        for error in dict.fromkeys(content_errors + errors):
            log.warning("annlab: %s: cannot typeset %s", uri, error)
        return html

    @event_priority(100)  # before the search plugin indexes the page
    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        index = upstream.search_index(config) if self.config.search_memo else None
        if index is not None:  # the code that shapes the entries, hashed into their keys
            salt = b"".join((HERE / name).read_bytes() for name in SEARCH_CODE)
            upstream.memoise_search(index, self.memo, salt)
        return context

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        failures = self.site.failures
        if failures:
            summary = "\n\n".join(failures)
            raise PluginError(f"{len(failures)} tutorial page(s) failed:\n\n{summary}")
        env.bytecode_cache = self._template_cache()
        return env

    def _template_cache(self) -> FileSystemBytecodeCache:
        """Compiling the theme's, mkdocstrings' and nbconvert's Jinja templates took 4
        of a no-change rebuild's 18 CPU seconds. Jinja's bytecode cache checks each
        template's source checksum, so it is never stale."""
        folder = self.memo.keep("jinja")
        folder.mkdir(parents=True, exist_ok=True)
        return FileSystemBytecodeCache(str(folder))

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """The math stylesheet only on pages with math, with its font preloaded, and
        mkdocstrings' only on pages with API entries; a tutorial's figures and notebook
        beside it."""
        output = mathml.link_stylesheet(output)
        output = drop_api_stylesheet(output)
        if self.printer and page.file.dest_uri in self.course:
            output = pdf.add_link(output, get_relative_url(f"{DOWNLOADS}/{pdf.NAME}", page.url))
        self.math_characters |= mathml.math_characters(output)
        build = self.tutorials.get(page.file.src_uri)
        if build is not None:
            build.write_files(Path(page.file.abs_dest_path).parent)
            self.assets.page_classes.update(css_purge.classes_in(output))
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        self.assets.write(site, self.math_characters, site_assets.extra_css(config), self.epoch)
        if self.printer:  # last: it prints the pages as they are now, in the site
            figures: dict[str, bytes] = {}
            for build in self.tutorials.values():
                figures.update(build.print_figures())
            pdf.write_pdf(
                site, self.course, self.printer, config.site_description, self.epoch or 0, figures
            )
        log.info(
            "annlab: tutorials executed: %d, reused from the cache: %d",
            self.site.executed,
            self.site.reused,
        )
        if self.api_replay is not None:
            log.info(
                "annlab: API pages rendered: %d, replayed from memory: %d",
                self.api_replay.rendered,
                self.api_replay.replayed,
            )
        if self.recall is not None:
            self.recall.keep_only(self.memo.used)
        if self.config.prune_cache and not self.dirty:
            removed = self.memo.prune()
            if removed:
                log.info("annlab: removed %d cache entries this build did not use", len(removed))
