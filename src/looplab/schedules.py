"""Learning-rate schedules: the history of any torch scheduler.

Introduced in lesson 3.2.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from torch.optim.lr_scheduler import LRScheduler, ReduceLROnPlateau

from looplab._checks import check_int

__all__ = ["lr_history"]


def lr_history(
    scheduler: LRScheduler | ReduceLROnPlateau,
    steps: int,
    metrics: Sequence[float] | None = None,
) -> list[float]:
    """The learning rate in effect during each of ``steps`` epochs.

    The first value is the rate before any ``scheduler.step()``; after each
    recorded epoch but the last the scheduler is stepped once, as a training
    loop would do (so a ``OneCycleLR`` built with ``total_steps=steps`` fits). For a
    ``ReduceLROnPlateau`` scheduler, ``metrics[i]`` is the monitored value
    passed to ``step`` after epoch ``i``. Only the first parameter group is read.

    The scheduler (and its optimizer) is advanced in place, so pass a fresh one.
    No ``optimizer.step()`` is taken, so PyTorch's order warning is silenced here.

    Args:
        scheduler: a ``torch.optim.lr_scheduler`` instance.
        steps: number of epochs to record (at least 1).
        metrics: one monitored value per epoch; required for plateau
            schedulers and not allowed for the others.

    Raises:
        TypeError: if ``scheduler`` is not a torch scheduler or ``steps`` not an int.
        ValueError: if ``steps < 1`` or ``metrics`` is missing, misplaced or too short.
    """
    if not isinstance(scheduler, (LRScheduler, ReduceLROnPlateau)):
        raise TypeError(
            "scheduler must be a torch.optim.lr_scheduler.LRScheduler or ReduceLROnPlateau, "
            f"got {type(scheduler).__name__}"
        )
    steps = check_int("steps", steps, minimum=1)
    plateau = isinstance(scheduler, ReduceLROnPlateau)
    if plateau and metrics is None:
        raise ValueError("metrics is required for ReduceLROnPlateau (one value per step)")
    if not plateau and metrics is not None:
        raise ValueError("metrics is only allowed for ReduceLROnPlateau schedulers")
    if metrics is not None and len(metrics) < steps:
        raise ValueError(f"metrics must have at least steps={steps} values, got {len(metrics)}")

    optimizer = scheduler.optimizer
    history: list[float] = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*lr_scheduler\.step\(\)", category=UserWarning)
        for i in range(steps):
            history.append(float(optimizer.param_groups[0]["lr"]))
            if i == steps - 1:
                break
            if isinstance(scheduler, ReduceLROnPlateau):
                assert metrics is not None
                scheduler.step(float(metrics[i]))
            else:
                scheduler.step()
    return history
