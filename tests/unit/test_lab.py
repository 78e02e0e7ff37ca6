"""Tests of looplab.lab (the PCPT-compatible entry points) and looplab.lab_solutions."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

import looplab.lab as lab
from looplab import data, lab_solutions, plot
from looplab.data import generate_checkerboard_dataset
from looplab.lab_solutions import (
    SCHEDULER_CONFIGS,
    SeedResult,
    TinyModelSearch,
    TinyTrial,
    format_seed_results,
    format_tiny_search,
    plot_schedule_curves,
    plot_seed_spread,
    schedule_curves,
    search_tiny_mlp,
    seed_study,
    seeded,
    summarize_seeds,
    tiny_mlp,
)
from looplab.models import SimpleMLP, count_parameters
from looplab.repro import make_generator


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
        assert getattr(lab, name) is getattr(lab_solutions, name)


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


# --- seeded and tiny_mlp ------------------------------------------------------------------------


def test_seeded_is_reproducible_and_leaves_the_global_generator_alone() -> None:
    torch.manual_seed(5)
    before = torch.get_rng_state().clone()
    a, b, c = seeded(SimpleMLP, 3), seeded(SimpleMLP, 3), seeded(SimpleMLP, 4)
    assert torch.equal(torch.get_rng_state(), before)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    first_a, first_c = next(a.parameters()), next(c.parameters())
    assert not torch.equal(first_a, first_c)
    torch.manual_seed(3)
    assert torch.equal(next(SimpleMLP().parameters()), first_a)


def test_seeded_errors() -> None:
    with pytest.raises(TypeError, match="factory must be callable"):
        seeded(42, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed must be >= 0"):
        seeded(SimpleMLP, -1)


def test_tiny_mlp_parameter_count() -> None:
    assert count_parameters(tiny_mlp(3)) == 21
    assert count_parameters(tiny_mlp(5)) == 33
    with pytest.raises(ValueError, match="hidden_dim must be >= 1"):
        tiny_mlp(0)


# --- exercise 1 ---------------------------------------------------------------------------------


def test_search_finds_a_network_smaller_than_pcpts() -> None:
    low_noise = generate_checkerboard_dataset(n_per_cell=20, noise=0.1, seed=0)
    search = search_tiny_mlp(low_noise, widths=[3], seeds=[4], epochs=150)
    assert search.winner is not None and search.model is not None
    assert search.winner.parameters == 21 < 33
    assert search.winner.accuracy == 1.0
    with torch.no_grad():
        assert bool((search.model(low_noise.X).argmax(dim=1) == low_noise.Y).all())


def test_search_stops_at_the_first_success_and_reports_failures() -> None:
    low_noise = generate_checkerboard_dataset(n_per_cell=20, noise=0.1, seed=0)
    search = search_tiny_mlp(low_noise, widths=[4, 1, 3], seeds=[0, 4], epochs=150)
    assert [t.hidden_dim for t in search.trials] == [1, 1, 3, 3]
    assert search.winner == search.trials[-1]
    assert max(t.accuracy for t in search.trials if t.hidden_dim == 1) < 1.0
    text = format_tiny_search(search)
    assert "smallest: 3 hidden units, 21 parameters (seed 4" in text


def test_format_tiny_search_without_a_winner() -> None:
    search = TinyModelSearch(trials=[TinyTrial(1, 9, 0, 0.5, 10), TinyTrial(1, 9, 1, 0.6, 10)])
    assert search.best_by_width()[1].seed == 1
    assert "no width reached 100%" in format_tiny_search(search)


def test_search_errors() -> None:
    low_noise = generate_checkerboard_dataset(n_per_cell=2, noise=0.1, seed=0)
    with pytest.raises(TypeError, match="dataset must be a CheckerboardDataset"):
        search_tiny_mlp((low_noise.X, low_noise.Y))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="widths and seeds must not be empty"):
        search_tiny_mlp(low_noise, seeds=[])
    with pytest.raises(ValueError, match="lr must be > 0"):
        search_tiny_mlp(low_noise, lr=0.0)


# --- exercise 2 ---------------------------------------------------------------------------------


def test_seed_study_measures_the_restored_weights() -> None:
    results = seed_study(seeds=[0, 1], n_per_cell=10, epochs=40, patience=5)
    assert [r.seed for r in results] == [0, 1]
    for r in results:
        assert 1 <= r.best_epoch <= r.epochs_run <= 40
        assert 0.0 <= r.test_acc <= 1.0 and r.test_loss > 0
    summary = summarize_seeds(results)
    assert set(summary) == {"train", "validation", "test"}
    mean, std, low, high = summary["test"]
    assert low <= mean <= high and std >= 0
    text = format_seed_results(results)
    assert text.count("\n") == 5 and "test: mean" in text


def test_seed_study_is_deterministic_and_leaves_the_global_generator_alone() -> None:
    before = torch.get_rng_state().clone()
    first = seed_study(seeds=[2], n_per_cell=5, epochs=10, patience=3)
    assert torch.equal(torch.get_rng_state(), before)
    assert seed_study(seeds=[2], n_per_cell=5, epochs=10, patience=3) == first


def test_seed_summary_and_plot() -> None:
    results = [SeedResult(s, 5, 10, 0.7 + s / 100, 0.6, 0.65 - s / 100, 0.8) for s in range(3)]
    mean, std, low, high = summarize_seeds(results)["train"]
    assert mean == pytest.approx(0.71) and std == pytest.approx(0.01) and (low, high) == (0.7, 0.72)
    fig = plot_seed_spread(results)
    (ax,) = fig.axes
    assert ax.get_xlabel() == "data set" and "accuracy" in ax.get_ylabel()
    with pytest.raises(ValueError, match="at least two runs"):
        summarize_seeds(results[:1])
    with pytest.raises(ValueError, match="seeds must not be empty"):
        seed_study(seeds=[])
    with pytest.raises(ValueError, match="data_seeds must hold three seeds"):
        seed_study(seeds=[0], data_seeds=(0, 1))  # type: ignore[arg-type]


# --- exercise 3 ---------------------------------------------------------------------------------


def test_schedule_curves_agree_with_the_closed_forms() -> None:
    curves = schedule_curves(steps=30, base_lr=0.1)
    assert len(curves) == sum(len(v) for v in SCHEDULER_CONFIGS.values())
    for curve in curves:
        assert len(curve.torch_lr) == len(curve.formula_lr) == 30
        assert curve.torch_lr[0] == pytest.approx(0.1 if curve.name != "OneCycleLR" else 0.1 / 25)
        assert curve.max_abs_difference < 1e-12
    cosine = next(c for c in curves if c.name == "CosineAnnealingLR")
    assert cosine.params == {"T_max": 30, "eta_min": 0.0}
    assert "anneal=cos" in next(c for c in curves if c.name == "OneCycleLR").label


def test_schedule_curves_custom_and_errors() -> None:
    (curve,) = schedule_curves({"StepLR": [{"step_size": 2, "gamma": 0.5}]}, steps=5, base_lr=1.0)
    assert curve.torch_lr == [1.0, 1.0, 0.5, 0.5, 0.25]
    with pytest.raises(ValueError, match="name must be one of"):
        schedule_curves({"ExponentialLR": [{"gamma": 0.9}]})
    with pytest.raises(ValueError, match="steps must be >= 2"):
        schedule_curves(steps=1)


def test_plot_schedule_curves_grid() -> None:
    curves = schedule_curves({"StepLR": [{"step_size": 2, "gamma": 0.5}] * 4}, steps=6)
    fig = plot_schedule_curves(curves, columns=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 4 and len(fig.axes) == 6
    assert visible[0].get_ylabel() == "learning rate" and visible[-1].get_xlabel() == "step"
    with pytest.raises(ValueError, match="curves must not be empty"):
        plot_schedule_curves([])


# --- the exercise entry points --------------------------------------------------------------------


def test_exercise_entry_points_print_and_draw(capsys: pytest.CaptureFixture[str]) -> None:
    before = torch.get_rng_state().clone()
    lab.exercise_schedulers()
    assert "OneCycleLR" in capsys.readouterr().out
    lab.exercise_random_seeds()
    assert "validation: mean" in capsys.readouterr().out
    lab.exercise_tiny_model()
    out = capsys.readouterr().out
    assert "smallest: 3 hidden units, 21 parameters" in out
    assert len(plt.get_fignums()) == 3
    assert torch.equal(torch.get_rng_state(), before)
