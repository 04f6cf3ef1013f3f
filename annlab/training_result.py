"""What a training run gives back: its result, or the error that stopped it.

:class:`TrainResult` is returned by :func:`annlab.training.train`;
:class:`DivergenceError` is raised by it when the loss becomes NaN or infinite (unless
``on_divergence="stop"``, which records the run as diverged instead).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


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


def make_result(
    model: nn.Module, epoch_losses: list[float], update_losses: list[float], *, diverged: bool
) -> TrainResult:
    """Pack a run's model and loss lists into a :class:`TrainResult` (float32 tensors).

    Examples
    --------
    >>> result = make_result(nn.Linear(1, 1), [0.5, 0.25], [0.5, 0.25], diverged=False)
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
