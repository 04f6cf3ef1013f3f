"""The page cache: reused when nothing changed, re-executed exactly when something did."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.site.conftest import ROOT, build_site, small_project

pytestmark = [pytest.mark.site]

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
    pages = list((tmp_path / "cache").glob("page-*.json"))
    assert len(pages) == 2, "the entry of the page as it was is pruned after the build"
    assert not [p for p in pages if "page 2 says 2" in p.read_text(encoding="utf-8")]

    title = "# # Page 2"
    prose = PAGE.format(n=2, value=3).replace(title, title + "\n#\n# It says {{ 1 + 1 }}.")
    (tmp_path / "docs/tutorials/02_b.py").write_text(prose)
    assert build() == (1, 1), "a new placeholder is code to run: the page runs again"
    (tmp_path / "docs/tutorials/02_b.py").write_text(prose.replace("It says", "It now says"))
    assert build() == (0, 2), "an edit of the prose alone reuses the earlier run"
    html = (tmp_path / "site/tutorials/02_b/index.html").read_text(encoding="utf-8")
    assert "It now says 2." in html and "page 2 says 3" in html, "new prose, old outputs"
    code = prose.replace("It says", "It now says").replace("page 2 says", "page two says")
    (tmp_path / "docs/tutorials/02_b.py").write_text(code)
    assert build() == (1, 1), "an edit of the code runs the page again"
    html = (tmp_path / "site/tutorials/02_b/index.html").read_text(encoding="utf-8")
    assert "page two says 3" in html

    touched = library / "by_hand" / "neuron.py"  # a module inside a subpackage
    touched.write_text(touched.read_text() + "\n# touched\n")
    assert build() == (2, 0), "a change in annlab re-executes the pages"

    shutil.rmtree(tmp_path / "cache")
    assert build() == (2, 0), "the cache is safe to delete"


def test_search_entries_are_replayed_from_the_memo(tmp_path: Path) -> None:
    """The search plugin's parse is memoised (annlab_site/upstream.py): a rebuild writes
    the same index, and what it writes does come from the memo."""
    project = small_project(tmp_path, {"01_a.py": PAGE.format(n=1, value=1)}, search_memo=True)
    cache = tmp_path / "cache"
    index = tmp_path / "site/search/search_index.json"

    def build() -> str:
        result = build_site(project, tmp_path / "site", {"ANNLAB_PAGE_CACHE": str(cache)})
        assert result.returncode == 0, result.stderr
        return index.read_text(encoding="utf-8")

    cold = build()
    assert '"title":"Page 1' in cold
    assert "page 1 says" not in cold, "printed output is not indexed (annlab_site/upstream.py)"
    memos = sorted(cache.glob("search-*.json"))
    assert len(memos) == 2, "one memo per page (home and the tutorial)"
    # The tutorial's rewrite prepared what the index reads (search_text.keep) from the
    # page it had parsed: what a parse of the published page gives, but for the blank
    # lines left where the rewrite removed scripts (the index reads no white space).
    from annlab_site import search_text

    (rewritten,) = cache.glob("rewritten-*.json")
    (prepared,) = cache.glob("searchable-*.json")
    published = json.loads(rewritten.read_text(encoding="utf-8"))["html"]
    words = json.loads(prepared.read_text(encoding="utf-8")).split()
    assert words == search_text.searchable(published).split()
    assert build() == cold, "the memo gives the index a fresh parse gives"
    assert sorted(cache.glob("search-*.json")) == memos, "no page was parsed again"

    tutorial = next(m for m in memos if "Page 1" in m.read_text(encoding="utf-8"))
    entries = json.loads(tutorial.read_text(encoding="utf-8"))
    entries[0]["title"] = "replayed from the memo"
    tutorial.write_text(json.dumps(entries), encoding="utf-8")
    assert "replayed from the memo" in build()


def test_prune_keeps_exactly_what_the_build_used(tmp_path: Path) -> None:
    from annlab_site.memo import Memo

    old = Memo(tmp_path)
    old.store("page", "old", 1)
    old.store("page", "kept", 2)
    old.write_text("notebook-kept.css", "a{}")
    (tmp_path / "wheel-old").mkdir()
    (tmp_path / "page-x.123.partial").write_text("another build is writing this")

    build = Memo(tmp_path)
    assert build.load("page", "kept") == 2
    build.keep("notebook-kept.css")
    assert build.prune() == ["page-old.json", "wheel-old"]
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["notebook-kept.css", "page-kept.json", "page-x.123.partial"]


def test_serve_rebuilds_show_a_prose_edit_without_a_run_and_rerun_a_code_edit(
    tmp_path: Path,
) -> None:
    """``mkdocs serve`` (as ``python3 dev.py serve`` starts it): says once what it skips,
    shows a prose edit from the earlier run, and runs the page again for a code edit;
    the pages it keeps from memory (tutorials, API pages, the inventory) are the pages a
    build writes. Times nothing (``benchmarks/bench_serve.py`` does)."""
    import socket
    import subprocess
    import threading
    import time
    import urllib.error
    import urllib.request

    from tests.site.conftest import BIN, mkdocs_env

    source = PAGE.format(n=1, value=1).replace("# # Page 1", "# # Page 1\n#\n# First words.")
    other = PAGE.format(n=2, value=2).replace("# # Page 2", "# # Page 2\n#\n# Math: $x^2$.")
    project = small_project(tmp_path, {"01_a.py": source, "02_b.py": other}, api_reference=True)
    (tmp_path / "docs/index.md").write_text("# Home\n\nA formula, $a + b$.\n")
    page = tmp_path / "docs/tutorials/01_a.py"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**mkdocs_env(), "ANNLAB_PAGE_CACHE": str(tmp_path / "cache")}
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--strict", "-f", str(project), "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(server.stderr or []), daemon=True)
    reader.start()

    def served_bytes(path: str) -> bytes:
        try:
            url = f"http://127.0.0.1:{port}/{path}"
            with urllib.request.urlopen(url, timeout=10) as response:
                return bytes(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return b""

    def served(path: str = "tutorials/01_a/") -> str:
        return served_bytes(path).decode("utf-8")

    def wait_for(text: str) -> str:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and server.poll() is None:
            html = served()
            if text in html:
                return html
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never showed; serve said:\n{''.join(log)[-3000:]}")

    try:
        wait_for("page 1 says 1")
        first = len(log)
        page.write_text(source.replace("First words.", "First words, edited."))
        html = wait_for("First words, edited.")
        assert "page 1 says 1" in html, "the earlier run's output under the new prose"
        rebuild = "".join(log[first:])
        assert "reused the run of tutorials/01_a.py under its new prose" in rebuild
        assert "executed tutorials/01_a.py" not in rebuild, "a prose edit runs nothing"
        assert re.search(r"API pages rendered: 0, replayed from memory: [1-9]", rebuild)
        built = build_site(
            project, tmp_path / "site", {"ANNLAB_PAGE_CACHE": env["ANNLAB_PAGE_CACHE"]}
        )
        assert built.returncode == 0, built.stderr
        assert "replayed" not in built.stderr, "a build renders every API page"
        api_pages = [
            f"{path.parent.relative_to(tmp_path / 'site').as_posix()}/"
            for path in sorted((tmp_path / "site/api").glob("*/**/index.html"))
        ]
        assert len(api_pages) > 10, api_pages
        for path in ["tutorials/01_a/", "tutorials/02_b/", "", *api_pages]:
            article = re.compile(r"<article.*</article>", re.DOTALL)
            written = (tmp_path / "site" / path / "index.html").read_text(encoding="utf-8")
            assert article.findall(written), path
            assert article.findall(served(path)) == article.findall(written), path
        inventory = (tmp_path / "site/objects.inv").read_bytes()
        assert served_bytes("objects.inv") == inventory, "the API entries' inventory"

        second = len(log)
        page.write_text(source.replace("page 1 says", "page one says"))
        wait_for("page one says 1")
        assert "executed tutorials/01_a.py" in "".join(log[second:]), "a code edit runs"
    finally:
        server.terminate()
        server.wait(timeout=60)
        reader.join(timeout=10)
    said = "".join(log)
    assert said.count("annlab: serve does not print the PDF edition") == 1, said
    assert "ERROR" not in said and "WARNING" not in said, said


def test_build_says_nothing_of_serve(tmp_path: Path) -> None:
    """What serve skips is said by serve only: a build's output never mentions it."""
    project = small_project(tmp_path, {"01_a.py": PAGE.format(n=1, value=1)})
    result = build_site(project, tmp_path / "site", {"ANNLAB_PAGE_CACHE": str(tmp_path / "c")})
    assert result.returncode == 0, result.stderr
    assert "serve" not in result.stdout + result.stderr
