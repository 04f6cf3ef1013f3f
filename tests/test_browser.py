"""The built site in a real Chromium: every page loads, renders its math, shows its
figures, logs no errors and asks nothing of any host but the local server."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser]

# Each test of a module-scoped pass over the pages must run on the worker that made the
# pass: one xdist group per pass, so the two schemes' passes run on both workers at once.
REPORTS = pytest.mark.xdist_group("browser-reports")
# A worker that runs out of queued tests tears down even module-scoped fixtures (it does
# not know yet whether more of the module will come), so each pass is also kept here,
# in the worker's memory: no pass over the pages is made twice.
_PASSES: dict[tuple[str, str], Any] = {}


def _settle(page: Any, url: str) -> Any:
    """Open ``url`` and wait for the page's final layout: the load event, KaTeX's fonts,
    then two frames for the pages' resize observers. (Playwright's networkidle waits at
    least 500 ms more per page and its guide calls it unreliable.)"""
    response = page.goto(url, wait_until="load")
    page.evaluate("async () => { await document.fonts.ready; for (const i of [1, 2]) "
                  "await new Promise(r => requestAnimationFrame(r)); }")
    return response


def _pages(built_site: Path) -> list[str]:
    found = built_site.rglob("index.html")
    pages = sorted(p.relative_to(built_site).parent.as_posix() for p in found)
    return [p + "/" if p != "." else "" for p in pages]


@pytest.fixture(scope="module")
def page_reports(browser: Any, built_site: Path, site_url: str) -> dict[str, dict[str, Any]]:
    """Load every page once and record what a reader's browser saw."""
    if ("reports", str(built_site)) in _PASSES:
        return _PASSES["reports", str(built_site)]  # type: ignore[no-any-return]
    reports: dict[str, dict[str, Any]] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    for path in _pages(built_site):
        page = context.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.on("request", lambda r, q=requests: q.append(r.url))
        response = _settle(page, f"{site_url}/{path}")
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
    _PASSES["reports", str(built_site)] = reports
    return reports


@REPORTS
def test_every_page_loads(page_reports: dict[str, dict[str, Any]]) -> None:
    assert len(page_reports) >= 3
    for path, report in page_reports.items():
        assert report["status"] == 200, path


@REPORTS
def test_no_console_errors(page_reports: dict[str, dict[str, Any]]) -> None:
    for path, report in page_reports.items():
        assert report["errors"] == [], f"{path}: {report['errors']}"


@REPORTS
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


@REPORTS
def test_math_is_rendered_by_katex(page_reports: dict[str, dict[str, Any]]) -> None:
    for path, report in page_reports.items():
        text = report["text"]
        assert "$$" not in text and "\\(" not in text and "\\[" not in text, path
        assert report["katex_errors"] == 0, path
        if path.startswith("tutorials/"):
            assert report["katex"] > 0, f"{path} shows no rendered formula"


@REPORTS
def test_figures_load_with_alt_text(page_reports: dict[str, dict[str, Any]]) -> None:
    for path, report in page_reports.items():
        if path.startswith("tutorials/"):
            assert report["images"], f"{path} shows no figure"
        for image in report["images"]:
            assert image["w"] > 0 and image["h"] > 0, path
            assert len(image["alt"]) > 20, f"{path}: a figure has no real alt text"


AXE_SCRIPT = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


@pytest.fixture(
    scope="module",
    params=[pytest.param(scheme, marks=pytest.mark.xdist_group(f"scheme-{scheme}"))
            for scheme in ("light", "dark")],
)  # fmt: skip
def scheme_report(
    request: pytest.FixtureRequest, browser: Any, built_site: Path, site_url: str
) -> dict[str, Any]:
    """One pass over every page in one colour scheme: axe-core's violations, and the
    background lightness of each tutorial figure as the reader sees it (pixels of the
    rendered element, after the dark scheme's CSS). Full-page screenshots are taken
    only when asked, into ``$ANNLAB_SHOTS/<scheme>/``."""
    import os

    scheme: str = request.param
    if (scheme, str(built_site)) in _PASSES:
        return _PASSES[scheme, str(built_site)]  # type: ignore[no-any-return]
    shots = os.environ.get("ANNLAB_SHOTS")
    if shots:
        Path(shots, scheme).mkdir(parents=True, exist_ok=True)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    report: dict[str, Any] = {"scheme": scheme, "violations": [], "figures": [],
                              "counts": {"minor": 0, "moderate": 0, "serious": 0,
                                         "critical": 0}}  # fmt: skip
    for path in _pages(built_site):
        _settle(page, f"{site_url}/{path}")
        page.add_script_tag(path=str(AXE_SCRIPT))
        for violation in page.evaluate("async () => (await axe.run(document)).violations"):
            report["counts"][violation["impact"] or "minor"] += 1
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"][:3]]
                report["violations"].append(
                    f"{path or 'home'}: {violation['id']} ({violation['impact']}) {targets}"
                )
        if not path.startswith("tutorials/"):
            continue
        if shots:
            name = f"{path.strip('/').replace('/', '_')}.png"
            page.screenshot(path=str(Path(shots, scheme, name)), full_page=True)
        figures = page.locator("article .jp-RenderedImage img:not(.annlab-keep-colours)")
        for index in range(figures.count()):
            lightness = _background_lightness(figures.nth(index).screenshot())
            report["figures"].append((path, index + 1, lightness))
    context.close()
    _PASSES[scheme, str(built_site)] = report
    return report


def test_no_serious_accessibility_violations(scheme_report: dict[str, Any]) -> None:
    """axe-core on every page, in Material's light and dark palettes."""
    print(f"\naxe ({scheme_report['scheme']}): {scheme_report['counts']}")
    assert not scheme_report["violations"], "\n".join(scheme_report["violations"])


def test_figures_follow_the_colour_scheme(scheme_report: dict[str, Any]) -> None:
    """Each figure is light on the light page and dark on the dark one (except colour
    maps, tagged keep-colours, which stay as drawn)."""
    figures = scheme_report["figures"]
    assert figures, "no tutorial figure was measured"
    values = [value for _, _, value in figures]
    print(f"\n{scheme_report['scheme']}: {len(figures)} figures, background lightness "
          f"{min(values):.0f}-{max(values):.0f} of 255")
    for path, number, value in figures:
        if scheme_report["scheme"] == "light":
            assert value > 200, f"{path} figure {number} is dark ({value:.0f}/255)"
        else:
            assert value < 60, f"{path} figure {number} stays light ({value:.0f}/255)"


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
        page.goto(f"{site_url}/", wait_until="load")
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
