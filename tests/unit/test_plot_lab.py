"""Tests of the lab's figures: plot_decision_boundary and plot_boundary_and_loss_lr."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.collections import PathCollection
from torch import nn
from torch.utils.data import TensorDataset

from looplab.data import generate_checkerboard_dataset
from looplab.models import SimpleMLP
from looplab.plot import plot_boundary_and_loss_lr, plot_decision_boundary


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
