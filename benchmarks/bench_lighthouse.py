"""Lighthouse's mobile performance audit of every page of the built site, served locally.

    .venv/bin/python benchmarks/bench_lighthouse.py                  # builds the site first
    .venv/bin/python benchmarks/bench_lighthouse.py --site site      # a site built before
    .venv/bin/python benchmarks/bench_lighthouse.py --site site --pages tutorials/07

Serves the site from 127.0.0.1 with gzip (level 6) on text files, as a static host
would, and runs Lighthouse (npm ``lighthouse``, pinned below) on each page (the home
page, each tutorial, each API page: every ``index.html``), one after the other, with
its default mobile settings (a Moto G Power-sized screen, simulated slow 4G and a 4×
slower CPU) in the Chromium the browser tests use (``$ANNLAB_CHROMIUM`` or
``/usr/bin/chromium``). Nothing leaves the machine.

Lighthouse is installed on demand with npm into ``.cache/node-tools/`` (as
``dev.py setup`` installs the HTML checker there); ``npm`` and Chromium must exist.

Prints a markdown table on stdout (progress on stderr): per page, the performance
score, first and largest contentful paint, total blocking time, cumulative layout
shift and the bytes transferred; then, for each page under the target score, the
audits Lighthouse blames most. ``--json PATH`` also writes every figure, and
``--reports DIR`` keeps Lighthouse's own reports (their ``audits`` say what to fix). Targets
(issue 17): a score of at least 90 on every page, and no layout shift.

Lighthouse simulates the slow phone from the main-thread work it observes here, so a
busy machine inflates the blocking time: each page runs ``--runs`` times (3) and the
run with the median score is reported, as Lighthouse advises. Compare runs made on one
machine at a similar load (printed).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from dev import NODE_TOOLS, npm_install  # noqa: E402  (the one place node tools are installed)

LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE = NODE_TOOLS / "node_modules" / ".bin" / "lighthouse"
TARGET_SCORE = 90
# What a static host compresses (fonts and PNG figures are compressed already).
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".map", ".txt", ".py"}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_lighthouse() -> Path:
    """The Lighthouse command, installed with npm into .cache/node-tools/ if missing."""
    if not LIGHTHOUSE.exists():
        if shutil.which("npm") is None:
            sys.exit("npm not found: install Node.js to run Lighthouse")
        say(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {NODE_TOOLS}")
        if not npm_install(f"lighthouse@{LIGHTHOUSE_VERSION}"):
            sys.exit(f"npm could not install lighthouse@{LIGHTHOUSE_VERSION}")
    return LIGHTHOUSE


def chromium() -> str:
    for candidate in (os.environ.get("ANNLAB_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        sys.exit("Chromium not found: install it or set ANNLAB_CHROMIUM")
    return found


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files, gzip-compressed when the client accepts it."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or path.suffix not in COMPRESSED or not accepts:
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def build_site(target: Path) -> Path:
    say(f"building the site into {target}")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "-d", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    return target


def site_pages(site: Path) -> list[str]:
    """Every page's path in the site ("" for the home page), home first."""
    found = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    return [p + "/" if p != "." else "" for p in found]


def audit(lighthouse: Path, url: str, browser: str, report: Path) -> dict[str, Any]:
    """Lighthouse's performance report on one page (its JSON)."""
    command = [
        str(lighthouse),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-path={browser}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        "--quiet",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


def figures(report: dict[str, Any]) -> dict[str, Any]:
    audits = report["audits"]

    def value(name: str) -> float:
        return float(audits[name].get("numericValue") or 0.0)

    score = report["categories"]["performance"]["score"]
    blamed = [
        f"{item['id']} ({item.get('displayValue', '').strip() or item['score']})"
        for item in sorted(audits.values(), key=lambda a: a.get("score") or 1.0)
        if item.get("scoreDisplayMode") in ("metricSavings", "numeric", "binary")
        and item.get("score") is not None
        and item["score"] < 0.9
    ][:6]
    return {
        "score": round(100 * score) if score is not None else None,
        "fcp_ms": value("first-contentful-paint"),
        "lcp_ms": value("largest-contentful-paint"),
        "tbt_ms": value("total-blocking-time"),
        "cls": value("cumulative-layout-shift"),
        "bytes": int(value("total-byte-weight")),
        "requests": len(audits["network-requests"].get("details", {}).get("items", [])),
        "blamed": blamed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument(
        "--pages", nargs="*", default=[], help='only pages whose path has one of these ("home")'
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per page; the median run is reported"
    )
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's reports in this folder")
    args = parser.parse_args()
    lighthouse = ensure_lighthouse()
    browser = chromium()
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or build_site(Path(scratch) / "site")
        pages = [
            page
            for page in site_pages(site)
            if not args.pages or any(part in (page or "home") for part in args.pages)
        ]
        results: dict[str, dict[str, Any]] = {}
        with serve(site) as base:
            for number, page in enumerate(pages, start=1):
                say(f"[{number}/{len(pages)}] {page or 'home'} (load {os.getloadavg()[0]:.1f})")
                folder = args.reports or Path(scratch)
                folder.mkdir(parents=True, exist_ok=True)
                name = page.strip("/").replace("/", "_") or "home"
                runs = [
                    figures(
                        audit(lighthouse, f"{base}/{page}", browser, folder / f"{name}.{n}.json")
                    )
                    for n in range(args.runs)
                ]
                # Lighthouse's advice: the run with the median score, not the best one.
                runs.sort(key=lambda run: run["score"] or 0)
                results[page or "home"] = runs[len(runs) // 2]
    version = subprocess.run(
        [browser, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    load = os.getloadavg()[0]
    print(
        f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, {version}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load {load:.1f}, "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC\n"
    )
    print("| page | score | FCP | LCP | TBT | CLS | transfer |")
    print("|---|---|---|---|---|---|---|")
    for page, row in results.items():
        print(
            f"| {page} | {row['score']} | {row['fcp_ms'] / 1000:.1f} s "
            f"| {row['lcp_ms'] / 1000:.1f} s | {row['tbt_ms']:.0f} ms | {row['cls']:.3f} "
            f"| {row['bytes'] / 1000:,.0f} KB |"
        )
    scores = [row["score"] for row in results.values() if row["score"] is not None]
    under = {page: row for page, row in results.items() if (row["score"] or 0) < TARGET_SCORE}
    shifting = [page for page, row in results.items() if row["cls"] > 0]
    print(
        f"\n{len(results)} pages; score {min(scores)} to {max(scores)}; "
        f"{len(under)} under {TARGET_SCORE}; {len(shifting)} with layout shift."
    )
    for page, row in under.items():
        print(f"- {page}: {', '.join(row['blamed']) or 'no single audit'}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
