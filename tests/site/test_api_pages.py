"""The generated API reference, built strictly from a package laid out in subpackages.

annlab is moving from flat modules to subpackages with private modules inside; this
builds a small package of that shape with the real configuration, so the pages, their
nav, the links from a tutorial (code and prose) and the "Used on" notes are proven
against it, and the strict build shows the generated pages raise no warning.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from tests.site.conftest import build_site, small_project

pytestmark = [pytest.mark.site]

PACKAGE = {
    "__init__.py": '"""A fake annlab laid out in subpackages."""\n',
    "_checks.py": '"""Private checks."""\n\n\ndef check(x: int) -> int:\n    """Check."""\n'
    "    return x\n",
    "data.py": '"""Seeded toy data sets: clusters."""\n\n\ndef qwerties() -> int:\n'
    '    """The qwerties."""\n    return 1\n',
    "plots/__init__.py": '"""Figures: every plot of the pages."""\n',
    "plots/_style.py": '"""Private style."""\n\n\ndef style() -> None:\n    """Style."""\n',
    "plots/surfaces.py": '"""Figures over the plane: heatmaps."""\n\n'
    "from annlab._checks import check\n\n\n"
    'def heatmap(n: int) -> int:\n    """A heatmap of ``n``."""\n    return check(n)\n',
}
TUTORIAL = """\
# %% [markdown]
# # Surfaces
#
# `heatmap` draws, `annlab.data.qwerties()` is data, `check` is private,
# and [`heatmap`](../../api/plots/surfaces/#annlab.plots.surfaces.heatmap) is typed.

# %%
from annlab.plots.surfaces import heatmap

print(heatmap(3))
"""


def _project(tmp_path: Path, api_nav: bool = True) -> Path:
    """A site of one tutorial and the generated API reference of the fake package."""
    for name, text in PACKAGE.items():
        path = tmp_path / "annlab" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    project = small_project(tmp_path, {"01_surfaces.py": TUTORIAL})
    config = yaml.safe_load(project.read_text(encoding="utf-8"))
    (tmp_path / "docs" / "api").mkdir()
    (tmp_path / "docs" / "api" / "index.md").write_text("# API reference\n")
    if api_nav:
        config["nav"].append({"API reference": ["api/index.md"]})
    real = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    mkdocstrings = next(p for p in real["plugins"] if "mkdocstrings" in str(p))
    mkdocstrings["mkdocstrings"]["handlers"]["python"]["paths"] = [str(tmp_path)]
    plugins = [p for p in config["plugins"] if p != "annlab" and "annlab" not in p]
    annlab = next(p for p in config["plugins"] if isinstance(p, dict) and "annlab" in p)
    annlab["annlab"]["api_reference"] = True
    config["plugins"] = [*plugins, mkdocstrings, annlab]
    project.write_text(yaml.safe_dump(config), encoding="utf-8")
    return project


def _build(tmp_path: Path, project: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "ANNLAB_PAGE_CACHE": str(tmp_path / "cache"),
        "ANNLAB_SOURCE_DIR": str(tmp_path / "annlab"),
        "PYTHONPATH": str(tmp_path),  # the page's kernel imports the fake package
    }
    return build_site(project, tmp_path / "site", env)


def test_generated_api_pages_build_strictly_and_link_both_ways(tmp_path: Path) -> None:
    project = _project(tmp_path)
    site = tmp_path / "site"
    result = _build(tmp_path, project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    assert (site / "api/data/index.html").exists()
    surfaces = (site / "api/plots/surfaces/index.html").read_text(encoding="utf-8")
    assert 'id="annlab.plots.surfaces.heatmap"' in surfaces
    assert not list(site.glob("api/**/_*")), "private modules get no page"
    soup = BeautifulSoup(surfaces, "html.parser")
    assert soup.title is not None and soup.title.get_text().startswith("Figures over the plane")
    nav = soup.select_one("nav.md-nav--primary")
    assert nav is not None
    assert "Seeded toy data sets" in nav.get_text(), "a top-level module"
    assert "Figures" in nav.get_text(), "the subpackage's section, from its docstring"
    entry = soup.find(id="annlab.plots.surfaces.heatmap")
    assert entry is not None
    used_on = entry.find_next("p", class_="annlab-used-on")
    assert used_on is not None and "Surfaces" in used_on.get_text()

    page = BeautifulSoup(
        (site / "tutorials/01_surfaces/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    links = {(a.get_text(), a["href"]) for a in page.select("a.annlab-api-link")}
    heatmap = "../../api/plots/surfaces/#annlab.plots.surfaces.heatmap"
    assert ("heatmap", heatmap) in links, "in the code and in the prose"
    assert ("annlab.data.qwerties()", "../../api/data/#annlab.data.qwerties") in links
    assert not [text for text, _ in links if text == "check"], "private names stay plain"
    prose = page.select(f'.jp-MarkdownCell a[href="{heatmap}"]')
    assert len(prose) == 2, "the backquoted name and the typed link, each linked once"
    assert not page.select("a a"), "no link inside a link"


def test_a_hand_written_api_page_or_a_missing_api_section_stops_the_build(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    project = _project(tmp_path / "a")
    (tmp_path / "a" / "docs" / "api" / "data.md").write_text("# Data\n\n::: annlab.data\n")
    result = _build(tmp_path / "a", project)
    assert result.returncode != 0
    assert "api/data.md is generated; delete the hand-written one" in result.stderr

    (tmp_path / "b").mkdir()
    result = _build(tmp_path / "b", _project(tmp_path / "b", api_nav=False))
    assert result.returncode != 0
    assert "nav has no section listing api/index.md" in result.stderr
