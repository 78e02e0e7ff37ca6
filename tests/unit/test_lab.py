"""Tests of looplab.lab: the PCPT-compatible entry points of the lab."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

import looplab.lab as lab
from looplab import data, plot
from looplab.repro import make_generator, seeded


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    """These networks are tiny: one thread avoids the cost of coordinating several on a busy CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


PCPT_NAMES = [
    "generate_checkerboard_dataset",
    "plot_decision_boundary",
    "plot_loss_and_accuracy",
    "plot_boundary_and_loss_lr",
    "exercise_tiny_model",
    "exercise_random_seeds",
    "exercise_schedulers",
]


def test_lab_gathers_the_pcpt_names_without_copies() -> None:
    assert sorted(lab.__all__) == sorted(PCPT_NAMES)
    assert lab.generate_checkerboard_dataset is data.generate_checkerboard_dataset
    for name in ("plot_decision_boundary", "plot_loss_and_accuracy", "plot_boundary_and_loss_lr"):
        assert getattr(lab, name) is getattr(plot, name)
    for name in ("exercise_tiny_model", "exercise_random_seeds", "exercise_schedulers"):
        assert callable(getattr(lab, name)) and getattr(lab, name).__module__ == "looplab.lab"


def test_a_pcpt_style_script_runs_through_looplab_lab() -> None:
    """The shape of the PCPT Unit 8 workflow, written for this test, with only looplab.lab imports."""
    from looplab.lab import (
        generate_checkerboard_dataset,
        plot_boundary_and_loss_lr,
        plot_decision_boundary,
        plot_loss_and_accuracy,
    )

    dataset_train = generate_checkerboard_dataset(n_per_cell=10, noise=0.3, seed=0)
    dataset_val = generate_checkerboard_dataset(n_per_cell=10, noise=0.3, seed=1)
    train_loader = DataLoader(dataset_train, batch_size=16, shuffle=True, generator=make_generator(0))
    val_loader = DataLoader(dataset_val, batch_size=16, shuffle=False, generator=make_generator(0))

    class MLP(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 3))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = self.net(x)
            return out

    model = seeded(MLP, 0)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.7)
    train_loss: list[float] = []
    val_loss: list[float] = []
    train_acc: list[float] = []
    val_acc: list[float] = []
    lr_history: list[float] = []
    best_val, best_epoch, best_state = float("inf"), 0, copy.deepcopy(model.state_dict())
    for epoch in range(15):
        model.train()
        total, correct, count = 0.0, 0, 0
        for x_batch, y_batch in train_loader:
            logits = model(x_batch)
            loss = criterion(logits, y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y_batch)
            correct += int((logits.argmax(dim=1) == y_batch).sum())
            count += len(y_batch)
        train_loss.append(total / count)
        train_acc.append(100 * correct / count)
        model.eval()
        with torch.no_grad():
            v_total, v_correct = 0.0, 0
            for x_val, y_val in val_loader:
                logits = model(x_val)
                v_total += criterion(logits, y_val).item() * len(y_val)
                v_correct += int((logits.argmax(dim=1) == y_val).sum())
        val_loss.append(v_total / len(dataset_val))
        val_acc.append(100 * v_correct / len(dataset_val))
        lr_history.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
        if val_loss[-1] < best_val:
            best_val, best_epoch, best_state = val_loss[-1], epoch + 1, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)

    _, axs = plt.subplots(1, 2, figsize=(5, 2.5))
    plot_decision_boundary(dataset_train, model=None, ax=axs[0], title="Training Set")
    plot_decision_boundary(dataset_val, model=model, ax=axs[1], title="Validation Set")
    assert axs[1].texts and axs[1].texts[0].get_text().startswith("accuracy")
    curves = plot_loss_and_accuracy(train_loss, val_loss, train_acc, val_acc, best_epoch)
    assert len(curves.axes) == 2
    both = plot_boundary_and_loss_lr(dataset_train, model, train_loss, lr_history)
    assert both.axes[2].get_yscale() == "log"
    assert train_loss[-1] < train_loss[0]
    assert lr_history[0] == 0.05 and lr_history[-1] < lr_history[0]


# --- the exercise entry points: called without arguments, as in PCPT -----------------------------

#: The lab's reference notebook (``make golden LESSONS=book/lab/training-dynamics.md``): what the
#: page's solutions printed.
LAB_REFERENCE = Path(__file__).resolve().parents[1] / "golden" / "lab" / "training-dynamics.ipynb"


def page_prints(figure_name: str) -> str:
    """The standard output of the lab's code cell that draws the figure named ``figure_name``."""
    notebook = json.loads(LAB_REFERENCE.read_text(encoding="utf-8"))
    (cell,) = [
        cell
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        and cell["metadata"].get("mystnb", {}).get("figure", {}).get("name") == figure_name
    ]
    texts = [
        output["text"]
        for output in cell["outputs"]
        if output["output_type"] == "stream" and output["name"] == "stdout"
    ]
    return "".join(text if isinstance(text, str) else "".join(text) for text in texts)


def test_exercise_tiny_model_finds_three_hidden_units(capsys: pytest.CaptureFixture[str]) -> None:
    before = torch.get_rng_state().clone()
    lab.exercise_tiny_model()
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["hidden", "units", "parameters", "seeds", "tried", "best", "accuracy"]
    assert [line.split()[:2] for line in lines[1:4]] == [["1", "9"], ["2", "15"], ["3", "21"]]
    assert "smallest: 3 hidden units, 21 parameters (seed 4, 100% after" in out
    assert lines[-1] == "every hidden unit looks along x1 + x2, to 5 degrees: True"
    assert out == page_prints("fig-lab-tiny-model")  # the solution on the page prints the same
    (fig,) = [plt.figure(n) for n in plt.get_fignums()]
    assert [t.get_text() for t in fig.axes[0].texts] == ["accuracy 100.0%"]
    assert torch.equal(torch.get_rng_state(), before)


def test_exercise_random_seeds_prints_ten_runs_and_draws_the_spread(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = torch.get_rng_state().clone()
    lab.exercise_random_seeds()
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 1 + 10 + 3 + 2
    assert lines[1].split()[:3] == ["0", "43", "63"]  # the lab's early-stopping run
    assert [line.split(":")[0].strip() for line in lines[-5:-2]] == ["train", "validation", "test"]
    assert lines[-2].startswith("sampling noise of one accuracy near ")
    assert lines[-1].endswith(" percentage points")
    assert out == page_prints("fig-lab-seeds")  # the solution on the page prints the same
    (fig,) = [plt.figure(n) for n in plt.get_fignums()]
    assert fig.axes[0].get_xlabel() == "data set"
    assert torch.equal(torch.get_rng_state(), before)


def test_exercise_schedulers_agrees_with_the_closed_forms(capsys: pytest.CaptureFixture[str]) -> None:
    lab.exercise_schedulers()
    out = capsys.readouterr().out
    assert out == "settings that agree with their closed form to 1e-12: 12 of 12\n"
    assert out == page_prints("fig-lab-schedulers")  # the solution on the page prints the same
    (fig,) = [plt.figure(n) for n in plt.get_fignums()]
    assert len(fig.axes) == 12
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "StepLR (5, 0.5)" and titles[-1] == "OneCycleLR (0.5, 'linear')"
    assert fig.axes[0].get_ylabel() == "learning rate" and fig.axes[-1].get_xlabel() == "step"
