"""Which ``annlab`` objects a tutorial imports, and where the API reference documents them.

Read statically with ``ast`` from the sources (no import of ``annlab``, so no torch
start-up in the build): ``from annlab.data import qwerties`` names
``annlab.data.qwerties`` if ``annlab/data.py`` (or ``annlab/data/__init__.py``)
defines ``qwerties`` at its top level (a function, class or upper-case constant), or
follows the import if it re-exports it from another ``annlab`` module. Subpackages
resolve the same way: ``from annlab.plots.surfaces import heatmap`` reads
``annlab/plots/surfaces.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from mkdocs.utils import get_relative_url


def module_file(module: str, library: Path) -> Path | None:
    """The source of ``annlab.<dotted>``: ``<dotted>.py`` or ``<dotted>/__init__.py``."""
    parts = module.split(".")[1:]
    if not parts:
        return library / "__init__.py"
    candidates = [
        library.joinpath(*parts).with_suffix(".py"),
        library.joinpath(*parts, "__init__.py"),
    ]
    return next((path for path in candidates if path.is_file()), None)


def module_names(
    module: str, library: Path, read: dict[str, dict[str, str]] | None = None
) -> dict[str, str]:
    """Top-level names of ``annlab.<module>`` -> documented path (where each is defined).

    ``read`` holds the modules one caller has read already; nothing is kept between
    calls (``mkdocs serve`` rebuilds after an edit of the sources).
    """
    read = {} if read is None else read
    if module not in read:
        read[module] = {}  # an import cycle reads as nothing more
        read[module] = _names(module, library, read)
    return read[module]


def _names(module: str, library: Path, read: dict[str, dict[str, str]]) -> dict[str, str]:
    path = module_file(module, library)
    if path is None:
        return {}
    names: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names[node.name] = f"{module}.{node.name}"
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    names[target.id] = f"{module}.{target.id}"
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, module, path.name == "__init__.py")
            if source is None:
                continue
            for alias in node.names:
                found = module_names(source, library, read).get(alias.name)
                if found is not None:
                    names[alias.asname or alias.name] = found
    # What a private module defines has no page, even when a public one re-exports it.
    return {
        name: found
        for name, found in names.items()
        if not name.startswith("_") and is_public(found)
    }


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str | None:
    """The annlab module an import reads from (relative imports made absolute), else None."""
    if node.level:
        base = module.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    return target if target.startswith("annlab.") else None


def imported_names(source: str, library: Path) -> dict[str, str]:
    """Names a page's code imports from annlab -> documented path; modules map to themselves.

    >>> library = Path(__file__).parent  # a folder with no module "data"
    >>> imported_names("from annlab.data import qwerties as q", library)
    {'annlab.data': 'annlab.data'}
    """
    names: dict[str, str] = {}
    read: dict[str, dict[str, str]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("annlab."):
            assert node.module is not None
            if is_public(node.module):
                names[node.module] = node.module
            defined = module_names(node.module, library, read)
            for alias in node.names:
                if alias.name in defined:
                    names[alias.asname or alias.name] = defined[alias.name]
    return names


def is_public(module: str) -> bool:
    """Whether a dotted path has a page: no component starts with an underscore."""
    return not any(part.startswith("_") for part in module.split("."))


def api_url(path: str, library: Path, api_dir: str = "api") -> str:
    """Site URL of a documented path: its module's page, with the object as the anchor.

    The module is the longest prefix of ``path`` that is a module of ``library``:
    ``annlab.plots.surfaces.heatmap`` -> ``api/plots/surfaces/#annlab.plots.surfaces.heatmap``.

    >>> library = Path(__file__).parent  # holds a module "memo"
    >>> api_url("annlab.memo", library), api_url("annlab.memo.Memo", library)
    ('api/memo/', 'api/memo/#annlab.memo.Memo')
    """
    parts = path.split(".")
    module = next(
        (parts[:n] for n in range(len(parts), 1, -1) if module_file(".".join(parts[:n]), library)),
        parts[:2],
    )
    page = f"{api_dir}/" + "/".join(module[1:]) + "/"
    return page if len(module) == len(parts) else f"{page}#{path}"


def api_links(
    code: str, documented: set[str], library: Path, api_dir: str, url: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Where a page at ``url`` links each name its ``code`` imports from annlab, and each
    name its prose may write in backquotes (those, and every ``documented`` path), to
    the API reference, as relative URLs."""

    def link(path: str) -> str:
        return get_relative_url(api_url(path, library, api_dir), url)

    code_links = {name: link(path) for name, path in imported_names(code, library).items()}
    return code_links, {**{path: link(path) for path in documented}, **code_links}
