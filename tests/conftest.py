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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the tests so that two xdist workers stay busy to the end.

    ``--dist worksteal`` hands each of the two workers a contiguous half of this order,
    and a worker that runs dry steals from the other's queue. So the two reader passes
    (light and dark, the longest tests) each open a half and run side by side once the
    site is built; the other slow tests (site, browser, whole pages) alternate between
    the halves, longest first; the quick tests fill each half to the same count and come
    last, where stealing evens out the finish. Without xdist the order only changes.
    """
    passes = [i for i in items if getattr(i, "originalname", "") == READER_PASS]
    slow = [
        i for i in items if i not in passes and any(i.get_closest_marker(m) for m in SLOW_MARKERS)
    ]
    # Whole pages first, heaviest first: page 10's plain-Python run is the longest of them.
    slow.sort(key=lambda i: (not i.get_closest_marker("pages"), -_page_number(i)))
    quick = [i for i in items if i not in passes and i not in slow]
    halves: tuple[list[pytest.Item], list[pytest.Item]] = ([], [])
    for index, item in enumerate(passes + slow):
        halves[index % 2].append(item)
    first, second = halves
    need = len(items) // 2 - len(first)  # worksteal gives the first worker len // 2 items
    first += quick[:need]
    second += quick[need:]
    items[:] = first + second


READER_PASS = "test_every_page_as_a_reader_sees_it"


def _page_number(item: pytest.Item) -> int:
    """The tutorial's number in a test id such as ``...[10_multilayer]``, else 0."""
    name = getattr(item, "name", "")
    if "[" in name and name.split("[", 1)[1][:2].isdigit():
        return int(name.split("[", 1)[1][:2])
    return 0
