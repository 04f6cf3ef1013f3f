"""Which ``annlab`` objects a tutorial imports, and where the API reference documents them.

Read statically with ``ast`` from the sources (no import of ``annlab``, so no torch
start-up in the build): ``from annlab.data import qwerties`` names
``annlab.data.qwerties`` if ``annlab/data.py`` defines ``qwerties`` at its top level
(a function, class or assignment), or follows the import if it re-exports it from
another ``annlab`` module.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[1] / "annlab"


@functools.cache
def _module_names(module: str, library: Path = LIBRARY) -> dict[str, str]:
    """Top-level names of ``annlab.<module>`` -> documented path (where each is defined)."""
    path = library / f"{module.split('.', 1)[1].replace('.', '/')}.py"
    if not path.exists():
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
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("annlab."):
            assert node.module is not None
            for alias in node.names:
                found = _module_names(node.module, library).get(alias.name)
                if found is not None:
                    names[alias.asname or alias.name] = found
    return {name: path for name, path in names.items() if not name.startswith("_")}


def imported_names(source: str) -> dict[str, str]:
    """Names a page's code imports from annlab -> documented path; modules map to themselves.

    >>> imported_names("from annlab.data import qwerties as q")
    {'annlab.data': 'annlab.data', 'q': 'annlab.data.qwerties'}
    """
    names: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("annlab."):
            assert node.module is not None
            names[node.module] = node.module
            defined = _module_names(node.module)
            for alias in node.names:
                if alias.name in defined:
                    names[alias.asname or alias.name] = defined[alias.name]
    return names


def api_url(path: str, library: Path = LIBRARY) -> str:
    """Site URL of a documented path, from the module that documents it.

    >>> api_url("annlab.data"), api_url("annlab.data.qwerties")
    ('api/data/', 'api/data/#annlab.data.qwerties')
    >>> api_url("annlab.by_hand.losses.mse")
    'api/by_hand/losses/#annlab.by_hand.losses.mse'
    """
    parts = path.split(".")
    for end in range(len(parts), 1, -1):
        module = parts[1:end]
        if (library / "/".join(module)).with_suffix(".py").exists():
            url = "api/" + "/".join(module) + "/"
            return url if end == len(parts) else f"{url}#{path}"
    raise ValueError(f"{path} is not in a module of {library}")
