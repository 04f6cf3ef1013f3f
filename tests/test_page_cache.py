"""The page cache: reused when nothing changed, re-executed exactly when something did."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_site, small_project

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]

PAGE = """\
# %% [markdown]
# # Page {n}

# %%
print("page {n} says", {value})
"""


def _counts(output: str) -> tuple[int, int]:
    found = re.search(r"tutorials executed: (\d+), reused from the cache: (\d+)", output)
    assert found, output
    return int(found.group(1)), int(found.group(2))


def test_cache_reuses_and_invalidates_exactly(tmp_path: Path) -> None:
    library = tmp_path / "annlab-copy"
    shutil.copytree(ROOT / "annlab", library)
    env = {"ANNLAB_PAGE_CACHE": str(tmp_path / "cache"), "ANNLAB_SOURCE_DIR": str(library)}
    pages = {"01_a.py": PAGE.format(n=1, value=1), "02_b.py": PAGE.format(n=2, value=2)}
    project = small_project(tmp_path, pages)

    def build() -> tuple[int, int]:
        result = build_site(project, tmp_path / "site", env)
        assert result.returncode == 0, result.stderr
        return _counts(result.stdout + result.stderr)

    assert build() == (2, 0), "a cold build executes every page"
    assert build() == (0, 2), "nothing changed: nothing executes"

    (tmp_path / "docs/tutorials/02_b.py").write_text(PAGE.format(n=2, value=3))
    assert build() == (1, 1), "editing one page re-executes that page only"
    html = (tmp_path / "site/tutorials/02_b/index.html").read_text(encoding="utf-8")
    assert "page 2 says 3" in html

    (library / "neuron.py").write_text((library / "neuron.py").read_text() + "\n# touched\n")
    assert build() == (2, 0), "a change in annlab re-executes the pages"

    shutil.rmtree(tmp_path / "cache")
    assert build() == (2, 0), "the cache is safe to delete"
