"""Checks at the door: the argument checks that several parts of annlab share.

Each check raises a ``TypeError`` or ``ValueError`` whose message names the
argument, shows the value received and says what was expected, so a learner
never meets a traceback from deep inside torch. One copy of each check lives here;
a check that only one part uses lives next to it (the many-run trainer's in
:mod:`annlab.many_runs._spec`, the plots' in :mod:`annlab.plots._checks`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Integral, Real
from typing import Any, TypeVar

import torch

Name = TypeVar("Name", bound=str)  # names as a Literal, e.g. by_hand.activations.ActivationName


def _show(value: Any) -> str:
    """Describe a value briefly for an error message."""
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_tensor(
    value: Any,
    name: str,
    *,
    ndim: int | Iterable[int] | None = None,
    dtype: str = "float",
    finite: bool = True,
    min_rows: int = 1,
) -> torch.Tensor:
    """Check that ``value`` is a tensor of the expected kind and return it.

    Parameters
    ----------
    value : Any
        The argument to check. Lists and NumPy arrays are converted with
        ``torch.as_tensor``; floating values become ``float32`` unless already
        floating.
    name : str
        The argument's name, used in error messages.
    ndim : int or iterable of int, optional
        Allowed numbers of dimensions.
    dtype : {"float", "any"}
        ``"float"`` requires a floating-point tensor (integers are converted
        to ``float32``; booleans are refused).
    finite : bool
        Refuse NaN and infinite entries.
    min_rows : int
        The least number of entries along the first dimension.

    Returns
    -------
    torch.Tensor

    Raises
    ------
    TypeError
        If ``value`` is not array-like or has the wrong dtype.
    ValueError
        If its shape is wrong or it holds NaN or inf.

    Examples
    --------
    >>> check_tensor([[1, 2], [3, 4]], "x", ndim=2).dtype
    torch.float32
    >>> check_tensor(torch.zeros(3), "x", ndim=2)
    Traceback (most recent call last):
    ...
    ValueError: x must have 2 dimensions; got a tensor of shape (3,) and dtype torch.float32
    """
    if not isinstance(value, torch.Tensor):
        try:
            value = torch.as_tensor(value)
        except (TypeError, ValueError, RuntimeError) as error:
            message = f"{name} must be a tensor or array-like; got {_show(value)}"
            raise TypeError(message) from error
    if dtype == "float":
        if value.dtype == torch.bool or value.is_complex():
            raise TypeError(f"{name} must hold real numbers; got {_show(value)}")
        if not value.is_floating_point():
            value = value.to(torch.float32)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if value.ndim not in allowed:
            wanted = " or ".join(str(n) for n in allowed)
            raise ValueError(f"{name} must have {wanted} dimensions; got {_show(value)}")
    if value.ndim > 0 and value.shape[0] < min_rows:
        raise ValueError(f"{name} must have at least {min_rows} rows; got {_show(value)}")
    if finite and value.is_floating_point() and not bool(torch.isfinite(value).all()):
        raise ValueError(f"{name} must not contain NaN or inf; got {_show(value)}")
    return torch.as_tensor(value)


def check_same_rows(a: torch.Tensor, a_name: str, b: torch.Tensor, b_name: str) -> None:
    """Check that two tensors have the same number of rows.

    Examples
    --------
    >>> check_same_rows(torch.zeros(3, 2), "x", torch.zeros(4), "y")
    Traceback (most recent call last):
    ...
    ValueError: x and y must have the same number of rows; got 3 and 4
    """
    for value, name in ((a, a_name), (b, b_name)):
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"{name} must be a tensor; got {_show(value)}")
        if value.ndim == 0:
            raise ValueError(f"{name} must have rows (at least 1 dimension); got {_show(value)}")
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{a_name} and {b_name} must have the same number of rows; "
            f"got {a.shape[0]} and {b.shape[0]}"
        )


def check_positive_int(value: Any, name: str) -> int:
    """Check that ``value`` is an int of at least 1 and return it.

    Examples
    --------
    >>> check_positive_int(5, "epochs")
    5
    >>> check_positive_int(0, "epochs")
    Traceback (most recent call last):
    ...
    ValueError: epochs must be a positive int; got 0
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a positive int; got {_show(value)}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int; got {value}")
    return int(value)


def _real(value: Any, name: str, expected: str) -> float:
    """``value`` as a float if it is a real number (or a one-element tensor), else TypeError."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be {expected}; got {_show(value)}")
    return float(value)


def check_real(
    value: Any, name: str, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    """Check that ``value`` is a finite real number (from ``minimum`` to ``maximum``); return it.

    Examples
    --------
    >>> check_real(2, "spread", minimum=0)
    2.0
    >>> check_real(-1.5, "spread", minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: spread must be at least 0; got -1.5
    >>> check_real(90, "threshold", minimum=0, maximum=1)
    Traceback (most recent call last):
    ...
    ValueError: threshold must be from 0 to 1; got 90
    """
    number = _real(value, name, "a finite number")
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        raise ValueError(f"{name} must be from {minimum} to {maximum}; got {value!r}")
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value!r}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be at most {maximum}; got {value!r}")
    return number


def check_positive_float(value: Any, name: str) -> float:
    """Check that ``value`` is a finite real number above 0 and return it as float.

    Examples
    --------
    >>> check_positive_float(0.01, "learning_rate")
    0.01
    >>> check_positive_float(float("nan"), "learning_rate")
    Traceback (most recent call last):
    ...
    ValueError: learning_rate must be a finite number above 0; got nan
    """
    number = _real(value, name, "a number above 0")
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a finite number above 0; got {number}")
    return number


def check_bool(value: Any, name: str) -> bool:
    """Check that ``value`` is True or False (``"no"`` or 1 would silently read as True).

    Examples
    --------
    >>> check_bool(False, "bias")
    False
    >>> check_bool("no", "bias")
    Traceback (most recent call last):
    ...
    TypeError: bias must be True or False; got 'no'
    """
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return value


def check_choice(value: Any, name: str, choices: Iterable[Name]) -> Name:
    """Check that ``value`` is one of the allowed names and return it, typed as one of them.

    Examples
    --------
    >>> check_choice("relu", "activation", ["relu", "sigmoid"])
    'relu'
    >>> check_choice("softmax", "activation", ["relu", "sigmoid"])
    Traceback (most recent call last):
    ...
    ValueError: activation must be one of 'relu', 'sigmoid'; got 'softmax'
    """
    options = list(choices)
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise ValueError(f"{name} must be one of {listed}; got {_show(value)}")
    return options[options.index(value)]


def check_same_shape(
    prediction: object,
    prediction_name: str,
    target: object,
    target_name: str,
    *,
    finite: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Check two tensors are finite, non-empty and of one shape; return them in one dtype.

    ``finite=False`` lets NaN and inf through (where they mean something, e.g. a
    diverged run's row).

    The message explains the trap this guards: PyTorch broadcasts ``(n, 1)``
    against ``(n,)`` into ``(n, n)``, and a loss then averages the wrong numbers.

    Examples
    --------
    >>> a, b = check_same_shape(torch.zeros(3, 1), "prediction", [[1], [0], [1]], "target")
    >>> a.shape == b.shape
    True
    >>> check_same_shape(torch.zeros(3, 1), "prediction", torch.zeros(3), "target")
    Traceback (most recent call last):
    ...
    ValueError: prediction and target must have the same shape; got prediction of shape (3, 1) ...
    """
    prediction = check_tensor(prediction, prediction_name, finite=finite)
    target = check_tensor(target, target_name, finite=finite)
    if prediction.shape != target.shape:
        message = (
            f"{prediction_name} and {target_name} must have the same shape; got "
            f"{prediction_name} of shape {tuple(prediction.shape)} and "
            f"{target_name} of shape {tuple(target.shape)}"
        )
        if prediction.ndim > 0 and target.ndim > 0:
            message += (
                " (PyTorch would broadcast them, e.g. (n, 1) against (n,) into (n, n), "
                "and nn.MSELoss would silently average the wrong numbers: "
                "reshape one of them, e.g. with .reshape(-1, 1))"
            )
        raise ValueError(message)
    if prediction.numel() == 0:
        raise ValueError(f"{prediction_name} and {target_name} must not be empty")
    dtype = torch.promote_types(prediction.dtype, target.dtype)
    return prediction.to(dtype), target.to(dtype)


def check_sizes(sizes: Any, name: str = "sizes") -> list[int]:
    """Layer sizes: at least an input and an output size, each a positive int.

    Examples
    --------
    >>> check_sizes((2, 16, 1))
    [2, 16, 1]
    >>> check_sizes([3])
    Traceback (most recent call last):
    ...
    ValueError: sizes must list at least an input and an output size; got [3]
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
        raise ValueError(f"{name} must list at least an input and an output size; got {sizes!r}")
    return [check_positive_int(n, f"{name}[{i}]") for i, n in enumerate(sizes)]


def check_seed(value: Any, name: str = "seed") -> int:
    """Check that ``value`` is an int seed, from 0 to 2**64 - 1 (what torch takes), and return it.

    Examples
    --------
    >>> check_seed(7)
    7
    >>> check_seed(-1, "seeds[0]")
    Traceback (most recent call last):
    ...
    ValueError: seeds[0] must be an int from 0 to 2**64 - 1; got -1
    """
    if type(value) is not int and (isinstance(value, bool) or not isinstance(value, Integral)):
        raise TypeError(f"{name} must be an int from 0 to 2**64 - 1; got {_show(value)}")
    seed = int(value)
    if not 0 <= seed < 2**64:
        # torch.Generator.manual_seed takes 64 bits and would fail with a bare "Overflow".
        raise ValueError(f"{name} must be an int from 0 to 2**64 - 1; got {seed}")
    return seed
