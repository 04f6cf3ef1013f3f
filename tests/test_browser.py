"""The built site in a real Chromium: every page loads, renders its math, shows its
figures, logs no errors and asks nothing of any host but the local server."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]


def _pages(built_site: Path) -> list[str]:
    found = built_site.rglob("index.html")
    pages = sorted(p.relative_to(built_site).parent.as_posix() for p in found)
    return [p + "/" if p != "." else "" for p in pages]


@pytest.fixture(scope="module")
def page_reports(browser: Any, built_site: Path, site_url: str) -> dict[str, dict[str, Any]]:
    """Load every page once and record what a reader's browser saw."""
    reports: dict[str, dict[str, Any]] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    for path in _pages(built_site):
        page = context.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.on("request", lambda r, q=requests: q.append(r.url))
        response = page.goto(f"{site_url}/{path}", wait_until="networkidle")
        page.wait_for_function("() => document.readyState === 'complete'")
        content = page.locator("article.md-content__inner")
        reports[path] = {
            "status": response.status if response else None,
            "errors": errors,
            "requests": requests,
            "text": content.inner_text(),
            "katex": page.locator("article .katex").count(),
            "katex_errors": page.locator("article .katex-error").count(),
            "images": page.eval_on_selector_all(
                "article .jp-OutputArea img",
                "els => els.map(e => ({w: e.naturalWidth, h: e.naturalHeight, alt: e.alt}))",
            ),
        }
        page.close()
    context.close()
    return reports


def test_every_page_loads(page_reports: dict[str, dict[str, Any]]) -> None:
    assert len(page_reports) >= 3
    for path, report in page_reports.items():
        assert report["status"] == 200, path


def test_no_console_errors(page_reports: dict[str, dict[str, Any]]) -> None:
    for path, report in page_reports.items():
        assert report["errors"] == [], f"{path}: {report['errors']}"


def test_zero_requests_outside_the_local_server(page_reports: dict[str, dict[str, Any]]) -> None:
    outside = [
        url
        for report in page_reports.values()
        for url in report["requests"]
        if urlparse(url).scheme not in ("data", "blob") and urlparse(url).hostname != "127.0.0.1"
    ]
    total = sum(len(r["requests"]) for r in page_reports.values())
    print(f"\nbrowser requests recorded: {total}; outside the local server: {len(outside)}")
    assert outside == []


def test_math_is_rendered_by_katex(page_reports: dict[str, dict[str, Any]]) -> None:
    for path, report in page_reports.items():
        text = report["text"]
        assert "$$" not in text and "\\(" not in text and "\\[" not in text, path
        assert report["katex_errors"] == 0, path
        if path.startswith("tutorials/"):
            assert report["katex"] > 0, f"{path} shows no rendered formula"


def test_figures_load_with_alt_text(page_reports: dict[str, dict[str, Any]]) -> None:
    for path, report in page_reports.items():
        if path.startswith("tutorials/"):
            assert report["images"], f"{path} shows no figure"
        for image in report["images"]:
            assert image["w"] > 0 and image["h"] > 0, path
            assert len(image["alt"]) > 20, f"{path}: a figure has no real alt text"


AXE_SCRIPT = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(
    browser: Any, built_site: Path, site_url: str, scheme: str
) -> None:
    """axe-core on every page, in Material's light and dark palettes."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found: list[str] = []
    counts = {"minor": 0, "moderate": 0, "serious": 0, "critical": 0}
    for path in _pages(built_site):
        page.goto(f"{site_url}/{path}", wait_until="networkidle")
        # Final layout: fonts loaded, then two frames for the pages' resize observers.
        page.evaluate("async () => { await document.fonts.ready; for (const i of [1, 2]) "
                      "await new Promise(r => requestAnimationFrame(r)); }")
        page.add_script_tag(path=str(AXE_SCRIPT))
        violations = page.evaluate("async () => (await axe.run(document)).violations")
        for violation in violations:
            counts[violation["impact"] or "minor"] += 1
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"][:3]]
                rule, impact = violation["id"], violation["impact"]
                found.append(f"{path or 'home'}: {rule} ({impact}) {targets}")
    context.close()
    print(f"\naxe ({scheme}): {counts}")
    assert not found, "\n".join(found)


def test_search_works_offline_and_finds_each_tutorial(
    browser: Any, built_site: Path, site_url: str
) -> None:
    import jupytext

    from tests.conftest import TUTORIALS

    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
    # Material logs a query that Lunr failed on ("Invalid query: co") and shows no result;
    # typing each title queries all its prefixes, so every one of them must work.
    failed: list[str] = []
    page.on("console", lambda m: failed.append(m.text) if "Invalid query" in m.text else None)
    for tutorial in TUTORIALS:
        title = jupytext.read(tutorial).cells[0].source.splitlines()[0].lstrip("# ")
        words = title.split(". ", 1)[-1]
        page.goto(f"{site_url}/", wait_until="networkidle")
        # The index loads in a web worker: type only once it is ready.
        page.wait_for_function(
            "() => document.querySelector('.md-search-result__meta')"
            "?.textContent.includes('Type to start')"
        )
        page.locator("label.md-search__icon, .md-search__input").first.click()
        # Material searches on key events: type like a reader (fill() fires none).
        page.locator("input.md-search__input").press_sequentially(words)
        result = page.locator(f'.md-search-result__item a[href*="{tutorial.stem}"]').first
        result.wait_for(timeout=10_000)
    context.close()
    assert outside == []
    assert failed == []


def _background_lightness(png: bytes) -> float:
    """Median lightness (0-255) of a figure's outer frame, 3 px wide: its background."""
    import io
    import statistics

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    frame = [image.getpixel((x, y)) for x in range(width) for y in (0, 1, 2, height - 1)]
    frame += [image.getpixel((x, y)) for y in range(height) for x in (0, 1, 2, width - 1)]
    return float(statistics.median(frame))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figures_follow_the_colour_scheme(
    browser: Any, built_site: Path, site_url: str, scheme: str, tmp_path: Path
) -> None:
    """Every tutorial page shot whole in both schemes (kept in $ANNLAB_SHOTS if set, to look
    at); each figure is light on the light page and dark on the dark one (except colour
    maps, tagged keep-colours, which stay as drawn)."""
    import os

    shots = Path(os.environ.get("ANNLAB_SHOTS", tmp_path)) / scheme
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    lightness: list[float] = []
    for path in [p for p in _pages(built_site) if p.startswith("tutorials/")]:
        page.goto(f"{site_url}/{path}", wait_until="networkidle")
        page.screenshot(path=str(shots / f"{path.strip('/').replace('/', '_')}.png"),
                        full_page=True)
        figures = page.locator("article .jp-RenderedImage img:not(.annlab-keep-colours)")
        for index in range(figures.count()):
            value = _background_lightness(figures.nth(index).screenshot())
            lightness.append(value)
            if scheme == "light":
                assert value > 200, f"{path} figure {index + 1} is dark ({value:.0f}/255)"
            else:
                assert value < 60, f"{path} figure {index + 1} stays light ({value:.0f}/255)"
    context.close()
    print(f"\n{scheme}: {len(lightness)} figures, background lightness "
          f"{min(lightness):.0f}-{max(lightness):.0f} of 255; screenshots in {shots}")
    assert lightness
