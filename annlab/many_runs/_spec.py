"""The run spec: :func:`annlab.many_runs.trainer.train_many`'s arguments, checked once.

:func:`run_spec` checks every argument at the door (each error names it) and returns a
:class:`RunSpec`, a frozen dataclass that both ways of training take as it is: the
pure-torch path (:mod:`annlab.many_runs._torch_path`) and the fused CPU kernel's driver
(:mod:`annlab.many_runs._fused_path`), and both return a :class:`PathResult`. The
checks only the trainer needs live here, next to their one user; :mod:`annlab._checks`
keeps those several parts share.
"""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any, Literal

import torch

from annlab._checks import (
    _show,
    check_bool,
    check_choice,
    check_positive_float,
    check_positive_int,
    check_seed,
    check_sizes,
    check_tensor,
)
from annlab.by_hand.activations import ActivationName, check_activation
from annlab.by_hand.losses import GRADIENT_LOSS_NAMES, GradientLossName
from annlab.training import OPTIMIZER_NAMES, OptimizerName

Kernel = Literal["auto", "fused", "torch"]
"""``kernel=``: how to compute (``"auto"`` picks one of the other two)."""
KERNELS: tuple[Kernel, ...] = ("auto", "fused", "torch")
PathName = Literal["fused", "torch"]
"""What ``kernel=`` came to on the device: the path that trains."""
Tensor = torch.Tensor


@dataclass(frozen=True)
class RunSpec:
    """One many-run training, checked: R runs of one architecture, trained together.

    Attributes
    ----------
    sizes : tuple of int
        Layer sizes, input first.
    x, y : torch.Tensor, float32, feature-major
        (d, n) and (k, n) shared by all runs, or (R, d, n) and (R, k, n), one data
        set per run: one row per input or output unit, one column per point.
    seeds : tuple of int
        One per run: run r starts as ``mlp(sizes, ..., seed=seeds[r])``.
    learning_rates : torch.Tensor, float64, shape (R,)
    epochs : int
    hidden_activation, output_activation : ActivationName
    loss : GradientLossName
    optimizer : OptimizerName
    checkpoints : tuple of int
        Increasing epochs from 1 to ``epochs``.
    record_every : int
    device : torch.device
    path : {"fused", "torch"}
        The kernel that trains (``kernel="auto"`` decided for this device).
    progress : bool
    """

    sizes: tuple[int, ...]
    x: Tensor
    y: Tensor
    seeds: tuple[int, ...]
    learning_rates: Tensor
    epochs: int
    hidden_activation: ActivationName
    output_activation: ActivationName
    loss: GradientLossName
    optimizer: OptimizerName
    checkpoints: tuple[int, ...]
    record_every: int
    device: torch.device
    path: PathName
    progress: bool

    @property
    def runs(self) -> int:
        """How many runs (R)."""
        return len(self.seeds)

    @property
    def state_epochs(self) -> tuple[int, ...]:
        """The epochs whose state the result keeps: the start, the checkpoints, the end."""
        return tuple(sorted({0, self.epochs, *self.checkpoints}))


RawState = tuple[Tensor, Tensor, list[Tensor]]
"""The runs at one epoch, as a path leaves them: each run's loss (R,), the last layer's
output (R, k, n), and for a ReLU hidden activation each hidden layer's fraction of
points where a unit is active, (R, units) per layer (else no layers)."""


@dataclass(frozen=True)
class PathResult:
    """What either path returns for a :class:`RunSpec`, on the CPU."""

    weights: list[Tensor]  # final, per layer: (R, out, in)
    biases: list[Tensor]  # final, per layer: (R, out)
    history: Tensor  # (R, T): the loss of every record_every-th epoch
    diverged: Tensor  # (R,) bool
    states: dict[int, RawState]  # at each of RunSpec.state_epochs


def run_spec(
    sizes: Any,
    x: Any,
    y: Any,
    *,
    seeds: Any,
    learning_rates: Any,
    epochs: Any,
    hidden_activation: Any,
    output_activation: Any,
    loss: Any,
    optimizer: Any,
    checkpoints: Any,
    record_every: Any,
    device: Any,
    progress: Any,
    kernel: Any,
) -> RunSpec:
    """Check :func:`~annlab.many_runs.trainer.train_many`'s arguments into a :class:`RunSpec`.

    Examples
    --------
    >>> x = torch.zeros(5, 2)
    >>> spec = run_spec([2, 1], x, x[:, :1], seeds=[0, 1], learning_rates=0.1, epochs=3,
    ...                 hidden_activation="relu", output_activation="identity", loss="mse",
    ...                 optimizer="sgd", checkpoints=(), record_every=1, device="cpu",
    ...                 progress=False, kernel="torch")
    >>> spec.runs, tuple(spec.x.shape), spec.learning_rates.dtype, spec.path
    (2, (2, 5), torch.float64, 'torch')
    """
    sizes = check_sizes(sizes)
    seeds = check_seeds(seeds)
    runs = len(seeds)
    hidden_activation = check_activation(hidden_activation, "hidden_activation")
    output_activation = check_activation(output_activation, "output_activation")
    loss = check_choice(loss, "loss", GRADIENT_LOSS_NAMES)
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZER_NAMES)
    if loss == "bce_with_logits" and output_activation != "identity":
        raise ValueError(
            "output_activation must be 'identity' with loss='bce_with_logits' (the loss "
            f"applies the sigmoid itself); got {output_activation!r}"
        )
    epochs = check_positive_int(epochs, "epochs")
    record_every = check_positive_int(record_every, "record_every")
    checkpoints = check_checkpoints(checkpoints, epochs)
    progress = check_bool(progress, "progress")
    device = check_device(device)
    path = choose_kernel(kernel, device)
    x, y = check_data(x, y, sizes, runs, binary=loss == "bce_with_logits")
    learning_rates = check_learning_rates(learning_rates, runs)
    return RunSpec(
        sizes=tuple(sizes),
        x=feature_major(x),
        y=feature_major(y),
        seeds=tuple(seeds),
        learning_rates=learning_rates,
        epochs=epochs,
        hidden_activation=hidden_activation,
        output_activation=output_activation,
        loss=loss,
        optimizer=optimizer,
        checkpoints=checkpoints,
        record_every=record_every,
        device=device,
        path=path,
        progress=progress,
    )


def numba_available() -> bool:
    """Whether numba can be imported (without importing it)."""
    return importlib.util.find_spec("numba") is not None


def choose_kernel(kernel: Any, device: torch.device) -> PathName:
    """``"fused"`` or ``"torch"``: what ``kernel`` means on ``device``.

    Examples
    --------
    >>> choose_kernel("torch", torch.device("cpu"))
    'torch'
    >>> choose_kernel("auto", torch.device("cuda"))
    'torch'
    >>> choose_kernel("fast", torch.device("cpu"))
    Traceback (most recent call last):
    ...
    ValueError: kernel must be one of 'auto', 'fused', 'torch'; got 'fast'
    """
    kernel = check_choice(kernel, "kernel", KERNELS)
    if kernel == "torch":
        return "torch"
    if device.type != "cpu":
        if kernel == "fused":
            raise ValueError(
                f"kernel='fused' runs on the CPU only; got device={str(device)!r} "
                "(use kernel='auto' or 'torch' there)"
            )
        return "torch"
    if numba_available():
        return "fused"
    if kernel == "fused":
        raise ImportError("kernel='fused' needs numba: pip install annlab[fast]")
    return "torch"


def check_seeds(seeds: Any) -> list[int]:
    """One int seed per run (each as :func:`annlab._checks.check_seed` wants), at least one.

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
    rates = check_rates(value, "learning_rates").to(torch.float64)
    if len(rates) != runs:
        raise ValueError(f"learning_rates must hold one rate per run ({runs}); got {len(rates)}")
    return rates


def check_rates(value: Any, name: str) -> torch.Tensor:
    """Learning rates as a 1-D tensor, each finite and above 0 (float as ``check_tensor``
    makes it): :func:`check_learning_rates`'s check, and the experiments' at their door.

    Examples
    --------
    >>> check_rates([0.5, 0.25], "learning_rates")
    tensor([0.5000, 0.2500])
    >>> check_rates([0.5, -0.25], "learning_rates")
    Traceback (most recent call last):
    ...
    ValueError: learning_rates must all be finite and above 0; got [0.5, -0.25]
    """
    rates = check_tensor(value, name, ndim=1, finite=False)
    if not bool((torch.isfinite(rates) & (rates > 0)).all()):
        raise ValueError(f"{name} must all be finite and above 0; got {rates.tolist()}")
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
    """Check inputs and targets, (n, d) and (n, k) or one data set per run, (R, n, d) ...

    Returned as float32, in the shapes given.

    Examples
    --------
    >>> x, y = check_data(torch.zeros(5, 2), torch.zeros(3, 5, 1), [2, 1], 3, binary=True)
    >>> tuple(x.shape), tuple(y.shape)
    ((5, 2), (3, 5, 1))
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
    return x, y


def feature_major(data: Tensor) -> Tensor:
    """(n, d) as (d, n), or (R, n, d) as (R, d, n): one row per unit, as both kernels want.

    Examples
    --------
    >>> tuple(feature_major(torch.zeros(3, 5, 2)).shape)
    (3, 2, 5)
    """
    return data.transpose(-1, -2).contiguous()


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
