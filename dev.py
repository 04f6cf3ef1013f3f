#!/usr/bin/env python3
"""One entry point for working on annlab: set up, serve, build, test.

    python3 dev.py serve   # set up, build and serve the site on http://127.0.0.1:8000
    python3 dev.py test    # set up and run the whole test suite (what CI runs)
    python3 dev.py fast    # the fast lane while editing: lint, types, unit tests, doctests
    python3 dev.py build   # set up and build the static site (and its PDF) into site/
    python3 dev.py build --properdocs   # the same, built by ProperDocs (the fallback)
    python3 dev.py snapshot  # refresh tests/site/snapshots/ (what every page prints)
    python3 dev.py setup   # only set up (.venv with pinned packages, Chromium)

Only the standard library is used here: this file runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
STAMP = VENV / ".annlab-setup-stamp"
# What the environment is made from: a change to any of them re-runs the install (so a
# fresh clone, or a pull that adds the site's plugin package, gets it).
PINNED_INPUTS = ("constraints.txt", "pyproject.toml", "tools/pyproject.toml")
BROWSER_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# The W3C Nu HTML checker, from npm (it needs Java); the tests find it here.
HTML_CHECKER_VERSION = "26.9.27"
NODE_TOOLS = ROOT / ".cache" / "node-tools"
HTML_CHECKER = NODE_TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# axe-core, the accessibility engine of the browser tests' reader pass, from npm. The copy
# axe-playwright-python ships (4.12.1) builds each colour it parses through Babel's
# private-field helpers: its contrast rule took 9.7 s on tutorial 9 where 4.14.1 takes
# 3.5 s (axe-core pull request 5323), with the same 96 rules on by default.
AXE_CORE_VERSION = "4.14.1"
AXE_CORE = NODE_TOOLS / "node_modules" / "axe-core"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(*args: str | Path, **kwargs: object) -> None:
    """Run a command, echo it, and stop with its exit code if it fails."""
    say(" ".join(str(a) for a in args))
    result = subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        sys.exit(result.returncode)


def setup_fingerprint() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for name in PINNED_INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    """Create .venv and install the pinned set; a no-op when nothing changed."""
    if sys.version_info[:2] != (3, 11):
        say(f"warning: the pins were made for Python 3.11, this is {sys.version.split()[0]}")
    fingerprint = setup_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint and (BIN / "python").exists():
        say("environment up to date (.venv)")
        return
    if not (BIN / "python").exists():
        run(sys.executable, "-m", "venv", VENV)
    pip = (
        BIN / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        "constraints.txt",
    )
    # The editable build uses the venv's own (pinned) setuptools: --no-build-isolation
    # means nothing unpinned is fetched just to build annlab.
    run(*pip, "setuptools")
    run(*pip, "--no-build-isolation", "-e", ".[test]")
    # The site's build code, a MkDocs plugin of its own (tools/annlab_site): installed
    # beside annlab, never in its wheel. Its imports come with annlab's docs extra, but
    # for mini-racer (Temml at build time) and fontTools with Brotli (the math font cut
    # to the pages' characters), which it declares itself.
    run(*pip, "--no-build-isolation", "-e", "tools")
    STAMP.write_text(fingerprint)
    say("environment ready (.venv)")


def find_browser() -> str | None:
    explicit = os.environ.get("ANNLAB_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return next((p for p in BROWSER_CANDIDATES if Path(p).exists()), None)


def ensure_browser() -> None:
    """Install Debian's Chromium for the browser tests when it is missing and we can."""
    if find_browser():
        return
    can_apt = shutil.which("apt-get") is not None and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_apt:
        say(
            "Chromium not found and apt-get is not usable here: browser tests will be skipped "
            "(they fail under CI=true). Install it with: apt-get install -y chromium"
        )
        return
    say("installing Chromium for the browser tests (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=env, check=False)


def ensure_html_checker() -> None:
    """Install the Nu HTML checker (npm's vnu-jar) for the markup test, when we can."""
    if HTML_CHECKER.exists():
        return
    if shutil.which("npm") is None or shutil.which("java") is None:
        say(
            "npm or java not found: the HTML checker test will be skipped "
            "(it fails under CI=true). Install Node.js and a Java runtime to run it."
        )
        return
    say(f"installing the Nu HTML checker (npm vnu-jar@{HTML_CHECKER_VERSION})")
    npm_install(f"vnu-jar@{HTML_CHECKER_VERSION}")


def installed_axe_core() -> str | None:
    """The version of axe-core in .cache/node-tools/, or None."""
    import json

    manifest = AXE_CORE / "package.json"
    if not (manifest.exists() and (AXE_CORE / "axe.min.js").exists()):
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))


def ensure_axe_core() -> None:
    """Install the pinned axe-core (npm) for the browser tests, when we can."""
    if installed_axe_core() == AXE_CORE_VERSION:
        return
    if shutil.which("npm") is None:
        say(
            "npm not found: the browser tests use the slower axe-core that "
            "axe-playwright-python ships (they fail under CI=true). Install Node.js to fix."
        )
        return
    say(f"installing the browser tests' accessibility engine (npm axe-core@{AXE_CORE_VERSION})")
    npm_install(f"axe-core@{AXE_CORE_VERSION}")


def npm_install(package: str) -> bool:
    """Install one pinned npm package into .cache/node-tools/ (the HTML checker and
    axe-core here, Lighthouse for ``benchmarks/bench_lighthouse.py``); False if npm failed."""
    command = ["npm", "install", "--prefix", str(NODE_TOOLS), "--no-audit", "--no-fund"]
    return subprocess.run([*command, "--silent", package], check=False).returncode == 0


def tool_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(VENV)
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    browser = find_browser()
    if browser:
        env["ANNLAB_CHROMIUM"] = browser
    if HTML_CHECKER.exists():
        env["ANNLAB_VNU_JAR"] = str(HTML_CHECKER)
    if installed_axe_core() == AXE_CORE_VERSION:
        env["ANNLAB_AXE_CORE"] = str(AXE_CORE / "axe.min.js")
    return env


def main(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else "help"
    extra = argv[2:]
    if command not in {"setup", "serve", "build", "test", "fast", "snapshot"}:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)
    ensure_venv()
    if command in {"setup", "test", "build"}:  # the fast lane needs no browser
        ensure_browser()  # the build prints the PDF edition with it
    if command in {"setup", "test"}:
        ensure_html_checker()
        ensure_axe_core()
    env = tool_env()
    if command == "serve":
        run(BIN / "mkdocs", "serve", "--strict", "-a", "127.0.0.1:8000", *extra, env=env)
    elif command == "build":
        # --properdocs: the same build by ProperDocs, MkDocs 1.6.1's fork that keeps its
        # plugin API (the fallback CONTRIBUTING describes; it writes the same site).
        tool = "properdocs" if "--properdocs" in extra else "mkdocs"
        extra = [arg for arg in extra if arg != "--properdocs"]
        if tool == "properdocs" and not any(a in {"-f", "--config-file"} for a in extra):
            extra = ["-f", "mkdocs.yml", *extra]  # ProperDocs looks for properdocs.yml
        run(BIN / tool, "build", "--strict", *extra, env=env)
    elif command == "snapshot":
        run(BIN / "python", "-m", "tests.site.snapshot", *extra, env=env)
    elif command in {"test", "fast"}:
        run(BIN / "ruff", "check", ".", env=env)
        run(BIN / "ruff", "format", "--check", ".", env=env)  # fix with: ruff format .
        run(BIN / "mypy", env=env)
        lane = ["-m", "not site and not browser and not pages"] if command == "fast" else []
        run(
            BIN / "python",
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "worksteal",
            *lane,
            *extra,
            env=env,
        )


if __name__ == "__main__":
    main(sys.argv)
