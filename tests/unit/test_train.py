from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn
from torch.optim.lr_scheduler import OneCycleLR, ReduceLROnPlateau, StepLR
from torch.utils.data import DataLoader, TensorDataset

from looplab.data import make_moons, make_noisy_line
from looplab.models import SimpleMLP
from looplab.train import History, evaluate, fit, load_checkpoint, save_checkpoint, train_one_epoch


def line_loader(batch_size: int, n: int = 40) -> DataLoader[tuple[torch.Tensor, ...]]:
    x, y = make_noisy_line(n, seed=0)
    return DataLoader(TensorDataset(x, y), batch_size=batch_size)


Loader = DataLoader[tuple[torch.Tensor, ...]]


def moons_loaders(seed: int = 0) -> tuple[Loader, Loader]:
    X, y = make_moons(120, noise=0.25, seed=seed)
    train = DataLoader(TensorDataset(X[:80], y[:80]), batch_size=16)
    val = DataLoader(TensorDataset(X[80:], y[80:]), batch_size=64)
    return train, val


def zero_line() -> nn.Linear:
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    return model


def test_evaluate_is_a_per_example_mean_whatever_the_batch_size() -> None:
    model = zero_line()
    losses = {bs: evaluate(model, line_loader(bs), nn.MSELoss()).loss for bs in (1, 7, 40)}
    _, y = make_noisy_line(40, seed=0)
    exact = float((y**2).mean())
    for value in losses.values():
        assert value == pytest.approx(exact, rel=1e-6)


def test_evaluate_restores_mode_and_does_not_train() -> None:
    model = zero_line()
    model.train()
    stats = evaluate(model, line_loader(8), nn.MSELoss())
    assert model.training
    assert stats.accuracy is None and stats.examples == 40
    assert model.weight.item() == 0.0
    model.eval()
    evaluate(model, line_loader(8), nn.MSELoss())
    assert not model.training


def test_train_one_epoch_full_batch_is_one_gradient_step() -> None:
    model = zero_line()
    x, y = make_noisy_line(40, seed=0)
    stats = train_one_epoch(model, line_loader(40), nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1))
    expected_w = 0.1 * 2 * float((y * x).mean())
    assert model.weight.item() == pytest.approx(expected_w, rel=1e-5)
    assert stats.loss == pytest.approx(float((y**2).mean()), rel=1e-6)


def test_accuracy_for_classes_and_for_logits() -> None:
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 0.0], [-1.0, 0.0]]))
        model.bias.zero_()
    X = torch.tensor([[1.0, 0.0], [-1.0, 0.0], [2.0, 0.0], [-2.0, 0.0]])
    y = torch.tensor([0, 1, 1, 1])
    stats = evaluate(model, DataLoader(TensorDataset(X, y), batch_size=3), nn.CrossEntropyLoss())
    assert stats.accuracy == pytest.approx(0.75)

    logit = nn.Linear(1, 1)
    with torch.no_grad():
        logit.weight.fill_(1.0)
        logit.bias.zero_()
    xb = torch.tensor([[1.0], [-1.0], [3.0]])
    yb = torch.tensor([[1.0], [0.0], [0.0]])
    stats = evaluate(logit, DataLoader(TensorDataset(xb, yb), batch_size=2), nn.BCEWithLogitsLoss())
    assert stats.accuracy == pytest.approx(2 / 3)


def test_fit_records_history_and_learning_rates() -> None:
    torch.manual_seed(0)
    train, val = moons_loaders()
    model = SimpleMLP(num_classes=2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2)
    history = fit(
        model,
        train,
        nn.CrossEntropyLoss(),
        optimizer,
        6,
        val_loader=val,
        scheduler=StepLR(optimizer, step_size=2, gamma=0.5),
    )
    assert history.epochs_run == 6
    assert len(history.train_acc) == len(history.val_loss) == len(history.val_acc) == 6
    assert history.lr == pytest.approx([0.2, 0.2, 0.1, 0.1, 0.05, 0.05])
    assert history.best_epoch is not None
    assert history.best_val_loss == min(history.val_loss)
    assert all(0.0 <= a <= 1.0 for a in history.train_acc)


def test_fit_restores_best_weights_and_stops_early() -> None:
    torch.manual_seed(1)
    train, val = moons_loaders(seed=1)
    model = SimpleMLP(num_classes=2)
    history = fit(
        model,
        train,
        nn.CrossEntropyLoss(),
        torch.optim.SGD(model.parameters(), lr=3.0),
        60,
        val_loader=val,
        patience=3,
    )
    assert history.stopped_early
    assert history.best_epoch is not None
    assert history.epochs_run == history.best_epoch + 3
    restored = evaluate(model, val, nn.CrossEntropyLoss()).loss
    assert restored == pytest.approx(history.best_val_loss, rel=1e-6)


def test_fit_restores_best_weights_without_patience() -> None:
    torch.manual_seed(2)
    train, val = moons_loaders(seed=2)
    model = SimpleMLP(num_classes=2)
    history = fit(
        model, train, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=2.0), 15, val_loader=val
    )
    assert not history.stopped_early and history.epochs_run == 15
    assert evaluate(model, val, nn.CrossEntropyLoss()).loss == pytest.approx(history.best_val_loss, rel=1e-6)


def test_plateau_scheduler_is_stepped_with_the_monitored_loss() -> None:
    model = zero_line()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)  # the loss never changes
    scheduler = ReduceLROnPlateau(optimizer, factor=0.5, patience=0)
    optimizer.param_groups[0]["lr"] = 1e-12
    history = fit(model, line_loader(40), nn.MSELoss(), optimizer, 4, scheduler=scheduler)
    assert history.lr == pytest.approx([1e-12, 1e-12, 5e-13, 2.5e-13])


def test_batch_scheduler_steps_every_batch() -> None:
    model = zero_line()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = OneCycleLR(optimizer, max_lr=0.1, total_steps=4 * 5)
    history = fit(
        model, line_loader(10), nn.MSELoss(), optimizer, 5, scheduler=scheduler, scheduler_interval="batch"
    )
    assert scheduler.last_epoch == 20
    assert history.lr[0] == pytest.approx(0.1 / 25)


def test_fit_prints_nothing_when_not_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    model = zero_line()
    fit(model, line_loader(40), nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1), 3, progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"epochs": 0}, ValueError, "epochs must be >= 1"),
        ({"patience": 2}, ValueError, "patience needs a val_loader"),
        ({"min_delta": -1.0}, ValueError, "min_delta must be >= 0"),
        ({"scheduler_interval": "step"}, ValueError, "scheduler_interval must be 'epoch' or 'batch'"),
        ({"scheduler": "cosine"}, TypeError, "scheduler must be a torch.optim.lr_scheduler"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    model = zero_line()
    arguments: dict[str, object] = {"epochs": 2, **kwargs}
    with pytest.raises(error, match=message):
        fit(model, line_loader(40), nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1), **arguments)  # type: ignore[arg-type]


def test_fit_rejects_plateau_per_batch_and_sum_losses() -> None:
    model = zero_line()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="ReduceLROnPlateau needs a monitored value"):
        fit(
            model,
            line_loader(40),
            nn.MSELoss(),
            optimizer,
            1,
            scheduler=ReduceLROnPlateau(optimizer),
            scheduler_interval="batch",
        )
    with pytest.raises(ValueError, match="reduction='mean'"):
        fit(model, line_loader(40), nn.MSELoss(reduction="sum"), optimizer, 1)
    with pytest.raises(TypeError, match="optimizer must be a torch.optim.Optimizer"):
        fit(model, line_loader(40), nn.MSELoss(), "sgd", 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        evaluate("model", line_loader(40), nn.MSELoss())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one batch"):
        evaluate(model, [], nn.MSELoss())


def test_checkpoint_round_trip(tmp_path: Path) -> None:
    torch.manual_seed(0)
    train, val = moons_loaders()
    model = SimpleMLP(num_classes=2)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.9)
    history = fit(model, train, nn.CrossEntropyLoss(), optimizer, 3, val_loader=val, scheduler=scheduler)
    path = save_checkpoint(
        tmp_path / "run.pt", model, optimizer=optimizer, scheduler=scheduler, epoch=3, history=history
    )

    clone = SimpleMLP(num_classes=2)
    clone_optimizer = torch.optim.Adam(clone.parameters(), lr=0.01)
    clone_scheduler = StepLR(clone_optimizer, step_size=1, gamma=0.9)
    checkpoint = load_checkpoint(path, clone, optimizer=clone_optimizer, scheduler=clone_scheduler)
    for a, b in zip(model.state_dict().values(), clone.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    assert checkpoint["epoch"] == 3
    assert History(**checkpoint["history"]).val_loss == history.val_loss
    assert clone_scheduler.get_last_lr() == scheduler.get_last_lr()
    assert clone_optimizer.state_dict()["state"].keys() == optimizer.state_dict()["state"].keys()


def test_checkpoint_errors(tmp_path: Path) -> None:
    model = zero_line()
    path = save_checkpoint(tmp_path / "weights.pt", model)
    with pytest.raises(ValueError, match="holds no optimizer state"):
        load_checkpoint(path, model, optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        load_checkpoint(tmp_path / "missing.pt", model)
    with pytest.raises(TypeError, match="path must be a str or pathlib.Path"):
        save_checkpoint(3, model)  # type: ignore[arg-type]
