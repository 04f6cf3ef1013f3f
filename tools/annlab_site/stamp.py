"""The line that ends every tutorial page: what it ran with, how long, its downloads.

Written once as data (:class:`Stamp`) and rendered from it (:meth:`Stamp.html`); the
snapshot takes the profile from the same :class:`~annlab_site.page_run.NumericProfile`
the stamp names, so nothing reads the line back out of the HTML.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass

DOWNLOADS = "downloads"  # the annlab wheel of the commit being built, for the pages' code
STAMPED_PACKAGES = ("annlab", "torch", "numpy")
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


def wheel_name() -> str:
    """The file name of the annlab wheel the site serves under ``DOWNLOADS``."""
    version = importlib.metadata.version("annlab")
    return f"annlab-{version}-py3-none-any.whl"


def installed_versions() -> tuple[tuple[str, str], ...]:
    """(package, version) of each package the stamp names, installed now."""
    return tuple((name, importlib.metadata.version(name)) for name in STAMPED_PACKAGES)


@dataclass(frozen=True)
class Stamp:
    """What a tutorial page ran with and offers to download."""

    versions: tuple[tuple[str, str], ...]  # (package, version), as the line names them
    profile: str  # the numeric profile it ran under, described
    seconds: float  # how long its run took (from the cache when it was reused)
    stem: str  # the page's file name without .py: its downloads are <stem>.ipynb, .py
    wheel: str  # the annlab wheel's URL, relative to the page

    def html(self) -> str:
        """The stamp as the page shows it, after its last cell."""
        versions = ", ".join(f"{name} {version}" for name, version in self.versions)
        return (
            f'<p class="annlab-stamp" data-search-exclude>Executed with {versions}, '
            f"numeric profile {self.profile}, in "
            f'<span class="annlab-run-seconds">{self.seconds:.1f}</span>&nbsp;s. '
            f'Download: <a href="{self.stem}.ipynb" download>notebook (.ipynb)</a> · '
            f'<a href="{self.stem}.py" download>script (.py)</a>. To run them on Linux, '
            "install PyTorch's CPU-only build first (the default index's Linux wheels "
            "bundle CUDA, gigabytes this course does not use), "
            f'<code class="annlab-install-torch">{TORCH_CPU_LINE}</code>; on macOS and '
            "Windows the default index is already CPU-only. Then this annlab: "
            f'<code class="annlab-install" data-wheel="{self.wheel}">'
            f"pip install {self.wheel}</code>"
            f"<script>{INSTALL_LINE}</script> "
            f'(<a href="{self.wheel}" download>the wheel</a>)</p>'
        )
