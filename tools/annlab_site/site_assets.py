"""The site-wide files the tutorial pages share, written after the pages: the annlab
wheel their code installs, the math font cut to the formulas' characters, and the
notebook stylesheet cut to the rules the pages use. Each is memoised in the page cache.
"""

from __future__ import annotations

import base64
import datetime
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from annlab_site import css_purge, mathml, rewrite
from annlab_site.memo import Memo, digest, library_sources
from annlab_site.stamp import DOWNLOADS, wheel_name

HERE = Path(__file__).resolve().parent


class SiteAssets:
    """What the pages of one build share, gathered as they are written."""

    def __init__(self, memo: Memo, root: Path, library: str, math_font: Path) -> None:
        self.memo = memo
        self.root = root  # the project, whose package folder is ``library``
        self.library = library
        self.math_font = math_font
        self.notebook_css: dict[str, str] = {}  # hash -> the stylesheet the pages inline
        self.page_classes: set[str] = set()  # every class the tutorial pages use

    def write(
        self, site: Path, math_characters: set[str], other_css: str, epoch: int | None
    ) -> None:
        """The wheel, the math font cut to ``math_characters`` and the notebook
        stylesheet (:meth:`write_notebook_css`), into ``site``; ``epoch``: the build's
        date (:func:`build_epoch`)."""
        source_date = "" if epoch is None else str(epoch)
        write_wheel(site, self.memo, self.root, self.library, source_date)
        write_math_font(site, self.memo, self.math_font, math_characters)
        self.write_notebook_css(site, other_css)

    def add_notebook_css(self, css: str) -> None:
        """The notebook stylesheet a tutorial inlined (nbconvert's; the same on every
        page, or the build fails)."""
        self.notebook_css[rewrite.css_key(css)] = css

    def write_notebook_css(self, site: Path, other_css: str) -> None:
        """The one notebook stylesheet the tutorials link to, cut to the rules they can
        use and the custom properties they (or ``other_css``, the site's own
        stylesheets, which may read the notebook's --jp-*) read: 590 KB of JupyterLab
        CSS was render-blocking on every tutorial (Lighthouse). Memoised: the parse
        takes half a second."""
        if len(self.notebook_css) > 1:
            raise PluginError("tutorial pages carry different notebook styles; expected one")
        for css in self.notebook_css.values():
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


def extra_css(config: MkDocsConfig) -> str:
    """The site's own stylesheets (``extra_css``), which may read the notebook's
    custom properties (--jp-*)."""
    docs = Path(config.docs_dir)
    return "".join(
        (docs / str(path)).read_text("utf-8")
        for path in config.extra_css
        if (docs / str(path)).is_file()
    )


def write_math_font(site: Path, memo: Memo, font: Path, characters: set[str]) -> None:
    """The math font cut to the characters the pages' formulas use (about 20 KB of
    its 400), beside math.css; memoised (the cut takes about a second)."""
    source = font.read_bytes()
    used = "".join(sorted(characters))
    key = digest(source, used, importlib.metadata.version("fonttools"))
    entry = memo.load("math-font", key)
    if entry is None:
        data = base64.b64encode(mathml.subset_font(source, used)).decode()
        entry = memo.store("math-font", key, data)
    target = site / "assets" / "temml" / mathml.FONT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(str(entry)))


def build_epoch(root: Path) -> int | None:
    """The build's date, in seconds since 1970: ``SOURCE_DATE_EPOCH`` if set, else the
    time of the commit checked out at ``root`` (None outside a git checkout). Every
    date the site holds comes from it (the sitemap's, the wheel's, the PDF's), so two
    builds of one commit give the same bytes."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "")
    if given.isdigit():
        return int(given)
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True
    )
    found = commit.stdout.strip()
    return int(found) if commit.returncode == 0 and found.isdigit() else None


def day(epoch: int) -> str:
    """The UTC day of ``epoch``, as MkDocs writes a page's date (2026-12-07)."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%d")


def write_wheel(site: Path, memo: Memo, root: Path, library: str, source_date: str) -> None:
    """The annlab wheel of the tree at ``root`` (its package folder ``library``), served
    beside the pages that use it.

    Built once per change of annlab's sources, pyproject.toml or the README (its
    long description, in the wheel's METADATA) (kept in the page cache); its dates
    come from ``source_date`` (SOURCE_DATE_EPOCH), so two builds give the same bytes.
    """
    key = digest(
        *library_sources(root / library),
        (root / "pyproject.toml").read_bytes(),
        (root / "README.md").read_bytes(),
        source_date,
        importlib.metadata.version("setuptools"),
    )
    stored = memo.keep(f"wheel-{key}") / wheel_name()
    if not stored.exists():
        with tempfile.TemporaryDirectory() as folder:
            # Built from a copy: pip builds in the source tree (setuptools' build/),
            # and two builds of one checkout at once (the test workers) collided
            # there ("File exists: build/bdist.../annlab-0.1.0.dist-info").
            source = Path(folder) / "source"
            shutil.copytree(
                root / library,
                source / library,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc"),
            )
            for name in ("pyproject.toml", "README.md"):
                shutil.copy2(root / name, source / name)
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
                env={**os.environ, "SOURCE_DATE_EPOCH": source_date} if source_date else None,
            )
            wheel = Path(folder) / wheel_name()
            if built.returncode != 0 or not wheel.exists():
                raise PluginError(f"could not build the annlab wheel:\n{built.stderr}")
            stored.parent.mkdir(parents=True, exist_ok=True)
            partial = stored.with_suffix(f".{os.getpid()}.partial")
            partial.write_bytes(wheel.read_bytes())
            partial.replace(stored)
    (site / DOWNLOADS).mkdir(parents=True, exist_ok=True)
    (site / DOWNLOADS / wheel_name()).write_bytes(stored.read_bytes())
