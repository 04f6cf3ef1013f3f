"""How long a prose edit takes to show in ``mkdocs serve``, on a warm page cache.

    .venv/bin/python benchmarks/bench_serve.py [--edits 3] [--page 10_multilayer]

Copies the committed tree and the page cache (``.cache/pages/``) to a temporary folder
(your own checkout, cache and site are not touched), starts ``mkdocs serve --strict``
there on a free port, as ``python3 dev.py serve`` does, and waits for its first build.
Then, ``--edits`` times in a row, it appends a new word to the page's first prose
paragraph (the header's) and polls the served page until the word is in it: the time
from the save to the word on the page is what a writer waits. It also times a
no-change full ``mkdocs build`` of the same tree, the baseline a serve rebuild is
compared with, and prints the serve process's log lines that say what serve skipped.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench_site_cache import copy_tree  # the benchmarks' folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
FIRST_PROSE = re.compile(r"(# %% \[markdown\] tags=\[\"header\"\]\n(?:# .+\n)+?)(#\n)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used so far (user and system; Linux's /proc): on a
    machine that others load, the wall clock measures them too, this does not."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def environment(tree: Path) -> dict[str, str]:
    date = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "MPLBACKEND": "Agg",
        "SOURCE_DATE_EPOCH": date,
        "ANNLAB_PAGE_CACHE": str(tree / ".cache" / "pages"),
    }


def no_change_build(tree: Path) -> float:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    start = time.perf_counter()
    subprocess.run(
        [str(mkdocs), "build", "--strict", "-d", str(tree / "built")],
        cwd=tree,
        env=environment(tree),
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--page", default="10_multilayer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "tree"
        copy_tree(tree)  # the committed files, as the cache benchmark copies them
        if (ROOT / ".cache" / "pages").is_dir():  # the warm runs, so serve starts fast
            shutil.copytree(ROOT / ".cache" / "pages", tree / ".cache" / "pages")
        page = tree / "docs" / "tutorials" / f"{args.page}.py"
        port = free_port()
        url = f"http://127.0.0.1:{port}/tutorials/{args.page}/"
        mkdocs = Path(sys.executable).with_name("mkdocs")
        log: list[str] = []
        started = time.perf_counter()
        server = subprocess.Popen(
            [str(mkdocs), "serve", "--strict", "-a", f"127.0.0.1:{port}"],
            cwd=tree,
            env=environment(tree),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert server.stderr is not None
        reader = threading.Thread(target=lambda: log.extend(server.stderr or []), daemon=True)
        reader.start()
        try:
            while "Serving on" not in "".join(log):
                if server.poll() is not None:
                    sys.exit("mkdocs serve stopped:\n" + "".join(log)[-3000:])
                time.sleep(0.1)
            print(f"first serve build: {time.perf_counter() - started:.1f} s")
            seconds, cpu = [], []
            for edit in range(args.edits):
                word = f"servemark{edit}x{os.getpid()}"
                text = page.read_text(encoding="utf-8")
                edited, count = FIRST_PROSE.subn(
                    lambda m, word=word: m[1].rstrip("\n") + f" {word}\n" + m[2], text, count=1
                )
                if count != 1:
                    sys.exit(f"no header paragraph found in {page.name}")
                time.sleep(1.0)  # let the watcher settle after the previous rebuild
                start, used = time.perf_counter(), cpu_seconds(server.pid)
                page.write_text(edited, encoding="utf-8")
                while word not in fetch(url):
                    if server.poll() is not None or time.perf_counter() - start > 300:
                        sys.exit("the edit never showed:\n" + "".join(log)[-3000:])
                    time.sleep(0.05)
                seconds.append(time.perf_counter() - start)
                cpu.append(cpu_seconds(server.pid) - used)
                print(
                    f"edit {edit + 1}: the new word shows after {seconds[-1]:.2f} s "
                    f"({cpu[-1]:.2f} s of CPU; load {os.getloadavg()[0]:.1f})"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        reader.join(timeout=5)
        said = [line.rstrip() for line in log if "annlab: serve" in line]
        print("\n".join(dict.fromkeys(said)))
        build = no_change_build(tree)
        best = min(seconds)
        print("\n| measure | seconds |\n|---|---:|")
        print(f"| prose edit shown in serve (best of {len(seconds)}) | {best:.2f} |")
        print(f"| prose edit shown in serve (median) | {sorted(seconds)[len(seconds) // 2]:.2f} |")
        print(f"| CPU of serve's rebuild (best of {len(cpu)}) | {min(cpu):.2f} |")
        print(f"| no-change `mkdocs build --strict` | {build:.1f} |")
        print(f"\nserve edit / no-change build: {best / build:.3f}")


if __name__ == "__main__":
    main()
