"""The course's figure style and the figures lessons draw again and again.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common forms of colour blindness; figures have a white background so they stay
readable when the site is shown in its dark theme. Every function returns the
matplotlib ``Figure`` it drew on and labels every axis it creates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from looplab._checks import check_int
from looplab.train import History

__all__ = [
    "PALETTE",
    "use_course_style",
    "plot_loss_and_accuracy",
    "plot_history",
    "plot_loss_and_lr",
]

#: Okabe-Ito colours, in the order the course uses them.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

_STYLE: dict[str, Any] = {
    "axes.prop_cycle": mpl.cycler(
        color=[PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]
    ),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "figure.figsize": (6.0, 3.5),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.constrained_layout.use": True,
    "lines.linewidth": 1.8,
    "image.cmap": "viridis",
}


def use_course_style() -> None:
    """Apply the course's matplotlib style to every later figure.

    Lessons call it once, next to :func:`looplab.repro.seed_everything`.
    Introduced in lesson 1.1.
    """
    mpl.rcParams.update(_STYLE)


def _check_series(name: str, values: Sequence[float], *, allow_empty: bool = False) -> list[float]:
    try:
        series = [float(v) for v in values]
    except TypeError:
        raise TypeError(f"{name} must be a sequence of numbers, got {type(values).__name__}") from None
    if not series and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    return series


def plot_loss_and_accuracy(
    train_loss: Sequence[float],
    val_loss: Sequence[float],
    train_acc: Sequence[float],
    val_acc: Sequence[float],
    best_epoch: int | None = None,
    figsize: tuple[float, float] = (6.2, 2.2),
) -> Figure:
    """Loss and accuracy per epoch, training and validation, side by side.

    Epochs are numbered from 1. ``best_epoch`` (1-based), if given, is marked
    with a dashed vertical line on both panels. ``val_loss`` and the accuracy
    sequences may be empty (no validation, or a regression task); the accuracy
    panel is dropped when both accuracies are empty. Introduced in the lab.

    Raises:
        TypeError: if a series is not a sequence of numbers.
        ValueError: if ``train_loss`` is empty, a non-empty series has a
            different length from it, or ``best_epoch`` is out of range.
    """
    train = _check_series("train_loss", train_loss)
    series = {
        "val_loss": _check_series("val_loss", val_loss, allow_empty=True),
        "train_acc": _check_series("train_acc", train_acc, allow_empty=True),
        "val_acc": _check_series("val_acc", val_acc, allow_empty=True),
    }
    for name, values in series.items():
        if values and len(values) != len(train):
            raise ValueError(f"{name} must have {len(train)} values like train_loss, got {len(values)}")
    if best_epoch is not None:
        best_epoch = check_int("best_epoch", best_epoch, minimum=1)
        if best_epoch > len(train):
            raise ValueError(f"best_epoch must be between 1 and {len(train)}, got {best_epoch}")

    show_acc = bool(series["train_acc"] or series["val_acc"])
    fig, axes = plt.subplots(1, 2 if show_acc else 1, figsize=figsize, squeeze=False)
    epochs = range(1, len(train) + 1)
    panels = [("Loss", "mean loss per example", train, series["val_loss"])]
    if show_acc:
        panels.append(("Accuracy", "accuracy", series["train_acc"], series["val_acc"]))
    for ax, (title, ylabel, train_values, val_values) in zip(axes[0], panels):
        if train_values:
            ax.plot(epochs, train_values, label="train", color=PALETTE["blue"])
        if val_values:
            ax.plot(epochs, val_values, label="validation", color=PALETTE["orange"])
        if best_epoch is not None:
            ax.axvline(best_epoch, color=PALETTE["black"], linestyle="--", linewidth=1,
                       label=f"best epoch ({best_epoch})")
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.legend()
    return fig


def plot_history(history: History, *, figsize: tuple[float, float] = (6.2, 2.2)) -> Figure:
    """:func:`plot_loss_and_accuracy` for a :class:`looplab.train.History` from ``fit``.

    Raises:
        TypeError: if ``history`` is not a ``History``.
    """
    if not isinstance(history, History):
        raise TypeError(f"history must be a looplab.train.History, got {type(history).__name__}")
    return plot_loss_and_accuracy(
        history.train_loss, history.val_loss, history.train_acc, history.val_acc,
        best_epoch=history.best_epoch, figsize=figsize,
    )


def plot_loss_and_lr(
    loss: Sequence[float],
    lr: Sequence[float],
    *,
    ax: Axes | None = None,
    loss_label: str = "training loss",
    log_lr: bool = True,
    figsize: tuple[float, float] = (5.0, 3.0),
) -> Figure:
    """The loss per epoch with the learning rate on a second y-axis.

    The loss is drawn in blue on the left axis; the learning rate in orange,
    dashed, on the right axis (logarithmic by default, so halvings are evenly
    spaced). Introduced in lesson 3.2.

    Raises:
        TypeError: if a series is not a sequence of numbers.
        ValueError: if a series is empty, the lengths differ, or ``log_lr`` is
            asked for with a non-positive learning rate.
    """
    losses = _check_series("loss", loss)
    rates = _check_series("lr", lr)
    if len(rates) != len(losses):
        raise ValueError(f"lr must have {len(losses)} values like loss, got {len(rates)}")
    if log_lr and min(rates) <= 0:
        raise ValueError("log_lr=True needs positive learning rates; pass log_lr=False")
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    else:
        fig = ax.get_figure()  # type: ignore[assignment]
    epochs = range(1, len(losses) + 1)
    ax.plot(epochs, losses, color=PALETTE["blue"], label=loss_label)
    ax.set_xlabel("epoch")
    ax.set_ylabel(loss_label, color=PALETTE["blue"])
    lr_ax = ax.twinx()
    lr_ax.plot(epochs, rates, color=PALETTE["orange"], linestyle="--", label="learning rate")
    lr_ax.set_ylabel("learning rate", color=PALETTE["orange"])
    lr_ax.grid(False)
    lr_ax.spines["right"].set_visible(True)
    if log_lr:
        lr_ax.set_yscale("log")
    lines = ax.get_lines() + lr_ax.get_lines()
    ax.legend(lines, [str(line.get_label()) for line in lines], loc="upper right")
    assert fig is not None
    return fig
