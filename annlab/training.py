"""Training one model: a loop a learner can read (zero_grad, forward, loss, backward, step).

:func:`train` is the loop every page uses and returns a :class:`TrainResult`; it raises
:class:`DivergenceError` when the loss becomes NaN or infinite (unless
``on_divergence="stop"``, which records the run as diverged instead). :func:`predict`
runs a trained model without recording gradients. :mod:`annlab.many_runs.trainer`
trains many runs at once and returns, run for run, what :func:`train` returns, so the
two must stay in step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, get_args

import torch
import torch.nn.functional as F
from torch import nn

from annlab._checks import (
    _show,
    check_bool,
    check_choice,
    check_positive_float,
    check_positive_int,
    check_same_rows,
    check_tensor,
)
from annlab._progress import progress_bar
from annlab.by_hand.losses import LossName
from annlab.seeding import as_generator

LossFunction = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
OptimizerFactory = Callable[[Iterable[nn.Parameter]], torch.optim.Optimizer]

LOSSES: dict[LossName, LossFunction] = {
    "mse": F.mse_loss,
    "bce": F.binary_cross_entropy,
    "bce_with_logits": F.binary_cross_entropy_with_logits,
}
"""Losses by name; each is called as ``loss(prediction, target)`` and returns the mean."""

OptimizerName = Literal["sgd", "adam"]
"""The optimizers annlab knows, by name: the one list of them (:func:`train` and the
many-run trainer take these)."""

OPTIMIZER_NAMES: tuple[OptimizerName, ...] = get_args(OptimizerName)

OPTIMIZERS: dict[OptimizerName, Callable[..., torch.optim.Optimizer]] = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
}
"""Optimizers by name; :func:`train` gives them ``lr=learning_rate`` and nothing else."""


class DivergenceError(RuntimeError):
    """Training stopped because the loss became NaN or infinite (try a smaller learning rate).

    The attributes ``epoch`` and ``update`` (both counted from 1, the update
    within its epoch) and ``loss`` say where it happened.
    """

    def __init__(self, epoch: int, update: int, loss: float) -> None:
        self.epoch, self.update, self.loss = epoch, update, loss
        super().__init__(
            f"training diverged at epoch {epoch}, update {update} of that epoch: the loss "
            f"became {loss}; try a smaller learning_rate, or on_divergence='stop' to keep "
            "the losses recorded so far"
        )


@dataclass(frozen=True)
class TrainResult:
    """What :func:`train` returns: the trained model and its loss curves.

    Attributes
    ----------
    model : torch.nn.Module
        The trained model: the very object passed to :func:`train`.
    epoch_losses : torch.Tensor, shape (epochs_run,), float32
        One loss per epoch: the mean of that epoch's update losses weighted by
        batch size (computed in float64, so with one batch per epoch it is
        exactly that batch's loss, taken before the epoch's step).
    update_losses : torch.Tensor, shape (n_updates,), float32
        The loss of every optimizer step, computed before the step.
    diverged : bool
        True if a loss became NaN or inf; training stopped there and both
        tensors end at the last finite loss (an unfinished epoch is left out
        of ``epoch_losses`` but its updates stay in ``update_losses``).
    epochs_run : int
        Epochs completed: ``len(epoch_losses)``.
    """

    model: nn.Module
    epoch_losses: torch.Tensor
    update_losses: torch.Tensor
    diverged: bool
    epochs_run: int


def _make_result(
    model: nn.Module, epoch_losses: list[float], update_losses: list[float], *, diverged: bool
) -> TrainResult:
    """Pack a run's model and loss lists into a :class:`TrainResult` (float32 tensors).

    Examples
    --------
    >>> result = _make_result(nn.Linear(1, 1), [0.5, 0.25], [0.5, 0.25], diverged=False)
    >>> result.epochs_run, result.epoch_losses.dtype
    (2, torch.float32)
    """
    return TrainResult(
        model=model,
        epoch_losses=torch.tensor(epoch_losses, dtype=torch.float32),
        update_losses=torch.tensor(update_losses, dtype=torch.float32),
        diverged=diverged,
        epochs_run=len(epoch_losses),
    )


def _check_model(model: Any) -> torch.dtype:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    parameters = list(model.parameters())
    if not parameters:
        raise ValueError("model must have parameters to train; it has none")
    return parameters[0].dtype


def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Run a model on inputs without recording gradients (evaluation mode).

    Parameters
    ----------
    model : torch.nn.Module
        Put back in the mode (train or eval) it was in.
    x : torch.Tensor, shape (n, d)
        Converted to the model's dtype.

    Returns
    -------
    torch.Tensor

    Examples
    --------
    >>> from annlab.models import perceptron
    >>> predict(perceptron(2), torch.zeros(5, 2)).shape
    torch.Size([5, 1])
    """
    dtype = _check_model(model)
    x = check_tensor(x, "x", ndim=2).to(dtype)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            output: torch.Tensor = model(x)
    except RuntimeError as error:
        # Most often x's columns do not match the model's first layer: say so at the door.
        raise ValueError(
            f"x must fit the model's input (one column per input feature); the model "
            f"could not run on {_show(x)}: {error}"
        ) from error
    finally:
        model.train(was_training)
    return output


def _check_targets(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: Any) -> torch.Tensor:
    """Match y to the model's output shape and check both against the loss; return y."""
    output = predict(model, x)
    if y.ndim == 1 and output.shape == (len(y), 1):
        y = y.reshape(-1, 1)
    if output.shape != y.shape:
        raise ValueError(
            f"y must have the shape of the model's output; got y of shape {tuple(y.shape)} "
            f"and an output of shape {tuple(output.shape)}"
        )
    if loss in ("bce", "bce_with_logits") and not bool(((y >= 0) & (y <= 1)).all()):
        raise ValueError(f"y must hold targets in [0, 1] for loss={loss!r}")
    if loss == "bce" and not bool(((output >= 0) & (output <= 1)).all()):
        raise ValueError(
            "loss='bce' needs probabilities in [0, 1] but the model's output leaves that "
            "range; end the model with output_activation='sigmoid', or keep the logits "
            "and use loss='bce_with_logits'"
        )
    if callable(loss):
        value = loss(output, y)
        if not isinstance(value, torch.Tensor) or value.ndim != 0:
            raise TypeError(f"loss must return a single-number tensor; got {value!r}")
    return y


def _make_optimizer(model: nn.Module, optimizer: Any, learning_rate: float) -> Any:
    if not callable(optimizer):
        name = check_choice(optimizer, "optimizer", OPTIMIZERS)
        return OPTIMIZERS[name](model.parameters(), lr=learning_rate)
    made = optimizer(model.parameters())
    if not isinstance(made, torch.optim.Optimizer):
        raise TypeError(f"optimizer must return a torch.optim.Optimizer; got {made!r}")
    return made


def _batches(n: int, batch_size: int | None, generator: torch.Generator) -> Iterator[Any]:
    """The rows of each update of one epoch: all of them, or a fresh shuffle cut into batches."""
    if batch_size is None:
        yield slice(None)
        return
    order = torch.randperm(n, generator=generator)
    yield from torch.split(order, batch_size)


def train(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int,
    loss: LossName | LossFunction = "mse",
    learning_rate: float = 0.01,
    optimizer: OptimizerName | OptimizerFactory = "sgd",
    batch_size: int | None = None,
    seed: int | torch.Generator | None = 0,
    on_divergence: str = "raise",
    progress: bool = False,
) -> TrainResult:
    """Train a model by gradient descent and record the loss of every step.

    Parameters
    ----------
    model : torch.nn.Module
        Trained in place and returned in the result.
    x : torch.Tensor, shape (n, d)
        Inputs, converted to the model's dtype.
    y : torch.Tensor, shape (n, k) or (n,)
        Targets; shape (n,) becomes (n, 1) when the model outputs (n, 1). The
        output's shape must then equal y's exactly: torch would otherwise
        broadcast (n, 1) against (n,) into an (n, n) loss without a word.
    epochs : int
    loss : {"mse", "bce", "bce_with_logits"} or callable
        Called as ``loss(prediction, target)``, PyTorch's order. The lecture
        notes write ``loss_func(y, yHat)``: for MSE the order does not matter,
        for binary cross-entropy it does. ``"bce"`` wants probabilities,
        ``"bce_with_logits"`` raw outputs (the numerically safe form).
    learning_rate : float
        Step size of ``"sgd"`` or ``"adam"``; ignored when ``optimizer`` is a callable.
    optimizer : {"sgd", "adam"} or callable
        A callable receives ``model.parameters()`` and returns an optimizer.
    batch_size : int, optional
        None (full batch): one update per epoch on all rows, in order. An int:
        each epoch shuffles the rows with ``torch.randperm(n, generator=g)``
        and takes them ``batch_size`` at a time; the last batch may be smaller.
    seed : int, torch.Generator or None
        Seeds the shuffles (``g`` above, made once by ``as_generator``).
    on_divergence : {"raise", "stop"}
        What to do when a loss becomes NaN or inf: raise :class:`DivergenceError`,
        or stop and return the result with ``diverged=True``.
    progress : bool
        Show a progress bar over epochs (needs ``pip install annlab[progress]``).

    Returns
    -------
    TrainResult

    Raises
    ------
    TypeError, ValueError
        For a bad argument, named in the message.
    DivergenceError
        If a loss is NaN or inf and ``on_divergence="raise"``.

    Examples
    --------
    >>> from annlab.models import regression_unit
    >>> x = torch.linspace(-1, 1, 20).reshape(-1, 1)
    >>> result = train(regression_unit(), x, 2 * x, epochs=50, learning_rate=0.1)
    >>> result.epoch_losses.shape
    torch.Size([50])
    >>> bool(result.epoch_losses[-1] < result.epoch_losses[0] / 10)
    True
    >>> len(train(regression_unit(), x, 2 * x, epochs=3, batch_size=8).update_losses)
    9
    """
    dtype = _check_model(model)
    x = check_tensor(x, "x", ndim=2).to(dtype)
    y = check_tensor(y, "y", ndim=(1, 2)).to(dtype)
    check_same_rows(x, "x", y, "y")
    epochs = check_positive_int(epochs, "epochs")
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    if batch_size is not None and check_positive_int(batch_size, "batch_size") > len(x):
        raise ValueError(f"batch_size must be at most len(x) = {len(x)}; got {batch_size}")
    check_choice(on_divergence, "on_divergence", ["raise", "stop"])
    check_bool(progress, "progress")
    generator = as_generator(seed)
    loss_function = loss if callable(loss) else LOSSES[check_choice(loss, "loss", LOSSES)]
    opt = _make_optimizer(model, optimizer, learning_rate)
    y = _check_targets(model, x, y, loss)

    model.train()
    epoch_losses: list[float] = []
    update_losses: list[float] = []
    for epoch in _epoch_range(epochs, progress):
        total = 0.0
        for update, rows in enumerate(_batches(len(x), batch_size, generator), start=1):
            opt.zero_grad()
            prediction = model(x[rows])
            batch_loss = loss_function(prediction, y[rows])
            value = batch_loss.item()
            if not math.isfinite(value):
                if on_divergence == "raise":
                    raise DivergenceError(epoch + 1, update, value)
                return _make_result(model, epoch_losses, update_losses, diverged=True)
            batch_loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            update_losses.append(value)
            total += value * len(prediction)
        epoch_losses.append(total / len(x))
    return _make_result(model, epoch_losses, update_losses, diverged=False)


def _epoch_range(epochs: int, progress: bool) -> Iterable[int]:
    if not progress:
        return range(epochs)
    bar: Iterable[int] = progress_bar(range(epochs), desc="training", unit="epoch")
    return bar
