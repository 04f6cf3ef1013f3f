"""Two clean builds of the same tree give the same bytes, and dates follow SOURCE_DATE_EPOCH.

The second build starts from an empty site folder and an empty build memo, except for
the executed notebooks of the first build (the ``page-*`` entries of its memo,
``.cache/pages``): it replays those executions and does every other step again
(rendering the pages and their figures, the API reference, the search index, the
downloads, the wheel). So it proves all of that reproducible, and, in a fresh clone
where the first build executed every page, that replaying an execution gives the bytes
executing gives. That the executions themselves are seeded (the same digits, and
figures the same to the eye, every time) is proven against the committed snapshot,
across builds and machines, by ``tests/site/test_snapshot.py``; so each page's code runs once
per build here. What this no longer proves is that a second execution on the same
machine gives a figure's very bytes: the snapshot holds each figure to a fingerprint,
because another CPU's last bits change a few antialiased pixels.

The one difference allowed is by design: each tutorial page reports how long it took to
run, and wall-clock time differs between builds. That number sits in its own
``<span class="annlab-run-seconds">`` and only it is masked; likewise the digits printed by
cells tagged ``wall-clock`` (timings the pages measure on purpose). The search index is
compared unmasked: those timings are kept out of it (``annlab_site/upstream.py``).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import struct
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.site import snapshot
from tests.site.conftest import ROOT, build_site, small_project

pytestmark = [pytest.mark.site]

RUN_SECONDS = re.compile(rb'(<span class="annlab-run-seconds">)[0-9.]+(</span>)')


def _masked(path: Path) -> bytes:
    data = RUN_SECONDS.sub(rb"\1(masked)\2", path.read_bytes())
    if b"celltag_wall-clock" not in data:
        return data
    soup = BeautifulSoup(data.decode("utf-8"), "html.parser")
    for output in soup.select(".celltag_wall-clock .jp-OutputArea pre"):
        # Padding too: a right-aligned timing is wider when it takes longer.
        output.string = snapshot.mask_timings(output.get_text())
    return str(soup).encode("utf-8")


def test_two_clean_builds_are_byte_identical(built_site: Path, tmp_path: Path) -> None:
    second = tmp_path / "site"
    memo = Path(os.environ.get("ANNLAB_PAGE_CACHE") or ROOT / ".cache" / "pages")
    executions = tmp_path / "memo"
    executions.mkdir()
    for entry in memo.glob("page-*.json"):  # the executed notebooks, nothing else
        shutil.copy2(entry, executions / entry.name)
    result = build_site(ROOT / "mkdocs.yml", second, {"ANNLAB_PAGE_CACHE": str(executions)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "tutorials executed: 0," in result.stderr, "the second build replays the first's runs"
    first_files = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file())
    second_files = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert first_files == second_files
    different = [str(f) for f in first_files if _masked(built_site / f) != _masked(second / f)]
    masked = sum(
        len(RUN_SECONDS.findall((second / f).read_bytes()))
        for f in second_files
        if f.suffix == ".html"
    )
    print(
        f"\n{len(first_files)} files compared, {masked} run-time stamps masked, "
        f"{len(different)} different"
    )
    assert different == []


def test_dates_follow_source_date_epoch(tmp_path: Path) -> None:
    project = small_project(tmp_path, {"01_page.py": "# %% [markdown]\n# # A page\n"})
    epoch = 1_600_000_000
    result = build_site(
        project,
        tmp_path / "site",
        {"SOURCE_DATE_EPOCH": str(epoch), "ANNLAB_PAGE_CACHE": str(tmp_path / "c")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    header = (tmp_path / "site" / "sitemap.xml.gz").read_bytes()[:10]
    # gzip's MTIME field: MkDocs stamps the build's date, midnight UTC of SOURCE_DATE_EPOCH.
    assert struct.unpack("<I", header[4:8])[0] == epoch - epoch % 86_400
    assert gzip.decompress((tmp_path / "site" / "sitemap.xml.gz").read_bytes())


def test_properdocs_builds_the_same_site(tmp_path: Path) -> None:
    """The fallback if MkDocs 1.6 breaks (CONTRIBUTING, "What the site stands on"):
    ``python3 dev.py build --properdocs`` builds a site, page and all, that differs from
    MkDocs' own build only in the generator named in each page's ``<meta>``."""
    import subprocess
    import sys

    page = "# %% [markdown]\n# # A page\n#\n# With math, $x^2$.\n\n# %%\nprint(6 * 7)\n"
    project = small_project(tmp_path, {"01_page.py": page})
    env = {"SOURCE_DATE_EPOCH": "1600000000", "ANNLAB_PAGE_CACHE": str(tmp_path / "cache")}
    mkdocs = build_site(project, tmp_path / "mkdocs", env)
    assert mkdocs.returncode == 0, mkdocs.stderr[-3000:]
    where = ["-f", str(project), "-d", str(tmp_path / "properdocs")]
    properdocs = subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), "build", "--properdocs", *where],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert properdocs.returncode == 0, properdocs.stderr[-3000:]
    generator = re.compile(rb'<meta name="generator" content="[^"]*">')

    def files(site: Path) -> dict[str, bytes]:
        return {
            str(path.relative_to(site)): generator.sub(b"", path.read_bytes())
            for path in sorted(site.rglob("*"))
            if path.is_file()
        }

    ours, theirs = files(tmp_path / "mkdocs"), files(tmp_path / "properdocs")
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert b"ProperDocs" in (tmp_path / "properdocs" / "index.html").read_bytes()
