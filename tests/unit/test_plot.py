from __future__ import annotations

import base64
import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex
from PIL import Image

from looplab.plot import (
    DARK_COLORS,
    PALETTE,
    SAVE_DPI,
    plot_history,
    plot_loss_and_accuracy,
    plot_loss_and_lr,
    use_course_style,
)
from looplab.train import History


def test_course_style_sets_the_palette() -> None:
    use_course_style()
    colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colors[0] == PALETTE["blue"] and colors[1] == PALETTE["orange"]
    assert mpl.rcParams["figure.facecolor"] == "white"
    assert mpl.rcParams["savefig.dpi"] == SAVE_DPI == 2 * mpl.rcParams["figure.dpi"]


def _contrast_with_white(color: str) -> float:
    """WCAG 2 contrast ratio of ``color`` against white."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_dark_colours_contrast_three_to_one_with_white() -> None:
    assert all(_contrast_with_white(PALETTE[name]) >= 3.0 for name in DARK_COLORS)
    assert _contrast_with_white(PALETTE["orange"]) < 3.0  # why orange is not among them


def test_course_style_shows_inline_figures_at_2x() -> None:
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib_inline.config import InlineBackend

    shell = InteractiveShell.instance()
    try:
        use_course_style()
        assert InlineBackend.instance(parent=shell).figure_formats == {"retina"}
        fig, ax = plt.subplots(figsize=(3.0, 2.0))
        ax.plot([0, 1])
        assert shell.display_formatter is not None
        data, metadata = shell.display_formatter.format(fig)
        # bbox_inches="tight" trims or grows the figure a little; the PNG is twice the size shown.
        with Image.open(io.BytesIO(base64.b64decode(data["image/png"]))) as png:
            width, height = png.size
            dpi = png.info["dpi"]
        shown = metadata["image/png"]
        assert (width // 2, height // 2) == (shown["width"], shown["height"])
        assert abs(shown["width"] - 300) < 40 and abs(shown["height"] - 200) < 40
        assert round(dpi[0]) == SAVE_DPI
        plt.close(fig)
    finally:
        InteractiveShell.clear_instance()


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
    # Twin-axis labels in colours that contrast 3:1 with white; the legend outside the axes.
    for axis in (ax, lr_ax):
        label_color = to_hex(axis.yaxis.label.get_color()).upper()
        assert label_color in {PALETTE[name].upper() for name in DARK_COLORS}
        assert label_color == to_hex(axis.get_lines()[0].get_color()).upper()
    assert ax.get_legend() is None and len(fig.legends) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["training loss", "learning rate"]
    _, existing = plt.subplots()
    assert plot_loss_and_lr([1.0], [0.1], ax=existing, log_lr=False) is existing.get_figure()
    assert existing.get_legend() is not None
    _, bare = plt.subplots()
    plot_loss_and_lr([1.0], [0.1], ax=bare, legend=False)
    assert bare.get_legend() is None


def test_loss_and_lr_errors() -> None:
    with pytest.raises(ValueError, match="lr must have 2 values"):
        plot_loss_and_lr([1.0, 0.5], [0.1])
    with pytest.raises(ValueError, match="log_lr=True needs positive"):
        plot_loss_and_lr([1.0], [0.0])
