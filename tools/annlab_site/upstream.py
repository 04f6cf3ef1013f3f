"""The one place where the plugin reaches into other packages' internals.

Each reach here has no public hook to do its job, and ``tests/site/test_upstream.py``
checks the internals it relies on, so an upgrade that changes them fails the suite
loudly instead of quietly changing the site.

- :func:`render_with` replaces a page's ``render`` method. MkDocs calls
  ``page.render(config, files)`` to turn Markdown into HTML, and mkdocs-jupyter replaces
  it on each notebook page with its own converter; the tutorials are run and converted
  by this plugin instead, so its render replaces mkdocs-jupyter's.
- :func:`removed_cell_tags` reads mkdocs-jupyter's ``remove_cell_tags`` setting
  (nested in its untyped ``remove_tag_config``).
- :func:`mkdocstrings_env` reaches mkdocstrings' Python handler's Jinja environment
  (through the plugin's ``handlers``), to give it the theme's bytecode cache.
- :func:`memoise_search` makes Material's search plugin replay the index entries of
  pages that did not change. Its ``SearchIndex.add_entry_from_context(page)`` parses
  every page's HTML on every build (about 1.8 of a 6.6 s no-change rebuild); the result
  depends only on the page's HTML, URL, title, metadata, table of contents and the
  plugin's settings, so it is stored under a hash of exactly those and Material's
  version, and replayed. The index written at the end is the same JSON either way
  (``tests/site/test_page_cache.py``).
- :func:`memoise_signature_format` stores the signatures mkdocstrings' Python handler
  formats. With ``separate_signature``, each long signature of the API pages is laid
  out by its formatter, which (without Black) starts one ``ruff format`` process per
  signature: 51 processes, about 0.35 s of every build and of every ``mkdocs serve``
  rebuild. The layout depends only on the code, the line length and the formatter's
  version, so it is stored under a hash of those.
- :func:`recording_registrations` and :func:`replay_registrations` let an API page's
  render be replayed under ``mkdocs serve`` (``api_replay``): they record what the render
  registers with autorefs (``register_anchor``) and with mkdocstrings' inventory
  (``inventory.register``), and register it again for the page of a later build;
  :func:`title_from_render` reads the title MkDocs keeps from a render.
- :func:`cache_notebook_templates` gives nbconvert's template exporters a Jinja
  bytecode cache. mkdocs-jupyter makes a new exporter (and so a new Jinja environment)
  for every conversion, two per tutorial, and each compiled nbconvert's 21 templates
  again: about 0.15 s per conversion, in every build and every serve rebuild.
- :func:`poll_every` shortens how often ``mkdocs serve`` looks for edits. MkDocs polls
  the watched folders every 0.5 s (watchdog's ``PollingObserver``, chosen for editors
  that replace files), so a rebuild started on average a quarter of a second after the
  save; a poll of ``docs/`` takes about a millisecond.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import json
from collections.abc import Callable, Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from annlab_site import search_text
from annlab_site.memo import Memo, digest

Render = Callable[[MkDocsConfig, Files], None]
# A call a render made: "anchor" (autorefs) or "inventory" (mkdocstrings), and its
# arguments but the page.
Registration = tuple[str, tuple[Any, ...], dict[str, Any]]


def render_with(page: Page, render: Render) -> None:
    """Have MkDocs call ``render(config, files)`` instead of ``page.render`` for ``page``."""
    setattr(page, "render", render)  # noqa: B010 (a method replaced on one instance)


def removed_cell_tags(config: MkDocsConfig) -> frozenset[str]:
    """The cell tags mkdocs-jupyter leaves off the page (``remove_tag_config:
    remove_cell_tags:`` in mkdocs.yml, passed on to nbconvert's TagRemovePreprocessor):
    such cells run but are not shown, so the plugin counts and matches the shown cells
    without them."""
    removal = config.plugins["mkdocs-jupyter"].config.get("remove_tag_config") or {}
    return frozenset(removal.get("remove_cell_tags") or ())


def mkdocstrings_env(config: MkDocsConfig) -> Any:
    """The Jinja environment of mkdocstrings' Python handler (its templates are compiled
    like the theme's, so they share the theme's bytecode cache)."""
    handlers = config.plugins["mkdocstrings"].handlers  # type: ignore[attr-defined]
    return handlers.get_handler("python").env


def memoise_signature_format(memo: Memo) -> None:
    """Have mkdocstrings' Python handler look up each formatted signature in ``memo``
    before it starts its formatter (for this build: each build calls this with its memo)."""
    rendering = importlib.import_module("mkdocstrings_handlers.python._internal.rendering")
    original = getattr(rendering._get_formatter, "original", rendering._get_formatter)
    formatter = original()
    versions = []
    for name in ("black", "ruff"):  # the two formatters the handler may use
        try:
            versions.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} absent")

    def format_code(code: str, line_length: int) -> str:
        key = digest(formatter.__qualname__, *versions, code, str(line_length))
        stored = memo.load("signature", key)
        if stored is None:
            stored = memo.store("signature", key, formatter(code, line_length))
        return str(stored)

    def get_formatter() -> Callable[[str, int], str]:
        return format_code

    get_formatter.original = original  # type: ignore[attr-defined]
    setattr(rendering, "_get_formatter", get_formatter)  # noqa: B010 (a private function)


def _registries(config: MkDocsConfig) -> tuple[Any, Any]:
    """The autorefs plugin and mkdocstrings' inventory of this build."""
    handlers = config.plugins["mkdocstrings"].handlers  # type: ignore[attr-defined]
    return config.plugins["autorefs"], handlers.inventory


@contextlib.contextmanager
def recording_registrations(config: MkDocsConfig) -> Iterator[list[Registration]]:
    """Record, while in the block, every anchor registered with autorefs and every item
    registered in mkdocstrings' inventory (each call still goes through)."""
    autorefs, inventory = _registries(config)
    register_anchor, register_item = autorefs.register_anchor, inventory.register
    calls: list[Registration] = []

    def record_anchor(page: Page, *args: Any, **kwargs: Any) -> None:
        calls.append(("anchor", args, kwargs))
        register_anchor(page, *args, **kwargs)

    def record_item(*args: Any, **kwargs: Any) -> None:
        calls.append(("inventory", args, kwargs))
        register_item(*args, **kwargs)

    autorefs.register_anchor, inventory.register = record_anchor, record_item
    try:
        yield calls
    finally:  # the instances' own methods again
        del autorefs.register_anchor, inventory.register


def replay_registrations(
    config: MkDocsConfig, page: Page, registrations: list[Registration]
) -> None:
    """Make the registrations recorded by :func:`recording_registrations` again, for
    ``page``, in this build."""
    autorefs, inventory = _registries(config)
    for kind, args, kwargs in registrations:
        if kind == "anchor":
            autorefs.register_anchor(page, *args, **kwargs)
        else:
            inventory.register(*args, **kwargs)


def title_from_render(page: Page) -> str | None:
    """The title MkDocs took from the page's first heading when it rendered it."""
    return page._title_from_render


def set_title_from_render(page: Page, title: str | None) -> None:
    page._title_from_render = title


def cache_notebook_templates(cache: Any) -> None:
    """Have every Jinja environment nbconvert's ``TemplateExporter`` creates use the
    bytecode ``cache`` (a ``jinja2.BytecodeCache``; it checks each template's source,
    so it is never stale)."""
    from nbconvert.exporters.templateexporter import TemplateExporter

    exporter: Any = TemplateExporter
    create = getattr(exporter._create_environment, "original", exporter._create_environment)

    def _create_environment(self: Any) -> Any:
        environment = create(self)
        environment.bytecode_cache = cache
        return environment

    _create_environment.original = create  # type: ignore[attr-defined]
    exporter._create_environment = _create_environment


def poll_every(server: Any, seconds: float) -> None:
    """Have ``mkdocs serve``'s watcher (``LiveReloadServer.observer``) poll every
    ``seconds``: the folders it watches already and those it will."""
    observer = server.observer
    observer._timeout = seconds
    for emitter in observer.emitters:
        emitter._timeout = seconds


def search_index(config: MkDocsConfig) -> Any | None:
    """Material's ``SearchIndex`` of this build, if its search plugin is in use."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(search, "search_index", None)


def memoise_search(index: Any, memo: Memo, salt: bytes) -> None:
    """Make ``index.add_entry_from_context`` replay stored entries (once per index).

    ``salt`` is hashed into every key: the bytes of the code that shapes the entries.
    """
    parse = index.add_entry_from_context
    if getattr(parse, "memoised", False):
        return

    def add_entry_from_context(page: Page) -> None:
        key = _search_key(page, index.config, salt)
        entries = memo.load("search", key)
        if entries is not None:
            index.entries.extend(entries)
            return
        before = len(index.entries)
        content = page.content
        try:
            page.content = search_text.stored(memo, content or "")
            parse(page)
        finally:
            page.content = content
        memo.store("search", key, index.entries[before:])

    add_entry_from_context.memoised = True  # type: ignore[attr-defined]
    index.add_entry_from_context = add_entry_from_context


def _toc(items: Any) -> list[Any]:
    return [[item.id, item.url, item.title, _toc(item.children)] for item in items]


def _search_key(page: Page, settings: dict[str, Any], salt: bytes) -> str:
    meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
    return digest(
        salt,
        importlib.metadata.version("mkdocs-material"),
        page.content or "",
        page.url,
        str(page.title),
        json.dumps(meta, sort_keys=True, default=str),
        json.dumps(_toc(page.toc), default=str),
        json.dumps(settings, sort_keys=True, default=str),
    )
