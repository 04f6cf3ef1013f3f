"""The site builds strictly, offline, and a failing tutorial cell stops the build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TUTORIALS, build_site, small_project

pytestmark = [pytest.mark.site]


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


OTHER_BAD_PAGE = """\
# %% [markdown]
# # Another page with a bug

# %%
import math

math.sqrt(-1)
"""


def test_failing_cells_fail_the_build_and_every_one_is_named(tmp_path: Path) -> None:
    good = "# %% [markdown]\n# # A good page\n\n# %%\nprint(1)\n"
    pages = {"01_bad.py": BAD_PAGE, "02_good.py": good, "03_bad.py": OTHER_BAD_PAGE}
    project = small_project(tmp_path, pages)
    site = tmp_path / "site"
    result = build_site(project, site, {"ANNLAB_PAGE_CACHE": str(tmp_path / "c")})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "2 tutorial page(s) failed" in output
    assert "tutorials/01_bad.py failed in code cell 2 (starting 'y = x / 0')" in output
    assert "ZeroDivisionError" in output
    assert "tutorials/03_bad.py failed in code cell 1" in output and "math domain error" in output
    assert not list(site.rglob("*.html")), "nothing is published from a failed build"


def test_tutorial_pages_carry_a_stamp_and_both_downloads(built_site: Path) -> None:
    import annlab

    sys.path.insert(0, str(ROOT / "tools"))
    import page_run

    profile = page_run.numeric_profile()
    for tutorial in TUTORIALS:
        folder = built_site / "tutorials" / tutorial.stem
        html = (folder / "index.html").read_text(encoding="utf-8")
        stamp = re.search(r'<p class="annlab-stamp"[^>]*>(.*?)</p>', html, re.DOTALL)
        assert stamp, f"{tutorial.name} has no stamp"
        assert f"annlab {annlab.__version__}" in stamp.group(1) and "torch 2." in stamp.group(1)
        assert re.search(r'annlab-run-seconds">\d+\.\d<', stamp.group(1))
        assert f"numeric profile {profile.describe()}," in stamp.group(1)
        assert f'href="{tutorial.stem}.ipynb"' in html and f'href="{tutorial.stem}.py"' in html
        assert (folder / tutorial.name).read_bytes() == tutorial.read_bytes()
        assert "cell-id=" not in html, "random cell ids make builds differ"


def test_downloaded_notebook_holds_the_pages_code(built_site: Path) -> None:
    import jupytext
    import nbformat

    for tutorial in TUTORIALS:
        path = built_site / "tutorials" / tutorial.stem / f"{tutorial.stem}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        code = [c.source for c in notebook.cells if c.cell_type == "code"]
        source = [c.source for c in jupytext.read(tutorial).cells if c.cell_type == "code"]
        assert code == source, f"{path.name} differs from {tutorial.name}"


def test_downloaded_notebook_runs(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One notebook run end to end as downloaded (the others hold the same code)."""
    import nbformat
    from nbclient import NotebookClient

    # A reader's Jupyter shows figures inline; the test command's MPLBACKEND=Agg would
    # reach the kernel and make plt.show() draw nothing.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    path = built_site / "tutorials" / "03_forward_pass" / "03_forward_pass.ipynb"
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    images = [o for c in notebook.cells for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert images, "the downloaded notebook draws its figures"


def test_code_names_link_to_the_api_and_the_api_lists_its_pages(built_site: Path) -> None:
    from urllib.parse import urljoin, urlparse

    from bs4 import BeautifulSoup

    checked = 0
    for tutorial in TUTORIALS:
        url = f"tutorials/{tutorial.stem}/"
        html = (built_site / url / "index.html").read_text(encoding="utf-8")
        links = BeautifulSoup(html, "html.parser").select("a.annlab-api-link")
        assert links, f"{tutorial.stem}: no annlab name in the code links to the API"
        for link in links:
            target = urlparse(urljoin(url, link["href"]))
            assert target.path.startswith("api/"), link["href"]
            api_html = (built_site / target.path / "index.html").read_text(encoding="utf-8")
            if target.fragment:
                assert f'id="{target.fragment}"' in api_html, link["href"]
                checked += 1
    print(f"\n{checked} links from code to API entries resolved")
    qwerties = (built_site / "api/data/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(qwerties, "html.parser")
    heading = soup.find(id="annlab.data.qwerties")
    assert heading is not None
    used_on = heading.find_next("p", class_="annlab-used-on")
    assert used_on is not None and "08_qwerties" in str(used_on)


def test_prose_numbers_reach_the_page_and_the_notebook_download(tmp_path: Path) -> None:
    page = ("# %% [markdown]\n# # Numbers\n\n# %%\nshare = 2 / 3\n\n"
            "# %% [markdown]\n# A share of {{ 100 * share:.1f }} %.\n")
    project = small_project(tmp_path, {"01_numbers.py": page})
    site = tmp_path / "site"
    result = build_site(project, site, {"ANNLAB_PAGE_CACHE": str(tmp_path / "c")})
    assert result.returncode == 0, result.stderr[-3000:]
    folder = site / "tutorials" / "01_numbers"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "A share of 66.7 %." in html and "{{" not in html
    # The notebook reads like the page; the script is the source, placeholders and all.
    assert "A share of 66.7 %." in (folder / "01_numbers.ipynb").read_text(encoding="utf-8")
    assert "{{ 100 * share:.1f }}" in (folder / "01_numbers.py").read_text(encoding="utf-8")
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "A share of 66.7 %." in index


def test_an_unknown_name_in_the_prose_fails_the_build_naming_page_and_cell(
    tmp_path: Path,
) -> None:
    page = "# %% [markdown]\n# # Numbers\n\n# %% [markdown]\n# Share: {{ shares }}.\n"
    project = small_project(tmp_path, {"01_numbers.py": page})
    result = build_site(project, tmp_path / "site", {"ANNLAB_PAGE_CACHE": str(tmp_path / "c")})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "tutorials/01_numbers.py failed in markdown cell 2" in output
    assert "NameError" in output and "shares" in output


def test_the_downloads_run_without_the_repository(
    built_site: Path, site_url: str, tmp_path: Path
) -> None:
    """A reader's own environment: a fresh virtual environment with the site's annlab
    wheel installed, and a notebook and a script downloaded from the served site, run
    outside any checkout. torch, numpy and matplotlib are lent from the test
    environment's site-packages by path (a .pth line): without its own .pth files, so
    the checkout's editable annlab is not importable there."""
    import json
    import sysconfig
    import urllib.request

    import nbformat
    from nbclient import NotebookClient

    reader = tmp_path / "reader"
    subprocess.run([sys.executable, "-m", "venv", str(reader)], check=True)
    python = reader / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "lent.pth").write_text(sysconfig.get_path("purelib") + "\n")
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["MPLBACKEND"] = "Agg"
    assert subprocess.run([str(python), "-c", "import annlab"], cwd=work, env=env,
                          capture_output=True).returncode != 0, "annlab leaks into the reader"

    page = built_site / "tutorials" / "03_forward_pass" / "index.html"
    wheel_href = re.search(r'class="annlab-install" data-wheel="([^"]+)"',
                           page.read_text("utf-8")).group(1)  # type: ignore[union-attr]
    base = f"{site_url}/tutorials/03_forward_pass/"
    wheel = work / Path(wheel_href).name
    for name, target in ((wheel_href, wheel), ("03_forward_pass.py", work / "page.py"),
                         ("03_forward_pass.ipynb", work / "page.ipynb")):
        with urllib.request.urlopen(base + name) as response:
            target.write_bytes(response.read())
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, env=env)  # fmt: skip
    where = subprocess.run([str(python), "-c", "import annlab; print(annlab.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(reader)), where.stdout

    script = subprocess.run([str(python), "page.py"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert script.returncode == 0, script.stderr[-3000:]

    # The notebook in the reader's own kernel: a kernelspec that starts their python.
    kernels = tmp_path / "jupyter" / "kernels" / "reader"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "reader", "language": "python"}))
    notebook = nbformat.read(work / "page.ipynb", as_version=4)
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(tmp_path / "jupyter")
    try:
        NotebookClient(notebook, timeout=300, kernel_name="reader",
                       resources={"metadata": {"path": str(work)}}).execute(env=env)
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = saved
    printed = "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []))
    assert "Traceback" not in printed and printed.strip()
