"""The build's memo on disk: results of slow, pure build steps, keyed by a hash of inputs.

Used by the hooks for steps that cost seconds on every build although their inputs
rarely change (the search plugin's parse of each page, the API pages' "Used on" lists,
notebook conversions). A result is looked up by a SHA-256 of everything it depends on,
so an entry is never stale, only unused; the folder is the page cache's
(``.cache/pages/`` or ``$ANNLAB_PAGE_CACHE``, ignored by git) and is safe to delete.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    return Path(os.environ.get("ANNLAB_PAGE_CACHE", ROOT / ".cache" / "pages"))


def library_sources(library: Path | None = None) -> list[bytes]:
    """Every ``annlab`` source, each as its relative path and its bytes, in a fixed order.

    ``$ANNLAB_SOURCE_DIR`` points at another copy of the package (the cache tests edit one).
    """
    if library is None:
        library = Path(os.environ.get("ANNLAB_SOURCE_DIR", ROOT / "annlab"))
    return [
        part
        for source in sorted(library.rglob("*.py"))
        for part in (source.relative_to(library).as_posix().encode(), source.read_bytes())
    ]


def digest(*parts: str | bytes) -> str:
    """A hash of the parts, each length-prefixed so that ("ab", "c") != ("a", "bc")."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def load(kind: str, key: str) -> Any | None:
    """The stored result of ``kind`` for ``key``, or None when there is none."""
    path = cache_dir() / f"{kind}-{key}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def store(kind: str, key: str, value: Any) -> Any:
    """Store a JSON-able result (written whole or not at all) and return it."""
    path = cache_dir() / f"{kind}-{key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(json.dumps(value), encoding="utf-8")
    partial.replace(path)
    return value
