from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from looplab.repro import make_generator, seed_everything


def test_seed_everything_makes_draws_repeat() -> None:
    seed_everything(123)
    first = (random.random(), np.random.rand(), torch.rand(3))
    seed_everything(123)
    second = (random.random(), np.random.rand(), torch.rand(3))
    assert first[0] == second[0] and first[1] == second[1]
    assert torch.equal(first[2], second[2])
    assert torch.are_deterministic_algorithms_enabled()
    assert torch.get_num_threads() == 1


def test_make_generator_is_local() -> None:
    torch.manual_seed(0)
    expected = torch.rand(2)
    torch.manual_seed(0)
    a = torch.rand(4, generator=make_generator(5))
    assert torch.equal(torch.rand(2), expected), "the global state must not move"
    assert torch.equal(a, torch.rand(4, generator=make_generator(5)))


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (-1, ValueError, "seed must be >= 0"),
        (2**32, ValueError, "seed must be < 2\\*\\*32"),
        (1.5, TypeError, "seed must be an int"),
        (True, TypeError, "seed must be an int"),
    ],
)
def test_seed_everything_rejects_bad_seeds(seed: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        seed_everything(seed)  # type: ignore[arg-type]


def test_make_generator_rejects_bad_seed() -> None:
    with pytest.raises(TypeError, match="seed must be an int"):
        make_generator("0")  # type: ignore[arg-type]
