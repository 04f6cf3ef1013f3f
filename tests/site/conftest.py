"""The site tests' fixtures: the built site, a local HTTP server for it, and the browser;
and their helpers: small sites built with our plugin, the tutorials, mkdocs.yml's settings."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

TUTORIALS = sorted((ROOT / "docs" / "tutorials").glob("[0-9][0-9]_*.py"))


class EnvTag(list):  # type: ignore[type-arg]
    """mkdocs.yml's ``!ENV [NAME, default]``, kept as it is when a test loads mkdocs.yml
    with PyYAML's safe loader and writes it back (the build reads the variable)."""


def _yaml_with_env_tags() -> None:
    import yaml

    yaml.SafeLoader.add_constructor(
        "!ENV", lambda loader, node: EnvTag(loader.construct_sequence(node))
    )
    yaml.SafeDumper.add_representer(
        EnvTag, lambda dumper, value: dumper.represent_sequence("!ENV", list(value))
    )


_yaml_with_env_tags()


@functools.cache
def removed_cell_tags() -> frozenset[str]:
    """The cell tags mkdocs.yml has mkdocs-jupyter leave off the pages (such cells run
    but are not shown), as the plugin reads them."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    jupyter = next(p["mkdocs-jupyter"] for p in config["plugins"] if "mkdocs-jupyter" in p)
    return frozenset(jupyter["remove_tag_config"]["remove_cell_tags"])


BIN = Path(sys.executable).parent


def mkdocs_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def build_site(
    config: Path, site_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` and return the finished process."""
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent,
        env={**mkdocs_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
    )


def small_project(
    tmp_path: Path,
    tutorials: dict[str, str],
    *,
    search_memo: bool = False,
    api_reference: bool = False,
    **annlab: object,
) -> Path:
    """A site with our configuration and plugin but only the given tutorial sources (no
    PDF; the API reference and the search memo only when asked; other settings of the
    annlab plugin as keywords)."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    real = next(p["annlab"] for p in config["plugins"] if isinstance(p, dict) and "annlab" in p)
    # What the tests set per build through the environment ($ANNLAB_PAGE_CACHE, ...).
    from_env = {name: value for name, value in real.items() if isinstance(value, EnvTag)}
    settings = {
        "project": str(ROOT),
        "api_reference": api_reference,
        "search_memo": search_memo,
        "pdf": False,  # printing is tested on the whole site (tests/site/test_pdf.py)
    }
    settings.update(from_env)
    settings.update(annlab)

    def is_annlab(plugin: object) -> bool:
        return plugin == "annlab" or (isinstance(plugin, dict) and "annlab" in plugin)

    plugins = [{"annlab": settings} if is_annlab(p) else p for p in config["plugins"]]
    docs = tmp_path / "docs"
    (docs / "tutorials").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Home\n")
    for name, source in tutorials.items():
        (docs / "tutorials" / name).write_text(source)
    nav: list[object] = [{"Home": "index.md"}] + [{n: f"tutorials/{n}"} for n in tutorials]
    if api_reference:
        (docs / "api").mkdir(exist_ok=True)
        (docs / "api" / "index.md").write_text("# API reference\n")
        nav.append({"API reference": ["api/index.md"]})
    config.update(
        docs_dir=str(docs),
        nav=nav,
        extra_css=[],
        extra_javascript=[],
        exclude_docs="",
        plugins=[p for p in plugins if api_reference or "mkdocstrings" not in str(p)],
    )
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, built once per test run with ``mkdocs build --strict``.

    Under pytest-xdist every worker asks for it: the first builds it into the run's
    shared temporary folder while the others wait on a lock, then all read the same
    files, so the site tests can spread over the workers. A failed build is recorded
    and every test that needs the site fails with its output (no worker builds twice).

    ``ANNLAB_BUILT_SITE=path`` reuses a site built beforehand (for quick iterations
    on the site tests; the full suite always builds its own).
    """
    prebuilt = os.environ.get("ANNLAB_BUILT_SITE")
    if prebuilt:
        return Path(prebuilt)
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    site, failure = shared / "built-site", shared / "built-site-failed.txt"
    with FileLock(str(shared / "built-site.lock")):
        if not failure.exists() and not (site / "index.html").exists():
            result = build_site(ROOT / "mkdocs.yml", site)
            if result.returncode != 0:
                failure.write_text(f"{result.stdout}\n{result.stderr}", encoding="utf-8")
    if failure.exists():
        pytest.fail(f"mkdocs build --strict failed:\n{failure.read_text(encoding='utf-8')}")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a free port), as a reader's browser sees it."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("ANNLAB_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (Playwright cannot download its own here)."""
    executable = chromium_path()
    if executable is None:
        message = (
            "Chromium not found: install it with `apt-get install -y chromium` "
            "(python3 dev.py setup does this when it can) or set ANNLAB_CHROMIUM"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from annlab_site.pdf import CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=list(CHROMIUM_ARGS),
        )
        yield launched
        launched.close()
