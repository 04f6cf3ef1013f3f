"""The built site in a real Chromium: every page loads with its math typeset (at build
time: no script does it) and nothing moving after the first paint, shows its figures,
logs no errors and asks nothing of any host but the local server."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser]

# axe-core's own copy ships in axe-playwright-python; the pinned one dev.py installs
# from npm (dev.AXE_CORE_VERSION) runs the same rules, its colour rules 2.7 times faster.
BUNDLED_AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"
# The axe-core rules (of those it runs by default) whose outcome depends on colours.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# What one page may cost a reader: everything it loads (HTML, CSS, JavaScript, fonts,
# figures, the search index), each file gzip-compressed at level 6 as a static host
# would serve it. Figures (PNG) and fonts (woff2) are compressed already.
PAGE_BUDGET_BYTES = 1_000_000
# What a tutorial lays out before the reader scrolls: its title, header and first prose
# cell (the later cells wait until they come near the screen, extra.css). Every style
# change Material's script makes at load restyles all of them, so a long first cell made
# a phone's main thread busy for half a second more (page 5's derivation, 1,900 elements
# laid out at load; Lighthouse 85-88). The pages lay out 100 to 700 today.
LAID_OUT_AT_LOAD = 1_000
# How many elements of the notebook the browser has laid out (not skipped by
# content-visibility, not in a closed fold).
NOTEBOOK_LAID_OUT = """() => [...document.querySelectorAll('.jp-Notebook *')]
  .filter(el => el.checkVisibility({ contentVisibilityAuto: true })).length"""


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core as ``python3 dev.py setup`` pins it (npm, in .cache/node-tools/, or
    ``$ANNLAB_AXE_CORE``); without it the older copy axe-playwright-python ships, which
    runs the same rules more slowly (a warning says so; under ``CI=true``, a failure)."""
    from dev import AXE_CORE, AXE_CORE_VERSION, installed_axe_core

    explicit = os.environ.get("ANNLAB_AXE_CORE")
    if explicit:
        return Path(explicit)
    if installed_axe_core() == AXE_CORE_VERSION:
        return AXE_CORE / "axe.min.js"
    message = (
        f"axe-core {AXE_CORE_VERSION} is not in {AXE_CORE.parent} (found "
        f"{installed_axe_core()}): python3 dev.py setup installs it when npm is present"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    import warnings

    warnings.warn(f"{message}; using axe-playwright-python's copy", UserWarning, stacklevel=1)
    return BUNDLED_AXE


# The page's cumulative layout shift so far (as Lighthouse counts it: shifts not caused
# by the reader's input), from the entries the browser buffered since navigation, and
# what moved (the element's tag, class and first words). Shifts that move only formulas
# and the words on their lines (a formula drawn before the parser had read all of it, or
# before its font; timing-dependent here, 0 in Lighthouse's runs) are summed apart in
# "fonts", shifts inside Material's own
# navigation (a fraction of a pixel, now and then: the theme's script, not our markup) in
# "theme", and shifts of the cells of a table Material's script has wrapped a second time
# in "tables"; all three are reported, not failed on.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  const BLOCKS = "p, li, td, th, dt, dd, h1, h2, h3, h4, h5, h6, figcaption";
  const THEME = ".md-nav, .md-sidebar, .md-header, .md-tabs";
  const shift = {total: 0, fonts: 0, theme: 0, tables: 0, moved: []};
  // A table after Material's script wrapped it inside the build's own wrapper.
  const REWRAPPED = ".md-typeset__table .md-typeset__table";
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      // A formula can be drawn before the parser has read all of it (a centred display
      // formula then moves as it grows: seen on page 9 under a 4x slower CPU, 516 then
      // 611 px wide) or before its font: a shift that moves only formulas and the text
      // of their own lines (a formula that gets wider pushes the words after it) is that
      // (counted apart, see below).
      const inFormulaLine = ({node}) => {
        const element = node?.nodeType === 1 ? node : node?.parentElement;
        if (element?.closest("math")) return true;
        return !!element?.closest(BLOCKS)?.querySelector("math");
      };
      if (entry.sources.length && entry.sources.every(inFormulaLine)) {
        shift.fonts += entry.value;
        continue;
      }
      // Material's own navigation (its script sizes the sidebars and their icons at
      // load, by a fraction of a pixel now and then): the theme's, reported apart.
      const elements = entry.sources
        .map(({node}) => (node?.nodeType === 1 ? node : node?.parentElement))
        .filter(Boolean);
      if (elements.length && elements.every(e => e.closest(THEME))) {
        shift.theme += entry.value;
        continue;
      }
      // Material's script detaches every table without a class and re-attaches it in a
      // scroll box, after the first paint when the CPU is starved. The build wraps tables
      // the same way beforehand, and the final geometry is the same with and without
      // scripts (measured), yet in some full-suite runs the header cells of an API table
      // moved (CLS 0.0003-0.004; never in a pass run alone): reported apart. The phone
      // pass, where that re-wrap always runs after the first paint, still fails on it.
      const moved = entry.sources.map(({node}) => {
        const text = (node?.textContent || "").trim().slice(0, 30);
        return `${node?.nodeName}.${node?.className || ""} "${text}"`;
      });
      if (elements.length && elements.every(e => e.closest(REWRAPPED))) {
        shift.tables += entry.value;
        shift.moved.push(...moved);
        continue;
      }
      shift.total += entry.value;
      shift.moved.push(...moved);
    }
  }).observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => setTimeout(() => resolve(shift), 0));
})"""
# Figures load lazily (a reader's browser fetches them as they come near the screen):
# fetch and decode them all, to check every file.
LOAD_FIGURES = """async () => {
  const images = [...document.querySelectorAll("article .jp-OutputArea img")];
  for (const image of images) image.loading = "eager";
  await Promise.all(images.map(image => image.decode().catch(() => null)));
}"""


FRAMES = "async () => { for (const i of [1, 2]) await new Promise(requestAnimationFrame); }"


class LayoutShiftReport(UserWarning):
    """A layout shift the reader pass counts apart (see LAYOUT_SHIFT) and reports."""


def _report(message: str) -> None:
    import warnings

    warnings.warn(message, LayoutShiftReport, stacklevel=2)


def _math_fonts(page: Any, limit: int = 80) -> dict[str, int]:
    """How many glyphs of the page's first ``limit`` formula tokens (identifiers,
    operators, numbers) each font drew, as Chromium reports it (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        # Only the root: querySelectorAll sends the nodes it finds (the whole tree, depth
        # -1, took 0.2-0.5 s more on a tutorial, for the same answer).
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        selector = "article math mi, article math mo, article math mn"
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
        fonts: dict[str, int] = {}
        for node in nodes["nodeIds"][:limit]:
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                fonts[font["familyName"]] = fonts.get(font["familyName"], 0) + font["glyphCount"]
        return fonts
    finally:
        cdp.detach()


def _settle(page: Any, url: str) -> Any:
    """Open ``url`` and wait for the page's final layout: the load event, the math font,
    then two frames for the pages' resize observers. (Playwright's networkidle waits at
    least 500 ms more per page and its guide calls it unreliable.)"""
    response = page.goto(url, wait_until="load")
    page.evaluate("async () => { await document.fonts.ready; }")
    page.evaluate(FRAMES)
    return response


def _pages(built_site: Path) -> list[str]:
    found = built_site.rglob("index.html")
    pages = sorted(p.relative_to(built_site).parent.as_posix() for p in found)
    return [p + "/" if p != "." else "" for p in pages]


def _check_page(
    page: Any, path: str, requests: list[str], scheme: str, axe_script: Path
) -> tuple[list[str], int]:
    """What a reader's browser shows on one loaded page that it should not (each
    problem named by the check it fails), and how many figures were measured."""
    name = path or "home"
    problems = []
    shift = page.evaluate(LAYOUT_SHIFT)
    if shift["total"] > 0:
        problems.append(
            f"{name}: the layout shifted after the first paint (CLS {shift['total']:.4f}): "
            f"{shift['moved'][:3]}"
        )
    # Reported, not failed on (see LAYOUT_SHIFT): as warnings, which pytest lists at the
    # end of every run, passing or not (a print would show only with a failure).
    if shift["theme"] > 0:
        _report(f"{name}: Material's navigation moved at load (CLS {shift['theme']:.4f})")
    if shift["tables"] > 0:
        _report(
            f"{name}: a table's cells moved as Material re-wrapped it (CLS {shift['tables']:.4f})"
        )
    if shift["fonts"] > 0:
        _report(
            f"{name}: a formula grew after it was drawn (parsing or its font) and moved its lines "
            f"(CLS {shift['fonts']:.4f})"
        )
    typesetting = [url for url in requests if "/temml" in url and url.endswith(".js")]
    if typesetting or page.locator("script[src*='temml'], script[src*='katex']").count():
        problems.append(f"{name}: loads a script to typeset math: {typesetting}")
    outside = [
        url
        for url in requests
        if urlparse(url).scheme not in ("data", "blob") and urlparse(url).hostname != "127.0.0.1"
    ]
    if outside:
        problems.append(f"{name}: requests outside the local server: {outside}")
    text = page.locator("article.md-content__inner").inner_text()
    if "$$" in text or "\\(" in text or "\\[" in text:
        problems.append(f"{name}: math left untypeset")
    if page.locator("article .temml-error").count():
        problems.append(f"{name}: Temml could not render a formula")
    if path.startswith("tutorials/") and not page.locator("article math").count():
        problems.append(f"{name}: shows no rendered formula")
    # Formulas are drawn in the site's math font, every glyph: a glyph the cut font
    # lacks falls back to a system font (the italic letters once did, on every page).
    # A font that came too late for this view is not used at all (font-display:
    # optional, so nothing moves): reported, not failed on.
    if path.startswith("tutorials/"):
        fonts = _math_fonts(page)
        others = {name: n for name, n in fonts.items() if name != "STIX Two Math"}
        if "STIX Two Math" not in fonts:
            _report(f"{name}: the math font came too late for this view ({fonts})")
        elif others:
            problems.append(f"{name}: formula glyphs drawn in other fonts: {others}")
    # The header box (the lecture, what the notes claim) is set off by a rule: the
    # notebook's own stylesheet, loaded after ours, must not take it away.
    if path.startswith("tutorials/"):
        rule = page.eval_on_selector_all(
            "article .annlab-header",
            "els => els.map(e => getComputedStyle(e).borderLeftStyle)",
        )
        if rule != ["solid"]:
            problems.append(f"{name}: the header box shows no rule (border styles {rule})")
    # A reader opens the folds (checks, Going deeper, solutions) to see what is in them:
    # their figures are checked as the open page shows them.
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    page.evaluate(LOAD_FIGURES)
    images = page.eval_on_selector_all(
        "article .jp-OutputArea img",
        "els => els.map(e => ({w: e.naturalWidth, h: e.naturalHeight, alt: e.alt}))",
    )
    if path.startswith("tutorials/") and not images:
        problems.append(f"{name}: shows no figure")
    for image in images:
        if not (image["w"] > 0 and image["h"] > 0):
            problems.append(f"{name}: a figure did not load")
        if len(image["alt"]) <= 20:
            problems.append(f"{name}: a figure has no real alt text")
    # A tutorial's later cells are laid out as they come near the screen (and a11y.js
    # then makes their wide boxes focusable); axe checks every element at once, so lay
    # them all out first, as scrolling through the page would.
    page.add_style_tag(content=".jp-Notebook > * { content-visibility: visible !important; }")
    page.evaluate(FRAMES)
    page.add_script_tag(path=str(axe_script))
    # The two schemes share one DOM and differ in colours only: every axe rule runs in
    # the light scheme, and the rules that read colours run again in the dark one.
    # Only violations are read: axe still runs every rule on every element, but no
    # longer builds the node lists of the passes (a third of its time on a tutorial).
    rules = "" if scheme == "light" else f", runOnly: {json.dumps(AXE_COLOUR_RULES)}"
    options = f'{{resultTypes: ["violations"]{rules}}}'
    script = f"async () => (await axe.run(document, {options})).violations"
    for violation in page.evaluate(script):
        if violation["impact"] in ("serious", "critical"):
            targets = [n["target"] for n in violation["nodes"][:3]]
            problems.append(f"{name}: axe {violation['id']} ({violation['impact']}) {targets}")
    # Figures are drawn for the light scheme; the dark one shows them inverted, except
    # colour maps (tagged keep-colours), which stay as drawn. Measured on the pixels the
    # reader sees: the rendered element, after the scheme's CSS.
    figures = page.locator("article .jp-RenderedImage img:not(.annlab-keep-colours)")
    for index in range(figures.count()):
        lightness = _background_lightness(figures.nth(index).screenshot())
        if scheme == "light" and lightness <= 200:
            problems.append(f"{name}: figure {index + 1} is dark ({lightness:.0f}/255)")
        if scheme == "dark" and lightness >= 60:
            problems.append(f"{name}: figure {index + 1} stays light ({lightness:.0f}/255)")
    return problems, figures.count()


def _transfer_bytes(requests: list[str], built_site: Path) -> int:
    """The bytes a static host sends for these requests, gzip-compressed (level 6)."""
    import gzip
    from urllib.parse import unquote

    files = set()
    for url in requests:
        path = built_site / unquote(urlparse(url).path).lstrip("/")
        path = path / "index.html" if path.is_dir() else path
        if path.is_file():
            files.add(path)
    return sum(len(gzip.compress(f.read_bytes(), 6, mtime=0)) for f in files)


# The reader pass runs as one test per scheme and group of pages, so that the two
# workers share it evenly (tests/conftest.py orders them): every page belongs to one
# group, the reference pages (home, API, glossary, notes) or one half of the tutorials;
# each group is a third of a scheme's time (with axe-core 4.14.1: 20-35 s under load).
READER_GROUPS = ("tutorials-06-10", "tutorials-01-05", "reference")


def _reader_group(path: str) -> str:
    """The group of READER_GROUPS a page's path belongs to (every path has one)."""
    if not path.startswith("tutorials/"):
        return "reference"
    number = path.removeprefix("tutorials/")[:2]
    return "tutorials-01-05" if number.isdigit() and int(number) <= 5 else "tutorials-06-10"


@pytest.mark.parametrize("group", READER_GROUPS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_as_a_reader_sees_it(
    browser: Any, built_site: Path, site_url: str, axe_script: Path, scheme: str, group: str
) -> None:
    """Every page of the site, in Material's light and dark palettes (one test each per
    group of pages, so the passes spread over both workers), loads with status 200 and
    no console error, asks nothing of any host but the local server, does not move once
    drawn (layout shift 0), has its math typeset by the build (no script loaded for it),
    its figures loaded with alt text and drawn for the scheme, axe-core finds no serious
    or critical accessibility violation, and all it loads weighs at most
    ``PAGE_BUDGET_BYTES`` as a static host serves it (gzip). Full-page screenshots are
    taken only when asked, into ``$ANNLAB_SHOTS/<scheme>/``."""

    shots = os.environ.get("ANNLAB_SHOTS")
    if shots:
        Path(shots, scheme).mkdir(parents=True, exist_ok=True)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    measured = 0
    weights: dict[str, int] = {}
    every_page = _pages(built_site)
    assert len(every_page) >= 3
    pages = [path for path in every_page if _reader_group(path) == group]
    assert pages, f"no page in the reader group {group!r}"
    # One tab visits every page of the group: each visit is a new document (its own layout-shift
    # entries, scripts and styles); only the tab's own start-up is saved (0.1 s a page).
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: requests.append(r.url))
    for path in pages:
        errors.clear()
        requests.clear()
        response = _settle(page, f"{site_url}/{path}")
        if response is None or response.status != 200:
            problems.append(f"{path or 'home'}: status {response and response.status}")
        found, figures = _check_page(page, path, requests, scheme, axe_script)
        problems += found
        measured += figures
        weights[path or "home"] = _transfer_bytes(requests, built_site)
        if weights[path or "home"] > PAGE_BUDGET_BYTES:
            problems.append(
                f"{path or 'home'}: loads {weights[path or 'home']:,} bytes "
                f"compressed, over the {PAGE_BUDGET_BYTES:,} budget"
            )
        problems += [f"{path or 'home'}: console error {error}" for error in errors]
        if shots and path.startswith("tutorials/"):
            name = f"{path.strip('/').replace('/', '_')}.png"
            page.screenshot(path=str(Path(shots, scheme, name)), full_page=True)
    context.close()
    heaviest = max(weights, key=weights.__getitem__)
    print(
        f"\n{scheme}, {group}: {len(pages)} of {len(every_page)} pages checked, "
        f"{measured} figures measured, heaviest {heaviest} at {weights[heaviest]:,} bytes "
        f"gzipped; {len(problems)} problems"
    )
    assert measured > 0 or group == "reference", f"{group}: no figure measured"
    assert not problems, "\n".join(problems)


def test_search_works_offline_and_finds_each_tutorial(
    browser: Any, built_site: Path, site_url: str
) -> None:
    import jupytext

    from tests.site.conftest import TUTORIALS

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
    # Every one-character query, which Material expands to every term with that prefix:
    # Lunr throws on a prefix whose expansion meets a term its token set got wrong.
    search = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    for character in "abcdefghijklmnopqrstuvwxyz0123456789":
        search.fill("")
        search.press_sequentially(character)
        page.wait_for_function(
            "() => !document.querySelector('.md-search-result__meta')"
            "?.textContent.includes('Type to start')"
        )
        assert meta.inner_text(), f"no answer to the query {character!r}"
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


# A number in printed output or a table: digits, with any decimal point or separators.
SPLIT_NUMBERS = """() => {
  const split = [];
  const areas = document.querySelectorAll(
    "article .jp-OutputArea-output pre, article table td, article table th");
  for (const area of areas) {
    const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[0-9][0-9.,]*[0-9]/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


# Copy buttons (the notebook's and Material's) whose box covers code text: the text of
# the code block under the button, as far as the block shows it (a long line scrolls
# sideways in its box, and is hidden beyond it).
COVERED_CODE = """() => {
  const covered = [];
  const buttons = document.querySelectorAll(
    "article .zeroclipboard-container clipboard-copy, article .md-clipboard");
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  for (const button of buttons) {
    const code = button.closest(".CodeMirror, .highlight")?.querySelector("pre");
    if (!code) continue;
    const box = button.getBoundingClientRect();
    const shown = code.getBoundingClientRect();
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;  // spaces under the button hide nothing
      const range = document.createRange();
      range.selectNodeContents(node);
      const hit = [...range.getClientRects()].some(r => r.width > 0 && overlap(r, box)
        && overlap(r, shown) && overlap(box, shown));
      if (hit) { covered.push(node.textContent.trim().slice(0, 30)); break; }
    }
  }
  return covered;
}"""


def test_pages_read_on_a_phone(browser: Any, built_site: Path, site_url: str) -> None:
    """At 390 px wide: no page moves once drawn (layout shift 0, as on Lighthouse's
    phone, with the scripts arriving after the first paint), no page scrolls sideways
    as a whole, no number in printed output or a table
    is split across two lines (a wide line scrolls in its own box), no copy button
    covers the code it copies, and a tutorial lays out at most ``LAID_OUT_AT_LOAD``
    elements of its cells before the reader scrolls."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()

    def late(route: Any) -> None:
        time.sleep(0.15)
        route.continue_()

    problems: list[str] = []
    for path in _pages(built_site):
        # On a phone, the page is drawn before its scripts arrive: what they change then
        # moves what the reader sees. They arrive late here, so such a move shows.
        page.route("**/*.js", late)
        _settle(page, f"{site_url}/{path}")
        page.unroute("**/*.js", late)
        shift = page.evaluate(LAYOUT_SHIFT)
        # Here Material's table re-wrap always runs after the first paint (its script
        # arrives late): a move of the tables' cells fails this pass, as any other.
        if shift["total"] + shift["tables"] > 0:
            problems.append(
                f"{path or 'home'}: the layout shifted "
                f"(CLS {shift['total'] + shift['tables']:.4f}): {shift['moved'][:3]}"
            )
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path or 'home'}: the page is {overflow} px wider than the screen")
        split = page.evaluate(SPLIT_NUMBERS)
        if split:
            problems.append(f"{path or 'home'}: numbers split across lines: {split[:5]}")
        covered = page.evaluate(COVERED_CODE)
        if covered:
            problems.append(f"{path or 'home'}: a copy button covers code: {covered[:3]}")
        if path.startswith("tutorials/"):
            laid_out = page.evaluate(NOTEBOOK_LAID_OUT)
            if laid_out > LAID_OUT_AT_LOAD:
                problems.append(
                    f"{path}: lays out {laid_out} elements before the reader scrolls, "
                    f"over {LAID_OUT_AT_LOAD}: shorten its first prose cell"
                )
    context.close()
    assert not problems, "\n".join(problems)


def test_the_dark_pass_runs_every_colour_rule_of_axe(browser: Any, axe_script: Path) -> None:
    """The dark pass runs only ``AXE_COLOUR_RULES``: they must be all the rules axe-core
    runs by default that read colours, so an axe upgrade that adds one fails here."""
    page = browser.new_page()
    page.set_content("<main><p>text</p></main>")
    page.add_script_tag(path=str(axe_script))
    colour_rules = page.evaluate(
        "() => axe.getRules(['cat.color']).map(r => r.ruleId)"
        ".filter(id => axe._audit.rules.find(rule => rule.id === id).enabled)"
    )
    page.close()
    assert sorted(colour_rules) == sorted(AXE_COLOUR_RULES)
