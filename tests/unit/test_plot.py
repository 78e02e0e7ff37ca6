from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

from looplab.plot import PALETTE, plot_history, plot_loss_and_accuracy, plot_loss_and_lr, use_course_style
from looplab.train import History


def test_course_style_sets_the_palette() -> None:
    use_course_style()
    colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colors[0] == PALETTE["blue"] and colors[1] == PALETTE["orange"]
    assert mpl.rcParams["figure.facecolor"] == "white"


def test_loss_and_accuracy_panels_and_best_epoch() -> None:
    fig = plot_loss_and_accuracy([1.0, 0.5, 0.4], [1.1, 0.6, 0.7], [0.5, 0.7, 0.8], [0.4, 0.6, 0.6], 2)
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_xlabel() == "epoch" and loss_ax.get_ylabel()
    labels = [line.get_label() for line in loss_ax.get_lines()]
    assert labels == ["train", "validation", "best epoch (2)"]
    assert acc_ax.get_title() == "Accuracy"


def test_regression_history_has_one_panel() -> None:
    history = History(train_loss=[1.0, 0.5], lr=[0.1, 0.1])
    fig = plot_history(history)
    assert len(fig.axes) == 1


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (([], [], [], []), ValueError, "train_loss must not be empty"),
        (([1.0, 0.5], [1.0], [], []), ValueError, "val_loss must have 2 values"),
        (([1.0, 0.5], [], [], [], 3), ValueError, "best_epoch must be between 1 and 2"),
        (([1.0], [], [], [], 0), ValueError, "best_epoch must be >= 1"),
        ((5, [], [], []), TypeError, "train_loss must be a sequence of numbers"),
    ],
)
def test_loss_and_accuracy_errors(args: tuple[object, ...], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        plot_loss_and_accuracy(*args)  # type: ignore[arg-type]


def test_plot_history_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="history must be a looplab.train.History"):
        plot_history({"train_loss": [1.0]})  # type: ignore[arg-type]


def test_loss_and_lr_twin_axes() -> None:
    fig = plot_loss_and_lr([1.0, 0.8, 0.7], [0.1, 0.05, 0.025])
    ax, lr_ax = fig.axes
    assert lr_ax.get_yscale() == "log"
    assert ax.get_xlabel() == "epoch" and lr_ax.get_ylabel() == "learning rate"
    _, existing = plt.subplots()
    assert plot_loss_and_lr([1.0], [0.1], ax=existing, log_lr=False) is existing.get_figure()


def test_loss_and_lr_errors() -> None:
    with pytest.raises(ValueError, match="lr must have 2 values"):
        plot_loss_and_lr([1.0, 0.5], [0.1])
    with pytest.raises(ValueError, match="log_lr=True needs positive"):
        plot_loss_and_lr([1.0], [0.0])
