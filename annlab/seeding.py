"""Seeding: every random draw in annlab comes from a generator made from a seed.

Functions that draw (data sets, initial weights, shuffles) take a ``seed`` argument,
an int, a ``torch.Generator`` or None, and turn it into a generator with
:func:`as_generator`, never touching torch's global random state: the same seed gives
the same numbers wherever it is used, and one generator can be passed along to draw
several things from one stream.
"""

from __future__ import annotations

from numbers import Integral

import torch

from annlab._checks import _show, check_seed


def as_generator(seed: int | torch.Generator | None) -> torch.Generator:
    """Turn a seed into a random-number generator.

    Parameters
    ----------
    seed : int, torch.Generator or None
        An integer gives a new generator seeded with it (the same integer always
        gives the same numbers); a generator is returned unchanged, so a caller
        can draw several things from one stream; ``None`` gives a generator
        seeded from the operating system (different every call).

    Returns
    -------
    torch.Generator
        A CPU generator.

    Raises
    ------
    TypeError
        If ``seed`` is not an int, a generator or None.

    Examples
    --------
    >>> a = torch.rand(3, generator=as_generator(7))
    >>> b = torch.rand(3, generator=as_generator(7))
    >>> bool(torch.equal(a, b))
    True
    >>> g = torch.Generator().manual_seed(1)
    >>> as_generator(g) is g
    True
    """
    if isinstance(seed, torch.Generator):
        return seed
    if seed is None:
        generator = torch.Generator()
        generator.seed()
        return generator
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be an int, a torch.Generator or None; got {_show(seed)}")
    return torch.Generator().manual_seed(check_seed(seed, "seed"))
