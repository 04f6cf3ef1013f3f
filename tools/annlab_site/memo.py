"""The build's memo on disk: results of slow, pure build steps, keyed by a hash of inputs.

Used for steps that cost seconds on every build although their inputs rarely change
(executing a page, the search plugin's parse of each page, the API pages' "Used on"
lists, notebook conversions). A result is looked up by a SHA-256 of everything it
depends on, so an entry is never stale, only unused; the folder (``.cache/pages/`` or
``$ANNLAB_PAGE_CACHE``, ignored by git) is safe to delete. After a whole build,
:meth:`Memo.prune` deletes the entries that build did not use: without it the folder
grew by about 1 MB per tutorial per ``annlab`` edit.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any


def library_sources(library: Path) -> list[bytes]:
    """Every source of the package at ``library``, each as its relative path and its
    bytes, in a fixed order."""
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


class Memo:
    """Results stored under ``folder``, and the record of which ones this build used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()  # names of entries this build read or wrote

    def keep(self, name: str) -> Path:
        """Mark a file or folder of the memo as used by this build (so prune keeps it),
        and return its path."""
        self.used.add(name)
        return self.folder / name

    def has(self, name: str) -> bool:
        """Whether the memo holds ``name``; marked used either way."""
        return self.keep(name).exists()

    def read_text(self, name: str) -> str:
        return self.keep(name).read_text(encoding="utf-8")

    def load(self, kind: str, key: str) -> Any | None:
        """The stored result of ``kind`` for ``key``, or None when there is none."""
        path = self.keep(f"{kind}-{key}.json")
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def store(self, kind: str, key: str, value: Any) -> Any:
        """Store a JSON-able result (written whole or not at all) and return it."""
        self.write_text(f"{kind}-{key}.json", json.dumps(value))
        return value

    def write_text(self, name: str, text: str) -> None:
        path = self.keep(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)

    def prune(self) -> list[str]:
        """Delete the entries this build did not use; return their names.

        Call it after a whole build only: a partial build (one page, mkdocs serve's
        rebuild of a changed page) uses a part of what the next full build needs.
        """
        if not self.folder.is_dir():
            return []
        removed = []
        for entry in sorted(self.folder.iterdir()):
            if entry.name in self.used or entry.name.endswith(".partial"):
                continue
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry.name)
        return removed
