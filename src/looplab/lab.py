"""Entry points of the PCPT course's Unit 8: names from the rest of looplab, and thin wrappers.

A reader who holds the PCPT notebook on training dynamics can run it against
looplab by changing only its import line::

    from looplab.lab import (generate_checkerboard_dataset, plot_decision_boundary,
                             plot_loss_and_accuracy, plot_boundary_and_loss_lr,
                             exercise_tiny_model, exercise_random_seeds, exercise_schedulers)

The dataset and plotting names are the looplab functions documented in their
own modules (:mod:`looplab.data`, :mod:`looplab.plot`). The three
``exercise_*`` functions, called without arguments as in PCPT, are shorter
copies of the solutions of the lab's exercises, which the lab writes out in
full (:doc:`/book/lab/training-dynamics`): each is a few lines over
:func:`looplab.repro.seeded`, :func:`looplab.models.tiny_mlp`,
:func:`looplab.train.fit`, :func:`looplab.plot.plot_spread` and the closed
forms of :mod:`looplab.schedules`. Each prints exactly what its solution
prints on the page (``tests/unit/test_lab.py`` compares the two), draws the
same figure and leaves every global random state as it found it.

The plotting functions return the figure they drew; in a notebook, end such a
call with ``;`` (or assign the figure) when it is the last line of a cell, or
Jupyter shows the figure twice. Introduced in the lab.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any, Literal

import matplotlib.pyplot as plt
import torch
from torch import Tensor, nn
from torch.optim.lr_scheduler import (
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    LRScheduler,
    OneCycleLR,
    StepLR,
)

from looplab.data import generate_checkerboard_dataset
from looplab.models import SimpleMLP, count_parameters, tiny_mlp
from looplab.plot import (
    PALETTE,
    plot_boundary_and_loss_lr,
    plot_decision_boundary,
    plot_loss_and_accuracy,
    plot_spread,
)
from looplab.repro import seeded
from looplab.schedules import (
    cosine_annealing,
    cosine_warm_restarts,
    lr_history,
    max_abs_difference,
    one_cycle,
    step_decay,
)
from looplab.train import evaluate, fit, train_one_epoch

__all__ = [
    "exercise_random_seeds",
    "exercise_schedulers",
    "exercise_tiny_model",
    "generate_checkerboard_dataset",
    "plot_boundary_and_loss_lr",
    "plot_decision_boundary",
    "plot_loss_and_accuracy",
]

Batch = tuple[Tensor, Tensor]


def _train_to_fit(model: nn.Module, batch: list[Batch], epochs: int = 100) -> tuple[float, int]:
    """Full-batch Adam at 0.1 until every point is right: ``(accuracy, epochs trained)``."""
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    accuracy = 0.0
    for epoch in range(1, epochs + 1):
        train_one_epoch(model, batch, loss_fn, optimizer)
        accuracy = evaluate(model, batch, loss_fn).accuracy or 0.0
        if accuracy == 1.0:
            return accuracy, epoch
    return accuracy, epochs


def exercise_tiny_model() -> None:
    """Exercise 1: the narrowest :func:`~looplab.models.tiny_mlp` that fits the low-noise set.

    Widths 1 to 5, six initial seeds each, full-batch Adam at 0.1 for at most
    100 epochs; the first run that classifies every training point wins.
    Prints one line per width tried, the winner, and whether every hidden
    unit's weights point along ``(1, 1)`` (within 5 degrees), then draws the
    winner's decision regions. Introduced in the lab, exercise 1.
    """
    data = generate_checkerboard_dataset(n_per_cell=20, noise=0.1, seed=0)
    batch = [(data.X, data.Y)]
    print("hidden units  parameters  seeds tried  best accuracy")
    for width in range(1, 6):
        best = 0.0
        for seed in range(6):
            model = seeded(partial(tiny_mlp, width), seed)
            accuracy, epochs = _train_to_fit(model, batch)
            best = max(best, accuracy)
            if accuracy == 1.0:
                break
        print(f"{width:>12}  {count_parameters(model):>10}  {seed + 1:>11}  {best:>13.1%}")
        if best == 1.0:
            size = count_parameters(model)
            print(
                f"smallest: {width} hidden units, {size} parameters (seed {seed}, 100% after {epochs} epochs)"
            )
            hidden = model[0]
            assert isinstance(hidden, nn.Linear)
            weights = hidden.weight.detach()  # one row (w1, w2) per hidden unit
            cosines = weights.sum(dim=1).abs() / (weights.norm(dim=1) * math.sqrt(2))
            along = bool((cosines > math.cos(math.radians(5))).all())
            print(f"every hidden unit looks along x1 + x2, to 5 degrees: {along}")
            plot_decision_boundary(data, model, title=f"{size} parameters", figsize=(3.0, 3.0))
            return
    print("no width up to 5 classified every training point")


def exercise_random_seeds() -> None:
    """Exercise 2: the 483-parameter MLP with ten initial seeds, all else fixed.

    Training, validation and test sets are the lab's high-noise checkerboards
    (seeds 0, 1, 2); each run is full-batch Adam at 0.01 with early stopping
    (patience 20) through :func:`~looplab.train.fit`, which restores the best
    weights. Prints each run's accuracies, their mean, standard deviation and
    range per set, and the sampling noise of one test accuracy on its 180
    points, then draws them with :func:`~looplab.plot.plot_spread`.
    Introduced in the lab, exercise 2.
    """
    data = [generate_checkerboard_dataset(n_per_cell=20, noise=0.5, seed=s) for s in (0, 1, 2)]
    sets = {name: [(d.X, d.Y)] for name, d in zip(("train", "validation", "test"), data, strict=True)}
    loss_fn = nn.CrossEntropyLoss()
    accuracies: dict[str, list[float]] = {name: [] for name in sets}
    print("seed  best epoch  stopped  " + "  ".join(f"{name[:5]:>5} acc" for name in sets))
    for seed in range(10):
        model = seeded(SimpleMLP, seed)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        run = fit(model, sets["train"], loss_fn, optimizer, 300, val_loader=sets["validation"], patience=20)
        for name, batch in sets.items():
            accuracies[name].append(100 * (evaluate(model, batch, loss_fn).accuracy or 0.0))
        print(
            f"{seed:>4}  {run.best_epoch:>10}  {run.epochs_run:>7}  "
            + "  ".join(f"{accuracies[name][-1]:>8.1f}%" for name in sets)
        )
    for name, values in accuracies.items():
        spread = torch.tensor(values)
        print(
            f"{name:>10}: mean {spread.mean():.1f}% +- {spread.std():.1f}%, "
            f"range {spread.min():.1f}% to {spread.max():.1f}%"
        )
    a, m = torch.tensor(accuracies["test"]).mean().item() / 100, len(sets["test"][0][1])
    sampling = 100 * math.sqrt(a * (1 - a) / m)
    print(f"sampling noise of one accuracy near {a:.0%} on {m} points:\n  {sampling:.1f} percentage points")
    plot_spread(accuracies, ylabel="accuracy at the best epoch (%)", xlabel="data set")


_STEPS, _BASE_LR = 30, 0.1


def _one_cycle_lr(
    optimizer: torch.optim.Optimizer, pct_start: float, anneal: Literal["cos", "linear"]
) -> OneCycleLR:
    return OneCycleLR(
        optimizer, max_lr=_BASE_LR, total_steps=_STEPS, pct_start=pct_start, anneal_strategy=anneal
    )


def _one_cycle_formula(step: int, max_lr: float, pct_start: float, anneal: Literal["cos", "linear"]) -> float:
    return one_cycle(step, max_lr, _STEPS, pct_start=pct_start, anneal=anneal)


#: name -> (scheduler, its closed form, three settings given after the optimizer / the base rate).
_EXPLORER: dict[str, tuple[Callable[..., LRScheduler], Callable[..., float], list[tuple[Any, ...]]]] = {
    "StepLR": (StepLR, step_decay, [(5, 0.5), (10, 0.5), (10, 0.2)]),
    "CosineAnnealingLR": (CosineAnnealingLR, cosine_annealing, [(30, 0.0), (30, 0.02), (10, 0.0)]),
    "CosineAnnealingWarmRestarts": (
        CosineAnnealingWarmRestarts,
        cosine_warm_restarts,
        [(10, 1, 0.0), (5, 2, 0.0), (4, 3, 0.02)],
    ),
    "OneCycleLR": (_one_cycle_lr, _one_cycle_formula, [(0.3, "cos"), (0.1, "cos"), (0.5, "linear")]),
}


def exercise_schedulers() -> None:
    """Exercise 3: four schedulers, three settings each, beside their closed forms.

    Records 30 steps of each setting from a base rate of 0.1 with
    :func:`~looplab.schedules.lr_history`, compares them with the closed forms
    of :mod:`looplab.schedules` and draws a 4 x 3 grid: PyTorch's rates as
    dots on the closed form's line. Prints how many settings agree to 1e-12.
    Introduced in the lab, exercise 3.
    """
    agree = []
    _, axes = plt.subplots(4, 3, figsize=(7.2, 7.0), sharex=True, sharey=True)
    for row, (name, (scheduler, formula, settings)) in zip(axes, _EXPLORER.items(), strict=True):
        for ax, args in zip(row, settings, strict=True):
            optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=_BASE_LR)
            rates = lr_history(scheduler(optimizer, *args), _STEPS)
            closed = [formula(t, _BASE_LR, *args) for t in range(_STEPS)]
            agree.append(max_abs_difference(rates, closed) < 1e-12)
            ax.plot(closed, color=PALETTE["orange"], label="closed form")
            ax.plot(rates, "o", color=PALETTE["blue"], markersize=2.5, label="PyTorch")
            ax.set_title(f"{name} {args}", fontsize=7)
    for ax in axes[:, 0]:
        ax.set_ylabel("learning rate")
    for ax in axes[-1]:
        ax.set_xlabel("step")
    axes[0, 0].legend(fontsize=6)
    print(f"settings that agree with their closed form to 1e-12: {sum(agree)} of {len(agree)}")
