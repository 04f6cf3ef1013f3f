"""Build a preview site with chosen tutorial pages and screenshot them.

    .venv/bin/python tools/preview.py docs/tutorials/03_forward_pass.py [more pages]
        [--out /tmp/preview] [--scheme light|dark]

Builds (strictly) a site holding the home page, the API reference and the given
pages, whatever mkdocs.yml's nav lists, then saves full-page screenshots cut into
PNG slices of at most 2200 px (readable one at a time) under OUT/shots/.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Literal

import yaml
from mkdocs.utils.yaml import get_yaml_loader

ROOT = Path(__file__).resolve().parent.parent  # this script is in the checkout's tools/
SLICE = 2200


def _partial_build(plugin: Any, pages: list[Path]) -> Any:
    """The annlab plugin of a build of some pages: the project is this checkout, the
    cache entries of the other pages are kept, and ``run_first`` names only pages built."""
    if plugin == "annlab" or (isinstance(plugin, dict) and "annlab" in plugin):
        settings = dict((plugin["annlab"] if isinstance(plugin, dict) else {}) or {})
        built = {f"tutorials/{page.name}" for page in pages}
        settings["run_first"] = [p for p in settings.get("run_first", []) if p in built]
        return {"annlab": {**settings, "project": str(ROOT), "prune_cache": False}}
    return plugin


def build(pages: list[Path], out: Path) -> Path:
    # MkDocs' own loader: it reads mkdocs.yml's !ENV settings from this environment.
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=get_yaml_loader())
    nav = [item for item in config["nav"] if "Tutorials" not in item]
    nav.insert(1, {"Tutorials": [{p.stem: f"tutorials/{p.name}"} for p in pages]})
    keep = {p.name for p in pages}
    others = [p.name for p in (ROOT / "docs/tutorials").glob("*.py") if p.name not in keep]
    config.update(
        nav=nav,
        docs_dir=str(ROOT / "docs"),
        plugins=[_partial_build(plugin, pages) for plugin in config["plugins"]],
        exclude_docs=config.get("exclude_docs", "") + "".join(f"tutorials/{n}\n" for n in others),
    )
    config_path = out / "mkdocs.yml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    site = out / "site"
    command = [
        str(Path(sys.executable).parent / "mkdocs"),
        "build",
        "--strict",
        "-f",
        str(config_path),
        "-d",
        str(site),
    ]
    subprocess.run(command, check=True, cwd=ROOT)
    return site


LAY_OUT_ALL = ".jp-Notebook > * { content-visibility: visible !important; }"
LOAD_ALL_FIGURES = "document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })"


def screenshot(site: Path, pages: list[Path], out: Path, scheme: Literal["light", "dark"]) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    shots = out / "shots"
    shots.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        for tutorial in pages:
            url = f"http://127.0.0.1:{server.server_address[1]}/tutorials/{tutorial.stem}/"
            page.goto(url, wait_until="networkidle")
            # A tutorial lays out its later cells only as they come near the screen, and
            # its figures load as they do (extra.css, loading="lazy"): a full-page shot
            # lays out and loads everything first, or it is blank below the first cells.
            page.add_style_tag(content=LAY_OUT_ALL)
            page.evaluate(LOAD_ALL_FIGURES)
            page.wait_for_load_state("networkidle")
            full = shots / f"{tutorial.stem}-{scheme}.png"
            page.screenshot(path=str(full), full_page=True)
            image = Image.open(full)
            for i, top in enumerate(range(0, image.height, SLICE)):
                part = image.crop((0, top, image.width, min(image.height, top + SLICE)))
                part.save(shots / f"{tutorial.stem}-{scheme}-{i}.png")
                print(shots / f"{tutorial.stem}-{scheme}-{i}.png")
        browser.close()
    server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/preview"))
    parser.add_argument("--scheme", choices=["light", "dark"], default="light")
    args = parser.parse_args()
    pages = [p.resolve() for p in args.pages]
    args.out.mkdir(parents=True, exist_ok=True)
    site = build(pages, args.out)
    screenshot(site, pages, args.out, args.scheme)


if __name__ == "__main__":
    main()
