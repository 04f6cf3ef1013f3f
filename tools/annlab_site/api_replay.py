"""Under ``mkdocs serve``, an API page whose Markdown and package did not change is not
rendered again: :class:`ApiReplay`.

mkdocstrings renders the 18 API pages from the package's docstrings on every build
(about 0.5 s of CPU, a sixth of a rebuild after a prose edit of a tutorial). What a
render leaves behind is the page's HTML, its table of contents, its title, the anchors
MkDocs validates links against, and what it registered with other plugins: autorefs'
anchors (the cross-references between entries) and mkdocstrings' inventory
(``objects.inv``). Under serve the first build keeps all of it in memory, and a rebuild
sets it on the page again, registrations included, when nothing the render read changed:
the page's Markdown and URL, the package's sources, ``mkdocs.yml`` and the site's files.
``mkdocs build`` renders every page, every time (``tests/site/test_page_cache.py``
checks that a serve rebuild writes the same API pages and inventory).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from annlab_site import upstream
from annlab_site.memo import Memo, digest


@dataclass(frozen=True)
class RenderedApiPage:
    """What rendering an API page left on the page and registered elsewhere."""

    content: str
    toc: Any  # MkDocs' TableOfContents, copied before any plugin edits it
    title: str | None
    anchor_ids: set[str]
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked file's src_uri
    registrations: list[upstream.Registration]


class ApiReplay:
    """Renders API pages once per change under serve, and replays them otherwise."""

    def __init__(self, memo: Memo, site_key: str) -> None:
        self.memo = memo  # with a Recall: entries live in memory only
        self.site_key = site_key  # mkdocs.yml, the package's sources, the site's files
        self.rendered = 0
        self.replayed = 0

    def take(self, page: Page) -> None:
        """Have MkDocs render ``page`` through this replay."""
        render = page.render

        def replay(config: MkDocsConfig, files: Files) -> None:
            rendered_now = False

            def render_now() -> RenderedApiPage:
                nonlocal rendered_now
                rendered_now = True
                return _render(page, render, config, files)

            key = digest(self.site_key, page.url, page.markdown or "")
            rendered = self.memo.in_memory("api-page", key, render_now)
            if rendered_now:
                self.rendered += 1
            else:
                self.replayed += 1
                _restore(page, rendered, config, files)

        upstream.render_with(page, replay)


def site_key(config: MkDocsConfig, library_sources: list[bytes], files: Files) -> str:
    """What every API page's render reads besides its own Markdown."""
    return digest(
        Path(config.config_file_path or "mkdocs.yml").read_bytes(),
        *library_sources,
        *(file.src_uri for file in files),
    )


def _render(
    page: Page, render: upstream.Render, config: MkDocsConfig, files: Files
) -> RenderedApiPage:
    with upstream.recording_registrations(config) as registrations:
        render(config, files)
    links = page.links_to_anchors
    return RenderedApiPage(
        content=page.content or "",
        toc=copy.deepcopy(page.toc),
        title=upstream.title_from_render(page),
        anchor_ids=set(page.present_anchor_ids or ()),
        links_to_anchors=None
        if links is None
        else {file.src_uri: dict(anchors) for file, anchors in links.items()},
        registrations=registrations,
    )


def _restore(page: Page, rendered: RenderedApiPage, config: MkDocsConfig, files: Files) -> None:
    page.content = rendered.content
    page.toc = copy.deepcopy(rendered.toc)
    upstream.set_title_from_render(page, rendered.title)
    page.present_anchor_ids = set(rendered.anchor_ids)
    if rendered.links_to_anchors is not None:
        page.links_to_anchors = {
            file: dict(anchors)
            for uri, anchors in rendered.links_to_anchors.items()
            if (file := files.get_file_from_path(uri)) is not None
        }
    upstream.replay_registrations(config, page, rendered.registrations)
