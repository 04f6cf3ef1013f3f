"""The build's memo on disk: results of slow, pure build steps, keyed by a hash of inputs.

Used for steps that cost seconds on every build although their inputs rarely change
(executing a page, the search plugin's parse of each page, the API pages' "Used on"
lists, notebook conversions). A result is looked up by a SHA-256 of everything it
depends on, so an entry is never stale, only unused; the folder (``.cache/pages/`` or
``$ANNLAB_PAGE_CACHE``, ignored by git) is safe to delete. After a whole build,
:meth:`Memo.prune` deletes the entries that build did not use: without it the folder
grew by about 1 MB per tutorial per ``annlab`` edit.

Under ``mkdocs serve`` the builds of one process also share a :class:`Recall`: the
entries the last build used, kept in memory as read, so that a rebuild after an edit
neither reads nor parses again the megabytes of JSON of the pages that did not change.
An entry's name is a hash of its inputs, so what memory holds under a name is what the
disk holds under it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

T = TypeVar("T")


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


class Recall:
    """Entries of a :class:`Memo` held in memory from one build to the next (``mkdocs
    serve``): each build keeps only what it used, so memory holds one site's worth."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.entries: dict[str, Any] = {}  # an entry's name -> its value (or text)
        # A tutorial's run key by its cache key, which hashes all the run key does (and
        # more): a page that did not change is not parsed again to find it.
        self.run_keys: dict[str, str] = {}

    def start(self, folder: Path) -> None:
        """A new build against ``folder``; another folder is another cache."""
        if folder != self.folder:
            self.entries.clear()
            self.folder = folder

    def keep_only(self, used: set[str]) -> None:
        self.entries = {name: value for name, value in self.entries.items() if name in used}


class Memo:
    """Results stored under ``folder``, and the record of which ones this build used;
    with a :class:`Recall`, also in memory for the next build of the process."""

    def __init__(self, folder: Path, recall: Recall | None = None) -> None:
        self.folder = folder
        self.used: set[str] = set()  # names of entries this build read or wrote
        self.recall = recall
        if recall is not None:
            recall.start(folder)

    def keep(self, name: str) -> Path:
        """Mark a file or folder of the memo as used by this build (so prune keeps it),
        and return its path."""
        self.used.add(name)
        return self.folder / name

    def has(self, name: str) -> bool:
        """Whether the memo holds ``name``; marked used either way."""
        return self.keep(name).exists()

    def read_text(self, name: str) -> str:
        path = self.keep(name)
        if self.recall is not None and name in self.recall.entries:
            return str(self.recall.entries[name])
        text = path.read_text(encoding="utf-8")
        self._remember(name, text)
        return text

    def load(self, kind: str, key: str) -> Any | None:
        """The stored result of ``kind`` for ``key``, or None when there is none.

        Treat it as read-only: with a :class:`Recall`, the next build gets the same
        object."""
        name = f"{kind}-{key}.json"
        path = self.keep(name)
        if self.recall is not None and name in self.recall.entries:
            return self.recall.entries[name]
        if not path.exists():
            return None
        value = json.loads(path.read_text(encoding="utf-8"))
        self._remember(name, value)
        return value

    def store(self, kind: str, key: str, value: Any) -> Any:
        """Store a JSON-able result (written whole or not at all) and return it."""
        name = f"{kind}-{key}.json"
        self.write_text(name, json.dumps(value))
        self._remember(name, value)
        return value

    def in_memory(self, kind: str, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, kept in memory only, for the next builds of the process (with a
        :class:`Recall`; without one, computed every time): for steps too quick to
        be worth a file but that add up over a site's pages."""
        if self.recall is None:
            return compute()
        name = f"{kind}-{key}"
        self.used.add(name)
        if name not in self.recall.entries:
            self.recall.entries[name] = compute()
        return cast(T, self.recall.entries[name])

    def _remember(self, name: str, value: Any) -> None:
        if self.recall is not None:
            self.recall.entries[name] = value

    def write_text(self, name: str, text: str) -> None:
        self._remember(name, text)
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
