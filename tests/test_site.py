"""The site builds strictly, offline, and a failing tutorial cell stops the build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, TUTORIALS, build_site, small_project

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]


def test_every_tutorial_becomes_a_page(built_site: Path) -> None:
    for tutorial in TUTORIALS:
        page = built_site / "tutorials" / tutorial.stem / "index.html"
        assert page.exists(), f"{tutorial.name} has no page"
        assert (page.parent / tutorial.name).exists(), "the source is offered for download"


def test_pages_reference_nothing_outside_the_site(built_site: Path) -> None:
    remote = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*?(?:src|href)=["'](?:https?:)?//""")
    for page in built_site.rglob("*.html"):
        found = remote.findall(page.read_text(encoding="utf-8"))
        assert not found, f"{page.relative_to(built_site)} loads remote resources: {found}"


def test_katex_is_served_by_the_site(built_site: Path) -> None:
    assert (built_site / "assets/katex/katex.min.js").stat().st_size > 100_000
    fonts = list((built_site / "assets/katex/fonts").glob("*.woff2"))
    assert len(fonts) >= 15


def test_api_reference_has_a_page_per_module(built_site: Path) -> None:
    modules = [p.stem for p in (ROOT / "annlab").glob("*.py") if not p.stem.startswith("_")]
    for module in modules:
        page = built_site / "api" / module / "index.html"
        assert page.exists(), f"annlab.{module} has no API page"
        assert f'id="annlab.{module}' in page.read_text(encoding="utf-8")


BAD_PAGE = """\
# %% [markdown]
# # A page with a bug

# %%
x = 1

# %%
y = x / 0
"""


def test_a_failing_cell_fails_the_build_and_names_page_and_cell(tmp_path: Path) -> None:
    project = small_project(tmp_path, {"01_bad.py": BAD_PAGE})
    result = build_site(project, tmp_path / "site", {"ANNLAB_PAGE_CACHE": str(tmp_path / "c")})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "tutorials/01_bad.py" in output
    assert "code cell 2" in output and "ZeroDivisionError" in output
    assert not (tmp_path / "site" / "tutorials" / "01_bad" / "index.html").exists()
