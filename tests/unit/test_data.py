from __future__ import annotations

import pytest
import torch

from looplab.data import (
    Standardizer,
    as_dataset,
    make_moons,
    make_noisy_line,
    make_sine,
    make_spirals,
    train_val_test_split,
)


def test_noisy_line_shapes_and_determinism() -> None:
    x, y = make_noisy_line(50, seed=3)
    assert x.shape == (50, 1) and y.shape == (50, 1)
    assert x.dtype == torch.float32 and y.dtype == torch.float32
    x2, y2 = make_noisy_line(50, seed=3)
    assert torch.equal(x, x2) and torch.equal(y, y2)
    assert not torch.equal(y, make_noisy_line(50, seed=4)[1])
    assert float(x.min()) >= -1.0 and float(x.max()) <= 1.0


def test_noisy_line_without_noise_is_the_line() -> None:
    x, y = make_noisy_line(20, slope=-3.0, intercept=0.5, noise=0.0)
    assert torch.allclose(y, -3.0 * x + 0.5)


def test_global_rng_untouched() -> None:
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    make_noisy_line(10)
    make_sine(10)
    make_moons(10)
    make_spirals(5)
    train_val_test_split(torch.zeros(10, 1), torch.zeros(10))
    assert torch.equal(torch.rand(3), expected)


def test_sine_is_sorted_and_bounded() -> None:
    x, y = make_sine(100, noise=0.0, periods=1.0)
    assert torch.all(x[1:] >= x[:-1])
    assert torch.allclose(y, torch.sin(x))
    assert float(x.abs().max()) <= torch.pi


def test_moons_balance_and_types() -> None:
    X, y = make_moons(101, noise=0.0)
    assert X.shape == (101, 2) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert int((y == 0).sum()) == 50 and int((y == 1).sum()) == 51
    upper = X[y == 0]
    assert torch.allclose(upper.norm(dim=1), torch.ones(50), atol=1e-5)


def test_spirals_shapes_and_labels() -> None:
    X, y = make_spirals(30, num_classes=4)
    assert X.shape == (120, 2) and y.shape == (120,)
    assert torch.equal(torch.bincount(y), torch.full((4,), 30))
    assert float(X.norm(dim=1).max()) <= 1.0 + 1e-6


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: make_noisy_line(0), ValueError, "n must be >= 1"),
        (lambda: make_noisy_line(10, noise=-0.1), ValueError, "noise must be >= 0"),
        (lambda: make_noisy_line(10, x_min=1.0, x_max=1.0), ValueError, "x_min must be < x_max"),
        (lambda: make_noisy_line(2.5), TypeError, "n must be an int"),  # type: ignore[arg-type]
        (lambda: make_noisy_line(10, slope="2"), TypeError, "slope must be a real number"),  # type: ignore[arg-type]
        (lambda: make_sine(10, periods=0), ValueError, "periods must be > 0"),
        (lambda: make_moons(1), ValueError, "n must be >= 2"),
        (lambda: make_spirals(10, num_classes=1), ValueError, "num_classes must be >= 2"),
        (lambda: make_spirals(10, turns=-1.0), ValueError, "turns must be > 0"),
        (lambda: make_moons(10, seed=-2), ValueError, "seed must be >= 0"),
    ],
)
def test_generators_reject_bad_arguments(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]


def test_split_sizes_disjoint_and_deterministic() -> None:
    X = torch.arange(100, dtype=torch.float32).unsqueeze(1)
    y = torch.arange(100)
    (xt, yt), (xv, yv), (xs, ys) = train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.1, seed=1)
    assert (len(xt), len(xv), len(xs)) == (70, 20, 10)
    together = torch.cat([yt, yv, ys]).sort().values
    assert torch.equal(together, y)
    assert torch.equal(xt.squeeze(1).long(), yt)
    again = train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.1, seed=1)
    assert torch.equal(again[0][1], yt)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"val_fraction": 0.6, "test_fraction": 0.5}, ValueError, "must leave at least one training example"),
        ({"val_fraction": -0.1}, ValueError, "val_fraction must be >= 0"),
        ({"test_fraction": 1.0}, ValueError, "test_fraction must be <= 0.999"),
    ],
)
def test_split_rejects_bad_fractions(kwargs: dict[str, float], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        train_val_test_split(torch.zeros(10, 1), torch.zeros(10), **kwargs)  # type: ignore[arg-type]


def test_split_rejects_mismatched_inputs() -> None:
    with pytest.raises(ValueError, match="same length"):
        train_val_test_split(torch.zeros(10, 1), torch.zeros(9))
    with pytest.raises(TypeError, match="must be torch tensors"):
        train_val_test_split([1, 2], torch.zeros(2))  # type: ignore[arg-type]


def test_standardizer_uses_training_statistics_only() -> None:
    train = torch.tensor([[0.0, 10.0], [2.0, 10.0], [4.0, 10.0]])
    scaler = Standardizer.fit(train)
    z = scaler.transform(train)
    assert torch.allclose(z[:, 0].mean(), torch.tensor(0.0))
    assert torch.allclose(z[:, 0].std(), torch.tensor(1.0))
    assert torch.equal(z[:, 1], torch.zeros(3)), "a constant column passes through centred"
    test = torch.tensor([[6.0, 11.0]])
    assert torch.allclose(scaler.transform(test), torch.tensor([[2.0, 1.0]]))
    assert torch.allclose(scaler.inverse_transform(scaler.transform(test)), test)


def test_standardizer_errors() -> None:
    with pytest.raises(TypeError, match="floating-point"):
        Standardizer.fit(torch.zeros(3, 2, dtype=torch.int64))
    with pytest.raises(ValueError, match="at least two rows"):
        Standardizer.fit(torch.zeros(1, 2))
    scaler = Standardizer.fit(torch.randn(5, 2, generator=torch.Generator().manual_seed(0)))
    with pytest.raises(ValueError, match="2 features"):
        scaler.transform(torch.zeros(3, 3))


def test_as_dataset() -> None:
    dataset = as_dataset(torch.zeros(4, 2), torch.zeros(4))
    assert len(dataset) == 4
    with pytest.raises(ValueError, match="same length"):
        as_dataset(torch.zeros(4, 2), torch.zeros(3))
