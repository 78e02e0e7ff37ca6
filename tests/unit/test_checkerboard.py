"""Tests of looplab.data.generate_checkerboard_dataset and CheckerboardDataset."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from looplab.data import CheckerboardDataset, generate_checkerboard_dataset


def test_shapes_and_dtypes() -> None:
    data = generate_checkerboard_dataset(n_per_cell=7, noise=0.2, seed=3)
    assert isinstance(data, CheckerboardDataset)
    assert data.X.shape == (63, 2) and data.X.dtype == torch.float32
    assert data.Y.shape == (63,) and data.Y.dtype == torch.int64
    assert len(data) == 63


def test_defaults_match_the_reference_size() -> None:
    data = generate_checkerboard_dataset()
    assert data.X.shape == (900, 2)


def test_cells_in_order_with_their_labels() -> None:
    n = 5
    data = generate_checkerboard_dataset(n_per_cell=n, noise=0.0, seed=0)
    cell = 0
    for i in range(3):  # outer loop: x direction
        for j in range(3):  # inner loop: y direction
            block = slice(cell * n, (cell + 1) * n)
            assert torch.equal(data.X[block], torch.tensor([[i - 1.0, j - 1.0]]).expand(n, 2))
            assert torch.equal(data.Y[block], torch.full((n,), (i + j) % 3))
            cell += 1
    assert torch.bincount(data.Y).tolist() == [3 * n, 3 * n, 3 * n]


def test_draws_match_the_reference_construction() -> None:
    # x-values of a cell first, then its y-values, from a RandomState(seed), cell by cell.
    n, noise, seed = 4, 0.5, 7
    rng = np.random.RandomState(seed)
    expected = []
    for i in range(3):
        for j in range(3):
            x = (i - 1) + noise * rng.randn(n)
            y = (j - 1) + noise * rng.randn(n)
            expected.append(np.stack([x, y], axis=1))
    data = generate_checkerboard_dataset(n_per_cell=n, noise=noise, seed=seed)
    assert np.array_equal(data.X.numpy(), np.concatenate(expected).astype(np.float32))


def test_deterministic_and_seed_dependent() -> None:
    a = generate_checkerboard_dataset(n_per_cell=10, noise=0.3, seed=1)
    b = generate_checkerboard_dataset(n_per_cell=10, noise=0.3, seed=1)
    c = generate_checkerboard_dataset(n_per_cell=10, noise=0.3, seed=2)
    assert torch.equal(a.X, b.X) and torch.equal(a.Y, b.Y)
    assert not torch.equal(a.X, c.X)
    assert torch.equal(a.Y, c.Y)


def test_global_random_states_untouched() -> None:
    np.random.seed(123)
    torch.manual_seed(123)
    random.seed(123)
    numpy_before = np.random.get_state(legacy=False)["state"]["key"].copy()
    torch_before = torch.get_rng_state().clone()
    python_before = random.getstate()
    generate_checkerboard_dataset(n_per_cell=20, noise=0.5, seed=0)
    assert np.array_equal(np.random.get_state(legacy=False)["state"]["key"], numpy_before)
    assert torch.equal(torch.get_rng_state(), torch_before)
    assert random.getstate() == python_before


def test_indexing_and_dataloader() -> None:
    data = generate_checkerboard_dataset(n_per_cell=3, noise=0.1, seed=0)
    point, label = data[4]
    assert point.shape == (2,) and int(label) == int(data.Y[4])
    batches = list(DataLoader(data, batch_size=10))
    assert [len(y) for _, y in batches] == [10, 10, 7]
    assert torch.equal(torch.cat([x for x, _ in batches]), data.X)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_per_cell": 0}, ValueError, "n_per_cell must be >= 1"),
        ({"n_per_cell": 2.5}, TypeError, "n_per_cell must be an int"),
        ({"noise": -0.1}, ValueError, "noise must be >= 0"),
        ({"noise": "big"}, TypeError, "noise must be a real number"),
        ({"seed": 1.5}, TypeError, "seed must be an int"),
        ({"seed": True}, TypeError, "seed must be an int"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": 2**32}, ValueError, "seed must be < 2"),
    ],
)
def test_rejects_bad_arguments(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        generate_checkerboard_dataset(**kwargs)  # type: ignore[arg-type]


def test_dataset_class_checks_its_tensors() -> None:
    with pytest.raises(TypeError, match="X and Y must be torch tensors"):
        CheckerboardDataset([[0.0, 0.0]], torch.zeros(1, dtype=torch.int64))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        CheckerboardDataset(torch.zeros(3, 3), torch.zeros(3, dtype=torch.int64))
    with pytest.raises(ValueError, match=r"Y must have shape \(3,\)"):
        CheckerboardDataset(torch.zeros(3, 2), torch.zeros(2, dtype=torch.int64))
