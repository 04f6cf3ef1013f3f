"""The plugin's settings, as ``plugins: - annlab: ...`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class AnnlabConfig(base.Config):
    """Where the package and the tutorials are, and which parts of the plugin run."""

    project = c.Type(str, default=".")
    """The annlab project (its ``pyproject.toml``, package and cache), relative to
    mkdocs.yml."""
    library = c.Type(str, default="annlab")
    """The package's source folder, relative to ``project``: the wheel the site serves
    is built from it."""
    source_dir = c.Type(str, default="")
    """The annlab sources the pages are keyed on and the API pages generated from, if not
    ``library`` (absolute, or relative to ``project``). mkdocs.yml sets it from
    ``$ANNLAB_SOURCE_DIR`` (``!ENV``): the cache tests edit a copy."""
    tutorials = c.Type(str, default="tutorials/")
    """Where the executed pages are in ``docs_dir``: the ``.py`` files under it."""
    cache_dir = c.Type(str, default=".cache/pages")
    """The page cache, absolute or relative to ``project``. mkdocs.yml sets it from
    ``$ANNLAB_PAGE_CACHE`` (``!ENV``) when that is set: the tests give each build its own."""
    prune_cache = c.Type(bool, default=True)
    """Delete cache entries a whole build did not use (never after a ``--dirty`` build)."""
    page_workers = c.Type(int, default=0)
    """Kernels run at once in a cold build; 0: one per core. mkdocs.yml sets it from
    ``$ANNLAB_PAGE_WORKERS`` (``!ENV``) when that is set."""
    run_first = c.ListOfItems(c.Type(str), default=[])
    """Tutorials (paths under ``docs/``) that take longest to run: a cold build starts
    them first and the rest in nav order, so that the kernels finish together instead
    of one running the longest page alone at the end. A path naming no page fails."""
    api_reference = c.Type(bool, default=True)
    """Generate a page per public module under ``api_dir``, and its nav."""
    api_dir = c.Type(str, default="api")
    """Where the API pages go in the site; its ``index.md`` is written by hand."""
    temml = c.Type(str, default="docs/assets/temml/temml.min.js")
    """The Temml that writes the pages' math as MathML at build time, relative to
    ``project`` (not served)."""
    math_font = c.Type(str, default="docs/assets/temml/STIXTwoMath-full.woff2")
    """The math font (WOFF2 with a MATH table), relative to ``project``: the build serves
    it cut to the characters the formulas use, as ``assets/temml/STIXTwoMath.woff2``."""
    pdf = c.Type(bool, default=True)
    """Print the home page and the tutorials as one PDF (``downloads/annlab-course.pdf``,
    linked from those pages) with Chromium; never under ``mkdocs serve``
    (``annlab_site/pdf.py``)."""
    search_memo = c.Type(bool, default=True)
    """Replay the search plugin's entries of pages that did not change."""
