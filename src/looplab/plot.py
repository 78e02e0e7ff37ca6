"""The course's figure style and the figures lessons draw again and again.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common forms of colour blindness; figures have a white background so they stay
readable when the site is shown in its dark theme. Every function returns the
matplotlib ``Figure`` it drew on and labels every axis it creates.

Figures are drawn at :data:`DISPLAY_DPI` pixels per inch of figure size (their size
on the page) and saved at twice that (:data:`SAVE_DPI`), so they stay sharp on
high-resolution screens: in a notebook, :func:`use_course_style` makes the inline
backend emit 2x ("retina") PNGs with their display size in the output's metadata,
and the site build (``tools/sphinx_ext/images.py``) gives every figure's ``<img>``
that size. Text and lines that must stay apart from the data use the palette's
dark colours (:data:`DARK_COLORS`, at least 3:1 against white, WCAG's contrast for
graphics); the light ones (orange, sky, yellow) are for filled areas and markers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import torch
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import Tensor, nn
from torch.utils.data import TensorDataset

from looplab._checks import check_float, check_int
from looplab.train import History

__all__ = [
    "DARK_COLORS",
    "DISPLAY_DPI",
    "PALETTE",
    "SAVE_DPI",
    "TICK_LABEL_PT",
    "plot_boundary_and_loss_lr",
    "plot_decision_boundary",
    "plot_history",
    "plot_loss_and_accuracy",
    "plot_loss_and_lr",
    "plot_spread",
    "use_course_style",
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

#: Palette colours with a contrast of at least 3 to 1 against white, for text, axis labels and thin lines.
DARK_COLORS: tuple[str, ...] = ("blue", "green", "vermillion", "purple", "black")

#: CSS pixels per inch of figure size, the size a figure is shown at.
DISPLAY_DPI = 100
#: Pixels per inch of the saved PNG, twice :data:`DISPLAY_DPI` (sharp on 2x screens).
SAVE_DPI = 2 * DISPLAY_DPI
#: Font size (points) of tick labels, the smallest text of the style; the site's
#: legibility check (``tests/site/test_figures.py``) measures figures by it.
TICK_LABEL_PT = 9.0

_STYLE: dict[str, Any] = {
    "axes.prop_cycle": cycler(
        color=[PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]
    ),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": TICK_LABEL_PT,
    "ytick.labelsize": TICK_LABEL_PT,
    "legend.fontsize": 9,
    # A legend that must sit on data keeps the data behind it readable and itself too.
    "legend.loc": "best",
    "legend.frameon": True,
    "legend.framealpha": 0.85,
    "legend.edgecolor": "none",
    # 6 in: with its margins a figure of this width still has tick labels of >= 6.5 CSS px in
    # the site's 342-px column at phone width (tests/site/test_figures.py).
    "figure.figsize": (6.0, 3.5),
    "figure.dpi": DISPLAY_DPI,
    "savefig.dpi": SAVE_DPI,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.constrained_layout.use": True,
    "lines.linewidth": 1.8,
    "image.cmap": "viridis",
}


def use_course_style() -> None:
    """Apply the course's matplotlib style to every later figure.

    Lessons call it once, next to :func:`looplab.repro.seed_everything`. In an
    IPython kernel it also makes the inline backend show figures as 2x PNGs
    ("retina": drawn at :data:`SAVE_DPI`, shown at the size :data:`DISPLAY_DPI`
    gives them), so they stay sharp on high-resolution screens; ``savefig``
    writes at :data:`SAVE_DPI` too. Introduced in lesson 1.1.
    """
    mpl.style.use(_STYLE)
    _inline_figures_at_2x()


def _inline_figures_at_2x() -> None:
    """Select the inline backend's 2x PNG format when running in an IPython shell."""
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
        from matplotlib_inline.config import InlineBackend
    except ImportError:  # plain Python: nothing displays figures inline
        return
    shell = get_ipython()
    if shell is None:
        return
    config = InlineBackend.instance(parent=shell)
    # Kept by the configuration if the inline backend is activated only later ...
    config.figure_formats = {"retina"}
    # ... and in effect from now on.
    select_figure_formats(shell, {"retina"}, **config.print_figure_kwargs)  # type: ignore[no-untyped-call]


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
    for ax, (title, ylabel, train_values, val_values) in zip(axes[0], panels, strict=True):
        if train_values:
            ax.plot(epochs, train_values, label="train", color=PALETTE["blue"])
        if val_values:
            ax.plot(epochs, val_values, label="validation", color=PALETTE["orange"])
        if best_epoch is not None:
            ax.axvline(
                best_epoch,
                color=PALETTE["black"],
                linestyle="--",
                linewidth=1,
                label=f"best epoch ({best_epoch})",
            )
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
        history.train_loss,
        history.val_loss,
        history.train_acc,
        history.val_acc,
        best_epoch=history.best_epoch,
        figsize=figsize,
    )


def plot_loss_and_lr(
    loss: Sequence[float],
    lr: Sequence[float],
    *,
    ax: Axes | None = None,
    loss_label: str = "training loss",
    log_lr: bool = True,
    figsize: tuple[float, float] = (5.0, 3.0),
    legend: bool = True,
) -> Figure:
    """The loss per epoch with the learning rate on a second y-axis.

    The loss is drawn in blue on the left axis; the learning rate in
    vermillion, dashed, on the right axis (logarithmic by default, so halvings
    are evenly spaced); both axis labels have their line's colour, which
    contrasts at least 3:1 with the white background. The legend names both
    lines. On a new figure it sits outside the axes, below them, so it covers
    no data; on given ``ax`` it goes where it covers least of the loss curve
    (``legend=False`` leaves it out, for a caller that adds its own).
    Introduced in lesson 3.2.

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
    new_figure = ax is None
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    else:
        fig = ax.get_figure()  # type: ignore[assignment]
    epochs = range(1, len(losses) + 1)
    ax.plot(epochs, losses, color=PALETTE["blue"], label=loss_label)
    ax.set_xlabel("epoch")
    ax.set_ylabel(loss_label, color=PALETTE["blue"])
    lr_ax = ax.twinx()
    lr_ax.plot(epochs, rates, color=PALETTE["vermillion"], linestyle="--", label="learning rate")
    lr_ax.set_ylabel("learning rate", color=PALETTE["vermillion"])
    lr_ax.grid(False)
    lr_ax.spines["right"].set_visible(True)
    if log_lr:
        lr_ax.set_yscale("log")
    assert fig is not None
    if legend:
        lines = ax.get_lines() + lr_ax.get_lines()
        labels = [str(line.get_label()) for line in lines]
        if new_figure:
            fig.legend(lines, labels, loc="outside lower center", ncols=2)
        else:
            # Drawn on the top axes (the learning rate's), placed where the loss curve is not.
            ax.set_zorder(lr_ax.get_zorder() + 1)
            ax.patch.set_visible(False)
            ax.legend(lines, labels, loc="best")
    return fig


#: Colours and markers of class 0, 1, 2, ... in scatter plots and decision regions.
_CLASS_COLORS = ("blue", "orange", "green", "vermillion", "purple", "sky")
_CLASS_MARKERS = ("o", "s", "^", "D", "v", "P")


def _points_and_labels(dataset: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(X, Y)`` as NumPy arrays from a dataset with ``.X``/``.Y``, a ``TensorDataset`` or a pair."""
    if hasattr(dataset, "X") and hasattr(dataset, "Y"):
        X, Y = dataset.X, dataset.Y
    elif isinstance(dataset, TensorDataset) and len(dataset.tensors) == 2:
        X, Y = dataset.tensors
    elif isinstance(dataset, (tuple, list)) and len(dataset) == 2:
        X, Y = dataset
    else:
        raise TypeError(
            "dataset must have .X and .Y (as generate_checkerboard_dataset returns), "
            f"be a TensorDataset of (X, Y) or an (X, Y) pair, got {type(dataset).__name__}"
        )
    points = np.asarray(X.detach().cpu() if isinstance(X, Tensor) else X, dtype=np.float64)
    labels = np.asarray(Y.detach().cpu() if isinstance(Y, Tensor) else Y)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"dataset.X must have shape (n, 2), got {points.shape}")
    if labels.shape != (len(points),):
        raise ValueError(f"dataset.Y must have shape ({len(points)},), got {labels.shape}")
    if len(labels) and (not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0):
        raise ValueError("dataset.Y must hold non-negative integer class labels")
    return points, labels.astype(np.int64)


def plot_decision_boundary(
    dataset: Any,
    model: nn.Module | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (2.5, 2.5),
    xlim_min: float = -2.5,
    xlim_max: float = 2.5,
    ylim_min: float = -2.5,
    ylim_max: float = 2.5,
    *,
    legend: bool = True,
    resolution: int = 200,
) -> Figure:
    """The points of a 2-D classification set coloured by class, with a model's decision regions.

    Each class gets a colour of :data:`PALETTE` and its own marker, so the
    classes stay apart in grey scale too. With a ``model`` (any module mapping
    ``(n, 2)`` inputs to ``(n, classes)`` scores), the plane is shaded by the
    class the model predicts on a ``resolution`` x ``resolution`` grid, and the
    model's accuracy on ``dataset`` is written in the corner, beneath the points
    (so it hides none of them); the legend goes where it covers fewest. The model is
    evaluated in eval mode under ``torch.no_grad()`` and put back in the mode
    it was in. The arguments before ``legend`` match the PCPT course's Unit 8
    function of the same name. Introduced in the lab
    (:doc:`/book/lab/training-dynamics`).

    Args:
        dataset: an object with ``.X`` (points, shape ``(n, 2)``) and ``.Y``
            (integer labels, shape ``(n,)``), such as the result of
            :func:`looplab.data.generate_checkerboard_dataset`; a
            ``TensorDataset`` of ``(X, Y)`` or an ``(X, Y)`` pair works too.
        model: optional classifier whose decision regions are drawn.
        ax: axes to draw on; a new figure of size ``figsize`` is made when ``None``.
        title: optional axes title.
        figsize: size in inches of the new figure (ignored when ``ax`` is given).
        xlim_min, xlim_max, ylim_min, ylim_max: the part of the plane shown.
        legend: whether to add a legend naming the classes.
        resolution: grid points per axis for the decision regions (at least 10).

    Returns:
        The figure drawn on.

    Raises:
        TypeError: if ``dataset`` has none of the accepted forms or ``model`` is
            not an ``nn.Module``.
        ValueError: if the shapes or labels are wrong, a lower limit is not
            below its upper limit, or ``resolution < 10``.
    """
    points, labels = _points_and_labels(dataset)
    if model is not None and not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module or None, got {type(model).__name__}")
    limits = [
        check_float(name, value)
        for name, value in (
            ("xlim_min", xlim_min),
            ("xlim_max", xlim_max),
            ("ylim_min", ylim_min),
            ("ylim_max", ylim_max),
        )
    ]
    x_lo, x_hi, y_lo, y_hi = limits
    if x_lo >= x_hi or y_lo >= y_hi:
        raise ValueError(
            "xlim_min must be < xlim_max and ylim_min < ylim_max, "
            f"got x: [{x_lo}, {x_hi}], y: [{y_lo}, {y_hi}]"
        )
    resolution = check_int("resolution", resolution, minimum=10)
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    else:
        fig = ax.get_figure()  # type: ignore[assignment]
    num_classes = int(labels.max()) + 1 if len(labels) else 1

    accuracy: float | None = None
    if model is not None:
        xs = np.linspace(x_lo, x_hi, resolution)
        ys = np.linspace(y_lo, y_hi, resolution)
        grid_x, grid_y = np.meshgrid(xs, ys)
        grid = torch.tensor(np.column_stack([grid_x.ravel(), grid_y.ravel()]), dtype=torch.float32)
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                grid_pred = model(grid).argmax(dim=1).numpy().reshape(grid_x.shape)
                if len(labels):
                    pred = model(torch.tensor(points, dtype=torch.float32)).argmax(dim=1).numpy()
                    accuracy = float((pred == labels).mean())
        finally:
            model.train(was_training)
        num_classes = max(num_classes, int(grid_pred.max()) + 1)
        region_colors = [PALETTE[_CLASS_COLORS[k % len(_CLASS_COLORS)]] for k in range(num_classes)]
        ax.contourf(
            grid_x,
            grid_y,
            grid_pred,
            levels=np.arange(num_classes + 1) - 0.5,
            colors=region_colors,
            alpha=0.25,
        )

    for k in range(num_classes):
        mask = labels == k
        if not mask.any():
            continue
        ax.scatter(
            points[mask, 0],
            points[mask, 1],
            s=12,
            linewidths=0.4,
            edgecolors="white",
            color=PALETTE[_CLASS_COLORS[k % len(_CLASS_COLORS)]],
            marker=_CLASS_MARKERS[k % len(_CLASS_MARKERS)],
            label=f"class {k}",
            zorder=3,  # above the accuracy label: a label never hides a point
        )
    if accuracy is not None:
        ax.text(
            0.97,
            0.97,
            f"accuracy {accuracy:.1%}",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1.5},
            zorder=2,
        )
    if legend and len(labels):
        ax.legend(
            loc="best",  # where it covers fewest points
            fontsize=7,
            handletextpad=0.2,
            borderpad=0.3,
            frameon=True,
            framealpha=0.8,
            edgecolor="none",
        )
    if title:
        ax.set_title(title)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    ax.grid(False)
    assert fig is not None
    return fig


def plot_boundary_and_loss_lr(
    dataset: Any,
    model: nn.Module,
    train_loss: Sequence[float],
    lr_history: Sequence[float],
    title: str = "Training Set",
    figsize: tuple[float, float] = (6.0, 2.6),
) -> Figure:
    """A model's decision regions (left) beside its training loss and learning rate per epoch (right).

    The left panel is :func:`plot_decision_boundary`, the right one
    :func:`plot_loss_and_lr` with the learning rate on a logarithmic axis.
    ``lr_history[k]`` is drawn at epoch ``k + 1``: pass the rate in effect
    during each epoch, as ``History.lr`` of :func:`looplab.train.fit` holds it.
    The signature matches the PCPT course's Unit 8 function of the same name.
    Introduced in the lab (:doc:`/book/lab/training-dynamics`).

    Returns:
        The new figure.

    Raises:
        TypeError: if ``model`` is not an ``nn.Module`` or a series is not numbers.
        ValueError: as :func:`plot_decision_boundary` and :func:`plot_loss_and_lr` do.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(1, 2, width_ratios=[1, 2])
    boundary_ax = fig.add_subplot(grid[0, 0])
    plot_decision_boundary(dataset, model=model, ax=boundary_ax, title=title, legend=False)
    curve_ax = fig.add_subplot(grid[0, 1])
    plot_loss_and_lr(train_loss, lr_history, ax=curve_ax, legend=False)
    curve_ax.set_title("Training loss and learning rate")
    # Below both panels, where it covers no data.
    handles = {
        str(line.get_label()): line
        for ax in fig.axes
        for line in ax.get_lines()
        if not str(line.get_label()).startswith("_")
    }
    fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncols=2)
    return fig


def plot_spread(
    groups: Mapping[str, Sequence[float]],
    *,
    ylabel: str,
    xlabel: str = "group",
    ax: Axes | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (5.0, 3.0),
) -> Figure:
    """Results of several runs: one dot per run and group, beside the group's mean +- one std.

    Each group (for example ``"train"``, ``"validation"``, ``"test"``) gets a
    column and a colour; its runs are spread sideways so that equal values do
    not hide each other, and a black dot with error bars beside them marks the
    mean plus or minus the sample standard deviation (``ddof=1``). The title
    says how many runs each group holds. Introduced in the lab
    (:doc:`/book/lab/training-dynamics`), exercise 2.

    Args:
        groups: group name -> one value per run; every group needs at least
            two runs, and all groups the same number.
        ylabel: label of the y-axis (what the values are).
        xlabel: label of the x-axis (what the groups are).
        ax: axes to draw on; a new figure of size ``figsize`` is made when ``None``.
        title: axes title; by default ``"<n> runs: one dot each; black: mean +- 1 std"``.
        figsize: size in inches of the new figure (ignored when ``ax`` is given).

    Returns:
        The figure drawn on.

    Raises:
        TypeError: if a group is not a sequence of numbers.
        ValueError: if ``groups`` is empty, a group has fewer than two values,
            or the groups differ in length.
    """
    if not groups:
        raise ValueError("groups must not be empty")
    values = {str(name): _check_series(f"groups[{name!r}]", runs) for name, runs in groups.items()}
    lengths = {len(runs) for runs in values.values()}
    if len(lengths) != 1:
        raise ValueError(f"every group must hold the same number of runs, got {sorted(lengths)}")
    runs = lengths.pop()
    if runs < 2:
        raise ValueError(f"every group needs at least two runs to show a spread, got {runs}")
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    else:
        fig = ax.get_figure()  # type: ignore[assignment]
    offsets = np.linspace(-0.18, 0.18, runs)
    for position, (name, series) in enumerate(values.items()):
        color = PALETTE[_CLASS_COLORS[position % len(_CLASS_COLORS)]]
        ax.scatter(position + offsets, series, s=18, color=color, alpha=0.8, label=name)
        ax.errorbar(
            position + 0.32,
            float(np.mean(series)),
            yerr=float(np.std(series, ddof=1)),
            fmt="o",
            color=PALETTE["black"],
            capsize=4,
            markersize=5,
        )
    ax.set_xticks(range(len(values)), list(values))
    ax.set_xlim(-0.5, len(values) - 0.4)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title if title is not None else f"{runs} runs: one dot each; black: mean +- 1 std")
    assert fig is not None
    return fig
