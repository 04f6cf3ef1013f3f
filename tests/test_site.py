"""The site builds strictly, offline, and a failing tutorial cell stops the build."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, TUTORIALS, build_site

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


def _failing_project(tmp_path: Path) -> Path:
    """A copy of our configuration with one tutorial whose second code cell raises."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = tmp_path / "docs"
    (docs / "tutorials").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    (docs / "tutorials" / "01_bad.py").write_text(textwrap.dedent("""\
        # %% [markdown]
        # # A page with a bug

        # %%
        x = 1

        # %%
        y = x / 0
        """))
    config.update(
        docs_dir=str(docs), nav=[{"Home": "index.md"}, {"Bad": "tutorials/01_bad.py"}],
        hooks=[str(ROOT / "tools" / "site_hooks.py")], extra_css=[], extra_javascript=[],
        exclude_docs="", plugins=[p for p in config["plugins"] if "mkdocstrings" not in str(p)],
    )
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def test_a_failing_cell_fails_the_build_and_names_page_and_cell(tmp_path: Path) -> None:
    result = build_site(_failing_project(tmp_path), tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "tutorials/01_bad.py" in output
    assert "code cell 2" in output and "ZeroDivisionError" in output
    assert not (tmp_path / "site" / "tutorials" / "01_bad" / "index.html").exists()
