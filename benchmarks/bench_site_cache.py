"""How fast the site rebuilds, and what the page cache re-executes, in one run.

    .venv/bin/python benchmarks/bench_site_cache.py [--pages 03_forward_pass ...]

Copies the committed tree to a temporary folder (so your own cache and site are not
touched) and times four strict builds against one fresh page cache:

1. cold: empty cache, every tutorial executes;
2. no change: everything is reused;
3. one page edited (a Markdown line appended to the first page): that page only;
4. ``annlab`` touched (a comment appended to one module): every tutorial.

It prints each build's wall-clock time, its ratio to the cold build, and how many pages
executed and were reused (the hooks log both). Targets from the issue: a no-change
rebuild at most 5% of the cold build; an edit re-executes only the edited page.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTS = re.compile(r"tutorials executed: (\d+), reused from the cache: (\d+)")
EXECUTED = re.compile(r"annlab: executed tutorials/(\S+) in ([0-9.]+) s")
page_seconds: dict[str, float] = {}  # from the cold build


def copy_tree(target: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, files):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)


def build(tree: Path, cache: Path) -> tuple[float, int, int]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ANNLAB_PAGE_CACHE": str(cache)}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    start = time.perf_counter()
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "-d", str(tree / "site")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    if not page_seconds:
        page_seconds.update({m[1]: float(m[2]) for m in EXECUTED.finditer(result.stderr)})
    found = COUNTS.search(result.stderr)
    if found is None:
        sys.exit("the build did not report its executed/reused counts")
    return seconds, int(found[1]), int(found[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tree, cache = Path(folder) / "tree", Path(folder) / "cache"
        copy_tree(tree)
        pages = sorted((tree / "docs" / "tutorials").glob("[0-9][0-9]_*.py"))
        rows = [("cold (empty cache)", *build(tree, cache))]
        rows.append(("no change", *build(tree, cache)))
        with pages[0].open("a", encoding="utf-8") as page:
            page.write("\n# %% [markdown]\n# An edit.\n")
        rows.append((f"one page edited ({pages[0].stem})", *build(tree, cache)))
        with (tree / "annlab" / "palette.py").open("a", encoding="utf-8") as module:
            module.write("\n# touched\n")
        rows.append(("annlab/palette.py touched", *build(tree, cache)))
    cold = rows[0][1]
    print(f"{len(pages)} tutorial pages, {os.cpu_count()} CPUs\n")
    print("| build | seconds | ratio to cold | pages executed | pages reused |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, executed, reused in rows:
        print(f"| {name} | {seconds:.1f} | {seconds / cold:.3f} | {executed} | {reused} |")
    print("\n| page (cold build) | seconds executing |\n|---|---:|")
    for name, seconds in page_seconds.items():
        print(f"| {name} | {seconds:.1f} |")
    no_change = rows[1][1] / cold
    print(
        f"\nno-change rebuild: {no_change:.1%} of cold "
        f"({'PASS' if no_change <= 0.05 else 'MISS'}: target <= 5%)"
    )
    edited_only = rows[2][2] == 1
    print(f"edit re-executes only that page: {'PASS' if edited_only else 'MISS'}")


if __name__ == "__main__":
    main()
