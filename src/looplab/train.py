"""The training loop the course builds up: one epoch, evaluation, ``fit``, checkpoints.

Lesson 1.1 writes the loop by hand; this module is that loop with the pieces
later lessons add (validation, early stopping, schedulers, checkpoints), so
that lessons from module 2 on can call it instead of copying it.

Losses are per-example means over the whole epoch: each batch's mean loss is
weighted by its number of examples, so the value does not depend on the
batch size or on a smaller last batch.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch
from torch import Tensor, nn
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler, ReduceLROnPlateau

from looplab._checks import check_float, check_int

__all__ = [
    "EpochStats",
    "History",
    "evaluate",
    "fit",
    "load_checkpoint",
    "save_checkpoint",
    "train_one_epoch",
]

LossFn = Callable[[Tensor, Tensor], Tensor]
Batches = Iterable[tuple[Tensor, Tensor]]
Scheduler = LRScheduler | ReduceLROnPlateau


@dataclass(frozen=True)
class EpochStats:
    """What one pass over a loader measured.

    Attributes:
        loss: mean loss per example.
        accuracy: fraction of examples classified correctly, or ``None`` for
            regression (see :func:`train_one_epoch` for when it is computed).
        examples: number of examples seen.
    """

    loss: float
    accuracy: float | None
    examples: int


@dataclass
class History:
    """Per-epoch record of a :func:`fit` run (epoch ``k`` is index ``k - 1``).

    Attributes:
        train_loss: mean training loss per example, one value per epoch.
        train_acc: training accuracy per epoch (empty for regression).
        val_loss: mean validation loss per epoch (empty without validation).
        val_acc: validation accuracy per epoch (empty without validation or for regression).
        lr: learning rate in effect during each epoch (first parameter group).
        best_epoch: 1-based epoch with the lowest validation loss, whose weights
            the model holds after ``fit`` (``None`` without validation).
        stopped_early: whether early stopping ended the run before ``epochs``.
    """

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    @property
    def epochs_run(self) -> int:
        """Number of epochs actually trained."""
        return len(self.train_loss)

    @property
    def best_val_loss(self) -> float | None:
        """Validation loss at :attr:`best_epoch`, or ``None`` without validation."""
        return None if self.best_epoch is None else self.val_loss[self.best_epoch - 1]

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python copy, suitable for a checkpoint loaded with ``weights_only=True``."""
        return asdict(self)


def _check_loss_fn(loss_fn: LossFn) -> None:
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
    reduction = getattr(loss_fn, "reduction", "mean")
    if reduction != "mean":
        raise ValueError(
            f"loss_fn must average over the batch (reduction='mean'), got reduction={reduction!r}"
        )


def _count_correct(outputs: Tensor, targets: Tensor, loss_fn: LossFn) -> int | None:
    """Correct predictions in a batch, or ``None`` when the task is not classification."""
    if not targets.is_floating_point() and outputs.ndim == 2:
        return int((outputs.argmax(dim=1) == targets).sum())
    if isinstance(loss_fn, nn.BCEWithLogitsLoss):
        return int(((outputs > 0).to(targets.dtype) == targets).sum())
    return None


def _run_epoch(
    model: nn.Module,
    loader: Batches,
    loss_fn: LossFn,
    optimizer: Optimizer | None,
    batch_scheduler: Scheduler | None,
) -> EpochStats:
    total_loss = 0.0
    total_correct = 0
    examples = 0
    classification = True
    for inputs, targets in loader:
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
        if optimizer is not None:
            optimizer.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimizer.step()
            if batch_scheduler is not None:
                batch_scheduler.step()
        batch_size = len(targets)
        total_loss += float(loss.detach()) * batch_size
        examples += batch_size
        correct = _count_correct(outputs.detach(), targets, loss_fn)
        if correct is None:
            classification = False
        else:
            total_correct += correct
    if examples == 0:
        raise ValueError("loader must yield at least one batch")
    accuracy = total_correct / examples if classification else None
    return EpochStats(loss=total_loss / examples, accuracy=accuracy, examples=examples)


def train_one_epoch(
    model: nn.Module,
    loader: Batches,
    loss_fn: LossFn,
    optimizer: Optimizer,
    *,
    batch_scheduler: LRScheduler | None = None,
) -> EpochStats:
    """One pass over ``loader`` in training mode: forward, loss, backward, update.

    For every batch: ``zero_grad``, ``loss.backward()``, ``optimizer.step()``,
    then ``batch_scheduler.step()`` if one is given (for per-batch schedules
    such as ``OneCycleLR``). Accuracy is computed when the targets are integer
    class labels and the outputs are ``(batch, classes)`` scores, or when the
    loss is ``BCEWithLogitsLoss`` (a positive logit predicts 1). Introduced in
    lesson 1.1; this is the hand-written loop of module 1 in one function.

    Raises:
        TypeError: if ``model`` is not an ``nn.Module``, ``optimizer`` not an
            ``Optimizer`` or ``loss_fn`` not callable.
        ValueError: if the loss does not average over the batch or the loader is empty.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
    _check_loss_fn(loss_fn)
    model.train()
    return _run_epoch(model, loader, loss_fn, optimizer, batch_scheduler)


def evaluate(model: nn.Module, loader: Batches, loss_fn: LossFn) -> EpochStats:
    """Mean loss (and accuracy, as in :func:`train_one_epoch`) without updating anything.

    Runs under ``torch.no_grad()`` in evaluation mode (dropout off, batch norm
    using its running statistics) and restores the model's previous mode.

    Raises:
        TypeError: if ``model`` is not an ``nn.Module`` or ``loss_fn`` not callable.
        ValueError: if the loss does not average over the batch or the loader is empty.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    _check_loss_fn(loss_fn)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return _run_epoch(model, loader, loss_fn, None, None)
    finally:
        model.train(was_training)


def _snapshot(model: nn.Module) -> dict[str, Tensor]:
    """A detached copy of the model's weights (``state_dict`` holds references, not copies)."""
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


def _progress(epoch: int, epochs: int, stats: EpochStats) -> None:
    """One updating line on a terminal; nothing when stderr is not a terminal."""
    if sys.stderr.isatty():
        end = "\n" if epoch == epochs else ""
        print(f"\repoch {epoch}/{epochs}  loss {stats.loss:.4f}", end=end, file=sys.stderr)


def fit(
    model: nn.Module,
    train_loader: Batches,
    loss_fn: LossFn,
    optimizer: Optimizer,
    epochs: int,
    *,
    val_loader: Batches | None = None,
    scheduler: Scheduler | None = None,
    scheduler_interval: Literal["epoch", "batch"] = "epoch",
    patience: int | None = None,
    min_delta: float = 0.0,
    progress: bool = False,
) -> History:
    """Train ``model`` for up to ``epochs`` epochs and return its :class:`History`.

    Each epoch trains on ``train_loader`` (:func:`train_one_epoch`), then
    evaluates on ``val_loader`` if given (:func:`evaluate`), then steps the
    scheduler. A ``ReduceLROnPlateau`` scheduler is stepped with the monitored
    loss: the validation loss when there is validation, else the training loss.

    With validation, the weights of the epoch with the lowest validation loss
    are kept and **restored at the end** (whether or not the run stopped
    early), and ``History.best_epoch`` says which epoch that was. With
    ``patience``, training stops after ``patience`` epochs in a row without an
    improvement larger than ``min_delta``. Introduced in the lab and lesson 3.7.

    Args:
        model: the network to train, in place.
        train_loader: iterable of ``(inputs, targets)`` batches, e.g. a ``DataLoader``.
        loss_fn: loss averaging over the batch (``reduction="mean"``).
        optimizer: the optimizer holding the model's parameters.
        epochs: maximum number of epochs (at least 1).
        val_loader: optional validation batches.
        scheduler: optional learning-rate scheduler.
        scheduler_interval: ``"epoch"`` steps it after every epoch, ``"batch"``
            after every optimizer step (``OneCycleLR``); plateau schedulers are
            per epoch only.
        patience: early-stopping patience in epochs; needs ``val_loader``.
        min_delta: smallest decrease of the validation loss that counts as an improvement.
        progress: show a one-line progress display when stderr is a terminal.
            It never writes into notebooks or built pages.

    Raises:
        TypeError: for an argument of the wrong type.
        ValueError: for ``epochs < 1``, ``patience < 1``, ``min_delta < 0``,
            ``patience`` without ``val_loader``, an unknown ``scheduler_interval``
            or a plateau scheduler stepped per batch.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
    _check_loss_fn(loss_fn)
    epochs = check_int("epochs", epochs, minimum=1)
    min_delta = check_float("min_delta", min_delta, minimum=0.0)
    if patience is not None:
        patience = check_int("patience", patience, minimum=1)
        if val_loader is None:
            raise ValueError("patience needs a val_loader: early stopping monitors the validation loss")
    if scheduler is not None and not isinstance(scheduler, (LRScheduler, ReduceLROnPlateau)):
        raise TypeError(
            "scheduler must be a torch.optim.lr_scheduler.LRScheduler or ReduceLROnPlateau, "
            f"got {type(scheduler).__name__}"
        )
    if scheduler_interval not in ("epoch", "batch"):
        raise ValueError(f"scheduler_interval must be 'epoch' or 'batch', got {scheduler_interval!r}")
    if scheduler_interval == "batch" and isinstance(scheduler, ReduceLROnPlateau):
        raise ValueError("ReduceLROnPlateau needs a monitored value: use scheduler_interval='epoch'")

    history = History()
    best_loss = math.inf
    best_weights: dict[str, Tensor] | None = None
    epochs_without_improvement = 0
    batch_scheduler = scheduler if scheduler_interval == "batch" else None

    for epoch in range(1, epochs + 1):
        history.lr.append(float(optimizer.param_groups[0]["lr"]))
        train_stats = train_one_epoch(
            model,
            train_loader,
            loss_fn,
            optimizer,
            batch_scheduler=batch_scheduler,
        )
        history.train_loss.append(train_stats.loss)
        if train_stats.accuracy is not None:
            history.train_acc.append(train_stats.accuracy)
        monitored = train_stats.loss

        if val_loader is not None:
            val_stats = evaluate(model, val_loader, loss_fn)
            history.val_loss.append(val_stats.loss)
            if val_stats.accuracy is not None:
                history.val_acc.append(val_stats.accuracy)
            monitored = val_stats.loss
            if val_stats.loss < best_loss - min_delta:
                best_loss = val_stats.loss
                best_weights = _snapshot(model)
                history.best_epoch = epoch
                epochs_without_improvement = 0
            else:
                epochs_without_improvement += 1

        if scheduler is not None and scheduler_interval == "epoch":
            if isinstance(scheduler, ReduceLROnPlateau):
                scheduler.step(monitored)
            else:
                scheduler.step()

        if progress:
            _progress(epoch, epochs, train_stats)
        if patience is not None and epochs_without_improvement >= patience:
            history.stopped_early = epoch < epochs
            break

    if best_weights is not None:
        model.load_state_dict(best_weights)
    return history


def save_checkpoint(
    path: str | Path,
    model: nn.Module,
    *,
    optimizer: Optimizer | None = None,
    scheduler: Scheduler | None = None,
    epoch: int | None = None,
    history: History | None = None,
) -> Path:
    """Save the model's weights, and optionally the optimizer, scheduler, epoch and history.

    Everything is stored as tensors and plain Python values, so that
    :func:`load_checkpoint` can read it with ``torch.load(..., weights_only=True)``,
    which refuses to run code hidden in a file. Introduced in the lab.

    Returns:
        The path written.

    Raises:
        TypeError: if ``model`` is not an ``nn.Module`` or ``path`` not a path.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a str or pathlib.Path, got {type(path).__name__}")
    checkpoint: dict[str, Any] = {"model": model.state_dict()}
    if optimizer is not None:
        checkpoint["optimizer"] = optimizer.state_dict()
    if scheduler is not None:
        checkpoint["scheduler"] = scheduler.state_dict()
    if epoch is not None:
        checkpoint["epoch"] = check_int("epoch", epoch, minimum=0)
    if history is not None:
        checkpoint["history"] = history.to_dict()
    path = Path(path)
    torch.save(checkpoint, path)
    return path


def load_checkpoint(
    path: str | Path,
    model: nn.Module,
    *,
    optimizer: Optimizer | None = None,
    scheduler: Scheduler | None = None,
) -> dict[str, Any]:
    """Load a checkpoint written by :func:`save_checkpoint` into ``model`` (and the others).

    Uses ``torch.load(path, weights_only=True)``. Returns the whole checkpoint
    dictionary, so ``checkpoint.get("epoch")`` and ``checkpoint.get("history")``
    are at hand for resuming.

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: if an optimizer or scheduler is passed but the file holds none.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    checkpoint: dict[str, Any] = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    for name, target in (("optimizer", optimizer), ("scheduler", scheduler)):
        if target is None:
            continue
        if name not in checkpoint:
            raise ValueError(f"{name} was given but the checkpoint at {path} holds no {name} state")
        target.load_state_dict(checkpoint[name])
    return checkpoint
