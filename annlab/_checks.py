"""Checks at the door: every public function validates its arguments with these.

Each check raises a ``TypeError`` or ``ValueError`` whose message names the
argument, shows the value received and says what was expected, so a learner
never meets a traceback from deep inside torch. One copy of each check lives here,
for the whole package.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from matplotlib.axes import Axes


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


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Check that ``value`` is one of the allowed names and return it.

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
    return value


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


def check_seeds(seeds: Any) -> list[int]:
    """One int seed per run (each as :func:`check_seed` wants), at least one run.

    Examples
    --------
    >>> check_seeds(range(3))
    [0, 1, 2]
    >>> check_seeds([0, -1])
    Traceback (most recent call last):
    ...
    ValueError: seeds[1] must be an int from 0 to 2**64 - 1; got -1
    """
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or len(seeds) < 1:
        raise TypeError(f"seeds must be a sequence of ints, one per run; got {seeds!r}")
    return [check_seed(seed, f"seeds[{i}]") for i, seed in enumerate(seeds)]


def check_learning_rates(value: Any, runs: int) -> torch.Tensor:
    """One rate for every run, or one per run; returned as float64, shape (runs,).

    Examples
    --------
    >>> check_learning_rates(0.1, 2)
    tensor([0.1000, 0.1000], dtype=torch.float64)
    >>> check_learning_rates([0.1, 0.2, 0.3], 2)
    Traceback (most recent call last):
    ...
    ValueError: learning_rates must hold one rate per run (2); got 3
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        rate = check_positive_float(value, "learning_rates")
        return torch.full((runs,), rate, dtype=torch.float64)
    rates = check_tensor(value, "learning_rates", ndim=1, finite=False).to(torch.float64)
    if len(rates) != runs:
        raise ValueError(f"learning_rates must hold one rate per run ({runs}); got {len(rates)}")
    if not bool((torch.isfinite(rates) & (rates > 0)).all()):
        raise ValueError(f"learning_rates must all be finite and above 0; got {rates.tolist()}")
    return rates


def check_checkpoints(checkpoints: Any, epochs: int) -> tuple[int, ...]:
    """Increasing epochs from 1 to ``epochs``.

    Examples
    --------
    >>> check_checkpoints([10, 20], 20)
    (10, 20)
    >>> check_checkpoints([10, 30], 20)
    Traceback (most recent call last):
    ...
    ValueError: checkpoints must be increasing epochs from 1 to epochs=20; got [10, 30]
    """
    if isinstance(checkpoints, (str, bytes)) or not isinstance(checkpoints, Sequence):
        raise TypeError(f"checkpoints must be a sequence of ints; got {checkpoints!r}")
    for i, epoch in enumerate(checkpoints):
        if isinstance(epoch, bool) or not isinstance(epoch, Integral):
            raise TypeError(f"checkpoints[{i}] must be an int; got {epoch!r}")
    values = tuple(int(e) for e in checkpoints)
    increasing = all(a < b for a, b in itertools.pairwise(values))
    if not increasing or (values and (values[0] < 1 or values[-1] > epochs)):
        raise ValueError(
            f"checkpoints must be increasing epochs from 1 to epochs={epochs}; got {list(values)}"
        )
    return values


def _check_one(value: Any, name: str, columns: int, runs: int) -> torch.Tensor:
    tensor = check_tensor(value, name, ndim=(2, 3))
    if tensor.shape[-1] != columns:
        raise ValueError(
            f"{name} must have {columns} columns to match sizes; got shape {tuple(tensor.shape)}"
        )
    if tensor.ndim == 3 and tensor.shape[0] != runs:
        raise ValueError(
            f"{name} of shape {tuple(tensor.shape)} must hold one data set per run: "
            f"{runs} along its first dimension (one per seed)"
        )
    return tensor.to(torch.float32)


def check_data(
    x: Any, y: Any, sizes: list[int], runs: int, *, binary: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """Check inputs and targets and return them feature-major: (d, n) or (R, d, n).

    Examples
    --------
    >>> x, y = check_data(torch.zeros(5, 2), torch.zeros(3, 5, 1), [2, 1], 3, binary=True)
    >>> tuple(x.shape), tuple(y.shape)
    ((2, 5), (3, 1, 5))
    >>> check_data(torch.zeros(5, 2), torch.zeros(4, 1), [2, 1], 3, binary=True)
    Traceback (most recent call last):
    ...
    ValueError: x and y must have the same number of points; got 5 and 4
    """
    x = _check_one(x, "x", sizes[0], runs)
    y = _check_one(y, "y", sizes[-1], runs)
    if x.shape[-2] != y.shape[-2]:
        raise ValueError(
            f"x and y must have the same number of points; got {x.shape[-2]} and {y.shape[-2]}"
        )
    if binary and not bool(((y >= 0) & (y <= 1)).all()):
        raise ValueError("y must lie between 0 and 1 (class labels) with loss='bce_with_logits'")
    return x.transpose(-1, -2).contiguous(), y.transpose(-1, -2).contiguous()


def check_labels(labels: Any, n_rows: int | None = None) -> torch.Tensor:
    """Check class labels (0 or 1, shape (n,) or (n, 1)) and return them as a flat long tensor.

    Examples
    --------
    >>> check_labels([[0.0], [1.0]])
    tensor([0, 1])
    >>> check_labels([0, 2])
    Traceback (most recent call last):
    ...
    ValueError: labels must be 0 or 1; got the values [0, 2]
    """
    checked = check_tensor(labels, "labels", ndim=(1, 2), dtype="any")
    if checked.ndim == 2 and checked.shape[1] != 1:
        raise ValueError(f"labels must have shape (n,) or (n, 1); got {tuple(checked.shape)}")
    flat = checked.reshape(-1)
    if not bool(((flat == 0) | (flat == 1)).all()):
        values = sorted({float(v) if v % 1 else int(v) for v in flat.tolist()})
        raise ValueError(f"labels must be 0 or 1; got the values {values[:10]}")
    if n_rows is not None and len(flat) != n_rows:
        raise ValueError(
            f"x and labels must have the same number of rows; got {n_rows} and {len(flat)}"
        )
    return flat.long()


def check_points(x: Any) -> torch.Tensor:
    """Check that ``x`` holds points of the plane, shape (n, 2), and return it.

    Examples
    --------
    >>> check_points([[0, 1]]).shape
    torch.Size([1, 2])
    """
    points = check_tensor(x, "x", ndim=2)
    if points.shape[1] != 2:
        raise ValueError(f"x must have 2 columns (two features) to draw; got {points.shape[1]}")
    return points


def check_limits(value: Any, name: str) -> tuple[float, float]:
    """Check that ``value`` is a range ``(low, high)`` of finite numbers with low < high.

    Examples
    --------
    >>> check_limits((-1, 2), "xlim")
    (-1.0, 2.0)
    >>> check_limits((2, -1), "xlim")
    Traceback (most recent call last):
    ...
    ValueError: xlim must be (low, high) with low < high; got (2, -1)
    """
    limits = check_tensor(value, name, ndim=1).tolist()
    if len(limits) != 2 or not limits[0] < limits[1]:
        raise ValueError(f"{name} must be (low, high) with low < high; got {value!r}")
    return float(limits[0]), float(limits[1])


def check_names(value: Any, name: str, count: int = 2) -> tuple[str, ...]:
    """Check that ``value`` holds ``count`` strings (axis labels, legend entries).

    A single string is refused: ``"ab"`` would silently label the axes "a" and "b".

    Examples
    --------
    >>> check_names(["sleep (hours)", "study (hours)"], "feature_names")
    ('sleep (hours)', 'study (hours)')
    >>> check_names("xy", "feature_names")
    Traceback (most recent call last):
    ...
    TypeError: feature_names must be a sequence of 2 strings; got 'xy'
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a sequence of {count} strings; got {_show(value)}")
    if len(value) != count or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{name} must be a sequence of {count} strings; got {_show(value)}")
    return tuple(value)


def check_text(value: Any, name: str) -> str:
    """Check that ``value`` is a string with something to show (a label) and return it.

    Examples
    --------
    >>> check_text("ReLU", "activation")
    'ReLU'
    >>> check_text("  ", "activation")
    Traceback (most recent call last):
    ...
    ValueError: activation must be a non-empty string; got '  '
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string; got {_show(value)}")
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty string; got {value!r}")
    return value


def check_instance(value: Any, name: str, kind: type) -> Any:
    """Check that ``value`` is a ``kind`` (e.g. an experiment's result) and return it.

    Examples
    --------
    >>> check_instance(None, "result", dict)
    Traceback (most recent call last):
    ...
    TypeError: result must be a dict; got None
    """
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__}; got {_show(value)}")
    return value


def check_axes(ax: Any) -> Axes | None:
    """Check that ``ax`` is a matplotlib ``Axes`` or None (the current Axes), and return it.

    Examples
    --------
    >>> check_axes(None) is None
    True
    >>> check_axes("left")
    Traceback (most recent call last):
    ...
    TypeError: ax must be a matplotlib Axes or None; got 'left'
    """
    # Imported here, so that using annlab without its plots does not load matplotlib.
    from matplotlib.axes import Axes

    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {_show(ax)}")
    return ax


def check_device(value: Any, name: str = "device") -> torch.device:
    """Check that ``value`` names a device this machine has and return it as a torch.device.

    Examples
    --------
    >>> check_device("cpu")
    device(type='cpu')
    >>> check_device("gpu")
    Traceback (most recent call last):
    ...
    ValueError: device must be a torch.device or a name such as 'cpu' or 'cuda:0'; got 'gpu'
    """
    expected = "a torch.device or a name such as 'cpu' or 'cuda:0'"
    if not isinstance(value, (str, torch.device)):
        raise TypeError(f"{name} must be {expected}; got {_show(value)}")
    try:
        device = torch.device(value)
    except RuntimeError as error:
        raise ValueError(f"{name} must be {expected}; got {_show(value)}") from error
    if device.type == "cpu":
        return device
    available = {
        "cuda": torch.cuda.device_count(),
        "mps": int(torch.backends.mps.is_available()),
    }.get(device.type, 0)
    if available == 0 or (device.index or 0) >= available:
        raise ValueError(f"{name} {str(device)!r} is not available on this machine; try 'cpu'")
    return device
