"""Reference solutions of the lab's three exercises, as reusable functions.

The lab (:doc:`/book/lab/training-dynamics`) asks for the smallest network
that fits the low-noise checkerboard, for the spread of results over random
seeds, and for a tour of four learning-rate schedulers. Each task has here a
function that computes the answer and returns it as data (for the lesson's
checks and for your own experiments), a function that formats or draws it,
and an ``exercise_*`` function that runs the reference settings and shows the
result, under the names the PCPT course's Unit 8 uses.

Nothing here touches a global random state: models are built under
:func:`seeded` and every training loop is full-batch, without a ``DataLoader``
(whose iterator draws a seed from PyTorch's global generator).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor, nn
from torch.optim.lr_scheduler import (
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    LRScheduler,
    OneCycleLR,
    StepLR,
)

from looplab._checks import check_float, check_int
from looplab.data import CheckerboardDataset, generate_checkerboard_dataset
from looplab.models import SimpleMLP, count_parameters
from looplab.plot import PALETTE, plot_decision_boundary
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
    "SCHEDULER_CONFIGS",
    "ScheduleCurve",
    "SeedResult",
    "TinyModelSearch",
    "TinyTrial",
    "exercise_random_seeds",
    "exercise_schedulers",
    "exercise_tiny_model",
    "format_seed_results",
    "format_tiny_search",
    "plot_schedule_curves",
    "plot_seed_spread",
    "schedule_curves",
    "search_tiny_mlp",
    "seed_study",
    "seeded",
    "summarize_seeds",
    "tiny_mlp",
]

#: Parameters of the PCPT course's reference answer to exercise 1 (2 -> 5 -> 3).
PCPT_TINY_PARAMETERS = 33


def seeded(factory: Callable[[], nn.Module], seed: int) -> nn.Module:
    """Call ``factory()`` with PyTorch's global generator seeded by ``seed``, then restore it.

    A model's initial weights come from the global generator; building it
    here makes them depend on ``seed`` alone, and the rest of a script draws
    exactly what it would have drawn without this call. Introduced in the lab.

    Raises:
        TypeError: if ``factory`` is not callable or ``seed`` not an int.
        ValueError: if ``seed`` is negative.
    """
    if not callable(factory):
        raise TypeError(f"factory must be callable, got {type(factory).__name__}")
    seed = check_int("seed", seed, minimum=0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return factory()


def _full_batch(dataset: CheckerboardDataset) -> list[tuple[Tensor, Tensor]]:
    if not isinstance(dataset, CheckerboardDataset):
        raise TypeError(
            f"dataset must be a CheckerboardDataset (see generate_checkerboard_dataset), "
            f"got {type(dataset).__name__}"
        )
    return [(dataset.X, dataset.Y)]


# ---------------------------------------------------------------------------
# Exercise 1: the smallest network that fits the low-noise set
# ---------------------------------------------------------------------------


def tiny_mlp(hidden_dim: int, *, input_dim: int = 2, num_classes: int = 3) -> nn.Sequential:
    """A one-hidden-layer ReLU network ``input_dim -> hidden_dim -> num_classes``.

    It has ``(input_dim + 1) * hidden_dim + (hidden_dim + 1) * num_classes``
    parameters: 21 for three hidden units. Introduced in the lab.

    Raises:
        TypeError: if an argument is not an int.
        ValueError: if ``hidden_dim < 1``, ``input_dim < 1`` or ``num_classes < 2``.
    """
    hidden_dim = check_int("hidden_dim", hidden_dim, minimum=1)
    input_dim = check_int("input_dim", input_dim, minimum=1)
    num_classes = check_int("num_classes", num_classes, minimum=2)
    return nn.Sequential(nn.Linear(input_dim, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, num_classes))


@dataclass(frozen=True)
class TinyTrial:
    """One training run of the search in :func:`search_tiny_mlp`.

    Attributes:
        hidden_dim: number of hidden units.
        parameters: number of trainable parameters.
        seed: seed of the initial weights.
        accuracy: training accuracy when the run ended.
        epochs: epochs trained (the run stops as soon as the accuracy is 100%).
    """

    hidden_dim: int
    parameters: int
    seed: int
    accuracy: float
    epochs: int


@dataclass
class TinyModelSearch:
    """What :func:`search_tiny_mlp` found.

    Attributes:
        trials: every run, in the order they were made.
        winner: the first run that reached 100% training accuracy, or ``None``.
        model: the trained network of ``winner``, or ``None``.
    """

    trials: list[TinyTrial] = field(default_factory=list)
    winner: TinyTrial | None = None
    model: nn.Module | None = None

    def best_by_width(self) -> dict[int, TinyTrial]:
        """The run with the highest accuracy for each hidden width tried."""
        best: dict[int, TinyTrial] = {}
        for trial in self.trials:
            current = best.get(trial.hidden_dim)
            if current is None or trial.accuracy > current.accuracy:
                best[trial.hidden_dim] = trial
        return best


def _train_until_perfect(
    model: nn.Module, batches: list[tuple[Tensor, Tensor]], epochs: int, lr: float
) -> tuple[float, int]:
    """Full-batch Adam until the training accuracy is 100% or ``epochs`` run out.

    The accuracy an epoch reports is that of the weights before its update, so
    a perfect epoch is confirmed by evaluating the updated weights.
    """
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(1, epochs + 1):
        if train_one_epoch(model, batches, loss_fn, optimizer).accuracy == 1.0:
            accuracy = evaluate(model, batches, loss_fn).accuracy or 0.0
            if accuracy == 1.0:
                return accuracy, epoch
    return evaluate(model, batches, loss_fn).accuracy or 0.0, epochs


def search_tiny_mlp(
    dataset: CheckerboardDataset,
    *,
    widths: Iterable[int] = (1, 2, 3, 4, 5),
    seeds: Iterable[int] = range(6),
    epochs: int = 100,
    lr: float = 0.1,
) -> TinyModelSearch:
    """Find the narrowest :func:`tiny_mlp` that classifies every training point correctly.

    Widths are tried from the smallest up; for each width, the initial weights
    of every seed in ``seeds`` get one full-batch Adam run of at most
    ``epochs`` epochs at learning rate ``lr``. The search stops at the first
    run that reaches 100% training accuracy: its width is the answer, since
    every smaller width failed for every seed. A failure shows that training
    did not find a solution, not that none exists, so more seeds or epochs may
    move the answer down. Introduced in the lab (exercise 1).

    Raises:
        TypeError: if ``dataset`` is not a :class:`~looplab.data.CheckerboardDataset`
            or an argument has the wrong type.
        ValueError: if ``widths`` or ``seeds`` is empty or a number is out of range.
    """
    batches = _full_batch(dataset)
    width_list = sorted({check_int("width", w, minimum=1) for w in widths})
    seed_list = [check_int("seed", s, minimum=0) for s in seeds]
    if not width_list or not seed_list:
        raise ValueError("widths and seeds must not be empty")
    epochs = check_int("epochs", epochs, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    num_classes = int(dataset.Y.max()) + 1
    search = TinyModelSearch()
    for width in width_list:
        for seed in seed_list:
            model = seeded(partial(tiny_mlp, width, num_classes=num_classes), seed)
            accuracy, epochs_run = _train_until_perfect(model, batches, epochs, lr)
            trial = TinyTrial(width, count_parameters(model), seed, accuracy, epochs_run)
            search.trials.append(trial)
            if accuracy == 1.0:
                search.winner, search.model = trial, model
                return search
    return search


def format_tiny_search(search: TinyModelSearch) -> str:
    """A short table: the best run of each width, then the answer."""
    lines = ["hidden units  parameters  best training accuracy  seeds tried"]
    tried: dict[int, int] = {}
    for trial in search.trials:
        tried[trial.hidden_dim] = tried.get(trial.hidden_dim, 0) + 1
    for width, trial in search.best_by_width().items():
        lines.append(f"{width:>12}  {trial.parameters:>10}  {trial.accuracy:>22.1%}  {tried[width]:>11}")
    if search.winner is None:
        lines.append("no width reached 100% training accuracy")
    else:
        w = search.winner
        lines.append(
            f"smallest: {w.hidden_dim} hidden units, {w.parameters} parameters "
            f"(seed {w.seed}, 100% after {w.epochs} epochs)"
        )
    return "\n".join(lines)


def exercise_tiny_model() -> None:
    """Exercise 1: search for the smallest network that fits the low-noise set, and show it.

    Runs :func:`search_tiny_mlp` on ``generate_checkerboard_dataset(n_per_cell=20,
    noise=0.1, seed=0)``, prints the table of :func:`format_tiny_search` and
    draws the decision regions of the winner. Called with no arguments, like
    the PCPT course's function of the same name. Introduced in the lab.
    """
    dataset = generate_checkerboard_dataset(n_per_cell=20, noise=0.1, seed=0)
    search = search_tiny_mlp(dataset)
    print(format_tiny_search(search))
    if search.model is not None and search.winner is not None:
        print(f"PCPT's reference network has {PCPT_TINY_PARAMETERS} parameters.")
        plot_decision_boundary(
            dataset, search.model, title=f"{search.winner.parameters} parameters", figsize=(3.0, 3.0)
        )


# ---------------------------------------------------------------------------
# Exercise 2: the effect of random seeds
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    """One run of :func:`seed_study`, measured with the restored best weights.

    Attributes:
        seed: seed of the initial weights.
        best_epoch: 1-based epoch with the lowest validation loss.
        epochs_run: epochs trained before early stopping.
        train_acc: accuracy on the training set.
        val_acc: accuracy on the validation set.
        test_acc: accuracy on the test set (measured once, at the end).
        test_loss: mean test loss per example.
    """

    seed: int
    best_epoch: int
    epochs_run: int
    train_acc: float
    val_acc: float
    test_acc: float
    test_loss: float


def seed_study(
    seeds: Iterable[int] = range(10),
    *,
    n_per_cell: int = 20,
    noise: float = 0.5,
    data_seeds: tuple[int, int, int] = (0, 1, 2),
    epochs: int = 300,
    patience: int = 20,
    lr: float = 0.01,
    hidden_dim: int = 16,
) -> list[SeedResult]:
    """Train the lab's :class:`~looplab.models.SimpleMLP` once per seed; only the seed changes.

    The training, validation and test sets are checkerboards drawn with
    ``data_seeds`` and stay the same for every run; the seed sets the initial
    weights only. Each run is full-batch Adam at ``lr`` with early stopping
    (``patience``) on the validation loss, through :func:`looplab.train.fit`,
    which restores the best weights; the three accuracies are then measured
    with those weights. Introduced in the lab (exercise 2).

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if ``seeds`` is empty or a number is out of range.
    """
    seed_list = [check_int("seed", s, minimum=0) for s in seeds]
    if not seed_list:
        raise ValueError("seeds must not be empty")
    if len(data_seeds) != 3:
        raise ValueError(f"data_seeds must hold three seeds (train, validation, test), got {data_seeds!r}")
    train_set, val_set, test_set = (generate_checkerboard_dataset(n_per_cell, noise, s) for s in data_seeds)
    train, val, test = _full_batch(train_set), _full_batch(val_set), _full_batch(test_set)
    loss_fn = nn.CrossEntropyLoss()
    results = []
    for seed in seed_list:
        model = seeded(partial(SimpleMLP, hidden_dim=hidden_dim), seed)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        history = fit(model, train, loss_fn, optimizer, epochs, val_loader=val, patience=patience)
        assert history.best_epoch is not None
        test_stats = evaluate(model, test, loss_fn)
        results.append(
            SeedResult(
                seed=seed,
                best_epoch=history.best_epoch,
                epochs_run=history.epochs_run,
                train_acc=evaluate(model, train, loss_fn).accuracy or 0.0,
                val_acc=history.val_acc[history.best_epoch - 1],
                test_acc=test_stats.accuracy or 0.0,
                test_loss=test_stats.loss,
            )
        )
    return results


def summarize_seeds(results: Sequence[SeedResult]) -> dict[str, tuple[float, float, float, float]]:
    """Mean, sample standard deviation, minimum and maximum of each accuracy over the runs.

    Returns:
        ``{"train": (mean, std, min, max), "validation": ..., "test": ...}``.

    Raises:
        ValueError: if ``results`` has fewer than two runs (no spread to measure).
    """
    if len(results) < 2:
        raise ValueError(f"results must hold at least two runs to measure a spread, got {len(results)}")
    summary = {}
    for split, attribute in (("train", "train_acc"), ("validation", "val_acc"), ("test", "test_acc")):
        values = np.array([getattr(r, attribute) for r in results])
        summary[split] = (
            float(values.mean()),
            float(values.std(ddof=1)),
            float(values.min()),
            float(values.max()),
        )
    return summary


def format_seed_results(results: Sequence[SeedResult]) -> str:
    """One line per seed, then the mean +- standard deviation and range per split."""
    lines = ["seed  best epoch  stopped  train acc  val acc  test acc"]
    for r in results:
        lines.append(
            f"{r.seed:>4}  {r.best_epoch:>10}  {r.epochs_run:>7}  {r.train_acc:>9.1%}"
            f"  {r.val_acc:>7.1%}  {r.test_acc:>8.1%}"
        )
    for split, (mean, std, low, high) in summarize_seeds(results).items():
        lines.append(f"{split:>10}: mean {mean:.1%} +- {std:.1%} (range {low:.1%} to {high:.1%})")
    return "\n".join(lines)


def plot_seed_spread(results: Sequence[SeedResult], *, figsize: tuple[float, float] = (5.0, 3.0)) -> Figure:
    """Each run's train, validation and test accuracy as a dot, beside the mean +- one standard deviation.

    Raises:
        ValueError: if ``results`` has fewer than two runs.
    """
    summary = summarize_seeds(results)
    fig, ax = plt.subplots(figsize=figsize)
    offsets = np.linspace(-0.18, 0.18, len(results))
    colors = (PALETTE["blue"], PALETTE["orange"], PALETTE["green"])
    for position, ((mean, std, _, _), attribute, color) in enumerate(
        zip(summary.values(), ("train_acc", "val_acc", "test_acc"), colors, strict=True)
    ):
        values = [100 * getattr(r, attribute) for r in results]
        ax.scatter(position + offsets, values, s=18, color=color, alpha=0.8)
        ax.errorbar(
            position + 0.32,
            100 * mean,
            yerr=100 * std,
            fmt="o",
            color=PALETTE["black"],
            capsize=4,
            markersize=5,
        )
    ax.set_xticks([0, 1, 2], ["train", "validation", "test"])
    ax.set_xlim(-0.5, 2.6)
    ax.set_xlabel("data set")
    ax.set_ylabel("accuracy at the best epoch (%)")
    ax.set_title(f"{len(results)} seeds: one dot per seed; black: mean +- 1 std", fontsize=9)
    return fig


def exercise_random_seeds() -> None:
    """Exercise 2: train the 483-parameter MLP with ten seeds and show the spread of its accuracy.

    Runs :func:`seed_study` with its defaults, prints :func:`format_seed_results`
    and draws :func:`plot_seed_spread`. Called with no arguments, like the PCPT
    course's function of the same name. Introduced in the lab.
    """
    results = seed_study()
    print(format_seed_results(results))
    plot_seed_spread(results)


# ---------------------------------------------------------------------------
# Exercise 3: a scheduler explorer
# ---------------------------------------------------------------------------

#: Three settings of each scheduler the explorer draws (``T_max`` and ``total_steps``
#: of ``None`` mean "the number of steps shown").
SCHEDULER_CONFIGS: dict[str, list[dict[str, Any]]] = {
    "StepLR": [
        {"step_size": 5, "gamma": 0.5},
        {"step_size": 10, "gamma": 0.5},
        {"step_size": 10, "gamma": 0.2},
    ],
    "CosineAnnealingLR": [
        {"T_max": None, "eta_min": 0.0},
        {"T_max": None, "eta_min": 0.02},
        {"T_max": 10, "eta_min": 0.0},
    ],
    "CosineAnnealingWarmRestarts": [
        {"T_0": 10, "T_mult": 1, "eta_min": 0.0},
        {"T_0": 5, "T_mult": 2, "eta_min": 0.0},
        {"T_0": 4, "T_mult": 3, "eta_min": 0.02},
    ],
    "OneCycleLR": [
        {"pct_start": 0.3, "anneal_strategy": "cos"},
        {"pct_start": 0.1, "anneal_strategy": "cos"},
        {"pct_start": 0.5, "anneal_strategy": "linear"},
    ],
}


@dataclass(frozen=True)
class ScheduleCurve:
    """One scheduler setting: PyTorch's learning rates and the closed form's, step by step.

    Attributes:
        name: the ``torch.optim.lr_scheduler`` class name.
        params: the settings passed to it (besides the optimizer).
        torch_lr: rate in effect at each step, read from PyTorch.
        formula_lr: the same rates from the closed form in :mod:`looplab.schedules`.
    """

    name: str
    params: dict[str, Any]
    torch_lr: list[float]
    formula_lr: list[float]

    @property
    def label(self) -> str:
        """The settings as ``key=value`` pairs, for a plot title."""
        short = {"anneal_strategy": "anneal"}
        return ", ".join(
            f"{short.get(k, k)}={v:g}" if isinstance(v, float) else f"{short.get(k, k)}={v}"
            for k, v in self.params.items()
            if k != "max_lr"
        )

    @property
    def max_abs_difference(self) -> float:
        """Largest gap between the PyTorch and closed-form rates."""
        return max_abs_difference(self.torch_lr, self.formula_lr)


def _scheduler_and_formula(
    name: str, params: dict[str, Any], optimizer: torch.optim.Optimizer, base_lr: float, steps: int
) -> tuple[LRScheduler, Callable[[int], float], dict[str, Any]]:
    """The torch scheduler, its closed form as a function of the step, and the settings used."""
    if name == "StepLR":
        step_size, gamma = params["step_size"], params["gamma"]
        return (
            StepLR(optimizer, step_size=step_size, gamma=gamma),
            lambda t: step_decay(t, base_lr, step_size, gamma),
            dict(params),
        )
    if name == "CosineAnnealingLR":
        t_max = params["T_max"] if params["T_max"] is not None else steps
        eta_min = params["eta_min"]
        return (
            CosineAnnealingLR(optimizer, T_max=t_max, eta_min=eta_min),
            lambda t: cosine_annealing(t, base_lr, t_max, eta_min),
            {"T_max": t_max, "eta_min": eta_min},
        )
    if name == "CosineAnnealingWarmRestarts":
        t_0, t_mult, eta_min = params["T_0"], params["T_mult"], params["eta_min"]
        return (
            CosineAnnealingWarmRestarts(optimizer, T_0=t_0, T_mult=t_mult, eta_min=eta_min),
            lambda t: cosine_warm_restarts(t, base_lr, t_0, t_mult, eta_min),
            dict(params),
        )
    if name == "OneCycleLR":
        total = params.get("total_steps") or steps
        pct, anneal = params["pct_start"], params["anneal_strategy"]
        scheduler = OneCycleLR(
            optimizer, max_lr=base_lr, total_steps=total, pct_start=pct, anneal_strategy=anneal
        )
        return (
            scheduler,
            lambda t: one_cycle(t, base_lr, total, pct_start=pct, anneal=anneal),
            {"max_lr": base_lr, "pct_start": pct, "anneal_strategy": anneal},
        )
    raise ValueError(f"name must be one of {sorted(SCHEDULER_CONFIGS)}, got {name!r}")


def schedule_curves(
    configs: dict[str, list[dict[str, Any]]] | None = None,
    *,
    steps: int = 30,
    base_lr: float = 0.1,
) -> list[ScheduleCurve]:
    """Record each scheduler setting for ``steps`` steps and evaluate its closed form beside it.

    The PyTorch rates come from :func:`looplab.schedules.lr_history` on a fresh
    SGD optimizer (rate ``base_lr``) per setting; the closed forms are
    :func:`~looplab.schedules.step_decay`, :func:`~looplab.schedules.cosine_annealing`,
    :func:`~looplab.schedules.cosine_warm_restarts` and :func:`~looplab.schedules.one_cycle`.
    Introduced in the lab (exercise 3).

    Args:
        configs: scheduler name -> list of settings, like :data:`SCHEDULER_CONFIGS` (the default).
        steps: number of scheduler steps recorded (at least 2).
        base_lr: the optimizer's rate (``max_lr`` for ``OneCycleLR``).

    Raises:
        ValueError: for an unknown scheduler name or an out-of-range number.
    """
    steps = check_int("steps", steps, minimum=2)
    base_lr = check_float("base_lr", base_lr, minimum=0.0, strict_minimum=True)
    curves = []
    for name, settings in (configs if configs is not None else SCHEDULER_CONFIGS).items():
        for params in settings:
            weight = torch.zeros(1, requires_grad=True)
            optimizer = torch.optim.SGD([weight], lr=base_lr, momentum=0.9)
            scheduler, formula, used = _scheduler_and_formula(name, params, optimizer, base_lr, steps)
            torch_lr = lr_history(scheduler, steps)
            curves.append(ScheduleCurve(name, used, torch_lr, [formula(t) for t in range(steps)]))
    return curves


def plot_schedule_curves(
    curves: Sequence[ScheduleCurve], *, columns: int = 3, figsize: tuple[float, float] | None = None
) -> Figure:
    """A grid of panels, one per curve: PyTorch's rates as dots, the closed form as a line.

    Raises:
        ValueError: if ``curves`` is empty or ``columns < 1``.
    """
    if not curves:
        raise ValueError("curves must not be empty")
    columns = check_int("columns", columns, minimum=1)
    rows = math.ceil(len(curves) / columns)
    size = figsize if figsize is not None else (2.4 * columns, 1.9 * rows)
    fig, axes = plt.subplots(rows, columns, figsize=size, sharex=True, sharey=True, squeeze=False)
    for index, ax in enumerate(axes.flat):
        if index >= len(curves):
            ax.set_visible(False)
            continue
        curve = curves[index]
        steps = range(len(curve.torch_lr))
        ax.plot(steps, curve.formula_lr, color=PALETTE["orange"], linewidth=1.4, label="closed form")
        ax.plot(steps, curve.torch_lr, "o", color=PALETTE["blue"], markersize=2.5, label="PyTorch")
        ax.set_title(f"{curve.name}\n{curve.label}", fontsize=7)
        if index % columns == 0:
            ax.set_ylabel("learning rate", fontsize=8)
        if index >= len(curves) - columns:
            ax.set_xlabel("step", fontsize=8)
            ax.xaxis.set_tick_params(labelbottom=True)
    axes.flat[0].legend(fontsize=6, loc="upper right")
    return fig


def exercise_schedulers() -> None:
    """Exercise 3: draw every setting of :data:`SCHEDULER_CONFIGS` over 30 steps with its closed form.

    Prints the largest gap between PyTorch and the closed form for each
    setting and draws :func:`plot_schedule_curves`. Called with no arguments,
    like the PCPT course's function of the same name. Introduced in the lab.
    """
    curves = schedule_curves()
    for curve in curves:
        print(f"{curve.name:<28} {curve.label:<40} max |torch - formula| = {curve.max_abs_difference:.1e}")
    plot_schedule_curves(curves)
