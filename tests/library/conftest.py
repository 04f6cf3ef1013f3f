"""The library tests' fixtures, and the helpers several of their files share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def one_thread() -> Iterator[None]:
    """Torch on one thread, as the pages and the many-run trainer run: a second thread
    only adds contention on the tiny matrices of these networks."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def epochs_for(optimizer: str) -> int:
    """How many epochs a test that compares two ways of training runs with ``optimizer``.

    Adam rescales every gradient to about ±1, so float32 rounding grows faster than
    with SGD: 100 epochs with Adam, 200 with SGD.
    """
    return 200 if optimizer == "sgd" else 100
