"""The one progress bar of annlab's trainers (``progress=True``), from the optional tqdm."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def progress_bar(
    iterable: Iterable[int] | None = None, *, total: int | None = None, desc: str, unit: str
) -> Any:
    """A tqdm bar over ``iterable`` (or counting to ``total``); says what to install if missing.

    ``tqdm.auto`` draws a widget in Jupyter and text in a terminal.
    """
    try:
        from tqdm.auto import tqdm
    except ImportError as error:
        raise ImportError("progress=True needs tqdm: pip install annlab[progress]") from error
    return tqdm(iterable, total=total, desc=desc, unit=unit)
