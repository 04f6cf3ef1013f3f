"""What both halves of the suite share: the checkout's root, and the order of a run.

``tests/library/`` tests the ``annlab`` package; ``tests/site/`` the site built on it
(its plugin, its pages, the built site in a browser and as a PDF). Each has its own
conftest for the fixtures only it uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


SLOW_MARKERS = ("browser", "site", "pages")
READER_PASS = "test_every_page_as_a_reader_sees_it"
PAGE_RUN = "test_page_code_runs_as_plain_python_under_another_numeric_profile"
# Seconds the longest tests took in a fresh clone's run on 2 cores (2026-12-07, 48d0d3e),
# by name: the slow tests start longest first. Only the order depends on them.
SECONDS = {
    f"{PAGE_RUN}[10_multilayer]": 46,
    f"{PAGE_RUN}[04_loss_and_cost]": 42,
    f"{PAGE_RUN}[09_learning_rates]": 37,
    "test_two_clean_builds_are_byte_identical": 32,
    "test_pages_read_on_a_phone": 25,
    "test_cache_reuses_and_invalidates_exactly": 21,
    "test_search_works_offline_and_finds_each_tutorial": 12,
    f"{PAGE_RUN}[08_qwerties]": 11,
    "test_copy_buttons_copy_the_code_the_page_ran": 10,
    "test_serve_rebuilds_show_a_prose_edit_without_a_run_and_rerun_a_code_edit": 10,
    "test_the_downloads_run_without_the_repository": 10,
    "test_no_broken_internal_links_or_anchors": 9,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the tests so that two xdist workers stay busy to the end.

    ``--dist worksteal`` hands each of the two workers a contiguous half of this order,
    and a worker that runs dry steals the later half of the other's queue. The first
    half opens with the reader passes (a test per colour scheme and group of pages, the
    longest tests that need the built site): its worker builds the site (two kernels)
    and then runs them. The second half opens with the whole pages (each tutorial's code
    as plain Python, the longest tests that need no built site), heaviest first, so its
    worker computes while the site builds instead of waiting for it. The other slow
    tests (site, browser) alternate between the halves, longest first; the quick tests
    fill each half to the same count and come last, where stealing evens out the
    finish. Without xdist the order only changes.
    """
    passes = [i for i in items if getattr(i, "originalname", "") == READER_PASS]
    pages = [i for i in items if i not in passes and i.get_closest_marker("pages")]
    slow = [
        i
        for i in items
        if i not in passes
        and i not in pages
        and any(i.get_closest_marker(m) for m in SLOW_MARKERS)
    ]
    quick = [i for i in items if i not in passes and i not in pages and i not in slow]
    pages.sort(key=lambda i: (-SECONDS.get(i.name, 0), -_page_number(i)))
    slow.sort(key=lambda i: -SECONDS.get(i.name, 0))
    first = passes + slow[1::2]
    second = pages + slow[0::2]
    need = len(items) // 2 - len(first)  # worksteal gives the first worker len // 2 items
    first += quick[:need]
    second += quick[need:]
    items[:] = first + second


def _page_number(item: pytest.Item) -> int:
    """The tutorial's number in a test id such as ``...[10_multilayer]``, else 0."""
    name = getattr(item, "name", "")
    if "[" in name and name.split("[", 1)[1][:2].isdigit():
        return int(name.split("[", 1)[1][:2])
    return 0
