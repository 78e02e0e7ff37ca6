"""Tests of the lab's figures: plot_decision_boundary, plot_boundary_and_loss_lr, plot_spread."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from torch import nn
from torch.utils.data import TensorDataset

from looplab.data import generate_checkerboard_dataset
from looplab.models import SimpleMLP
from looplab.plot import PALETTE, plot_boundary_and_loss_lr, plot_decision_boundary, plot_spread


def _data() -> object:
    return generate_checkerboard_dataset(n_per_cell=4, noise=0.1, seed=0)


class _Oracle(nn.Module):
    """Predicts the checkerboard's label from the nearest cell centre: 100% at low noise."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        cell = torch.round(x).clamp(-1, 1) + 1
        label = (cell[:, 0] + cell[:, 1]).long() % 3
        return nn.functional.one_hot(label, 3).float()


def test_points_only_without_a_model() -> None:
    fig = plot_decision_boundary(_data(), title="data")
    (ax,) = fig.axes
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 3  # one per class
    assert sum(np.asarray(c.get_offsets()).shape[0] for c in scatters) == 36
    assert ax.get_title() == "data"
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_xlim() == (-2.5, 2.5) and ax.get_ylim() == (-2.5, 2.5)
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["class 0", "class 1", "class 2"]
    assert not ax.texts  # no accuracy without a model


def test_with_a_model_draws_regions_and_accuracy() -> None:
    fig = plot_decision_boundary(_data(), _Oracle(), legend=False, resolution=20)
    (ax,) = fig.axes
    assert len(ax.collections) > 3  # filled regions besides the three scatters
    assert [t.get_text() for t in ax.texts] == ["accuracy 100.0%"]
    assert ax.get_legend() is None


def test_restores_the_model_mode() -> None:
    model = SimpleMLP()
    model.train()
    plot_decision_boundary(_data(), model, resolution=10)
    assert model.training
    model.eval()
    plot_decision_boundary(_data(), model, resolution=10)
    assert not model.training


def test_draws_on_a_given_axes_and_custom_limits() -> None:
    fig, axes = plt.subplots(1, 2)
    returned = plot_decision_boundary(
        _data(), SimpleMLP(), ax=axes[1], xlim_min=-3, xlim_max=1, resolution=10
    )
    assert returned is fig
    assert axes[1].get_xlim() == (-3.0, 1.0)
    assert not axes[0].collections


def test_accepts_a_tensor_dataset_and_a_pair() -> None:
    data = generate_checkerboard_dataset(n_per_cell=2, noise=0.1, seed=0)
    plot_decision_boundary(TensorDataset(data.X, data.Y))
    plot_decision_boundary((data.X.numpy(), data.Y.numpy()))


@pytest.mark.parametrize(
    ("dataset", "kwargs", "error", "message"),
    [
        (42, {}, TypeError, "dataset must have .X and .Y"),
        (
            (torch.zeros(3, 3), torch.zeros(3, dtype=torch.int64)),
            {},
            ValueError,
            r"X must have shape \(n, 2\)",
        ),
        ((torch.zeros(3, 2), torch.zeros(2, dtype=torch.int64)), {}, ValueError, r"Y must have shape \(3,\)"),
        ((torch.zeros(2, 2), torch.tensor([0.5, 1.0])), {}, ValueError, "non-negative integer class labels"),
        (None, {"model": "net"}, TypeError, "model must be a torch.nn.Module"),
        (None, {"xlim_min": 1, "xlim_max": 0}, ValueError, "xlim_min must be < xlim_max"),
        (None, {"resolution": 5}, ValueError, "resolution must be >= 10"),
    ],
)
def test_decision_boundary_errors(
    dataset: object, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        plot_decision_boundary(_data() if dataset is None else dataset, **kwargs)  # type: ignore[arg-type]


def test_boundary_and_loss_lr_layout() -> None:
    loss = [1.0, 0.8, 0.7, 0.65]
    lr = [0.1, 0.1, 0.07, 0.07]
    fig = plot_boundary_and_loss_lr(_data(), _Oracle(), loss, lr, title="Training Set")
    boundary_ax, curve_ax, lr_ax = fig.axes
    assert boundary_ax.get_title() == "Training Set"
    assert [t.get_text() for t in boundary_ax.texts] == ["accuracy 100.0%"]
    assert curve_ax.get_xlabel() == "epoch" and curve_ax.get_ylabel() == "training loss"
    assert lr_ax.get_yscale() == "log" and lr_ax.get_ylabel() == "learning rate"
    assert np.asarray(curve_ax.get_lines()[0].get_ydata()).tolist() == loss


def test_boundary_and_loss_lr_errors() -> None:
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        plot_boundary_and_loss_lr(_data(), None, [1.0], [0.1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lr must have 2 values"):
        plot_boundary_and_loss_lr(_data(), SimpleMLP(), [1.0, 0.5], [0.1])


def test_spread_draws_one_dot_per_run_and_the_mean_and_std() -> None:
    groups = {"train": [70.0, 72.0, 71.0], "test": [60.0, 64.0, 62.0]}
    fig = plot_spread(groups, ylabel="accuracy (%)", xlabel="data set")
    (ax,) = fig.axes
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [np.asarray(d.get_offsets())[:, 1].tolist() for d in dots] == list(groups.values())
    assert [t.get_text() for t in ax.get_xticklabels()] == ["train", "test"]
    assert ax.get_xlabel() == "data set" and ax.get_ylabel() == "accuracy (%)"
    assert ax.get_title() == "3 runs: one dot each; black: mean +- 1 std"
    means = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert [float(np.asarray(m.get_ydata())[0]) for m in means] == [71.0, 62.0]
    caps = [np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines() if line.get_marker() == "_"]
    assert sorted(np.concatenate(caps).tolist())[:2] == [60.0, 64.0]  # test: 62 +- sample std 2
    assert to_hex(tuple(np.asarray(dots[0].get_facecolor())[0])) == PALETTE["blue"].lower()


def test_spread_on_given_axes_with_a_title() -> None:
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_spread({"a": [1.0, 2.0]}, ylabel="y", ax=right, title="two") is fig
    assert right.get_title() == "two" and not left.collections


@pytest.mark.parametrize(
    ("groups", "error", "message"),
    [
        ({}, ValueError, "groups must not be empty"),
        ({"a": [1.0]}, ValueError, "at least two runs"),
        ({"a": [1.0, 2.0], "b": [1.0, 2.0, 3.0]}, ValueError, "same number of runs"),
        ({"a": 3}, TypeError, "must be a sequence of numbers"),
    ],
)
def test_spread_errors(groups: dict[str, object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        plot_spread(groups, ylabel="y")  # type: ignore[arg-type]


def test_accuracy_label_lies_beneath_the_points() -> None:
    fig = plot_decision_boundary(_data(), _Oracle())
    ax = fig.axes[0]
    (label,) = ax.texts
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert scatters and all(points.get_zorder() > label.get_zorder() for points in scatters)
    plt.close(fig)
