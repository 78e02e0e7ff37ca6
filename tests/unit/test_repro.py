from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from looplab.models import SimpleMLP
from looplab.repro import make_generator, seed_everything, seeded


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


def test_seeded_is_reproducible_and_leaves_the_global_generator_alone() -> None:
    torch.manual_seed(5)
    before = torch.get_rng_state().clone()
    a, b, c = seeded(SimpleMLP, 3), seeded(SimpleMLP, 3), seeded(SimpleMLP, 4)
    assert torch.equal(torch.get_rng_state(), before)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    first_a, first_c = next(a.parameters()), next(c.parameters())
    assert not torch.equal(first_a, first_c)
    torch.manual_seed(3)  # seeded reseeds the global generator itself, for the call
    assert torch.equal(next(SimpleMLP().parameters()), first_a)


def test_seeded_returns_what_the_factory_returns() -> None:
    draws = seeded(lambda: torch.rand(3), 7)
    assert torch.equal(draws, seeded(lambda: torch.rand(3), 7))
    torch.manual_seed(7)
    assert torch.equal(draws, torch.rand(3))


def test_seeded_restores_the_state_when_the_factory_fails() -> None:
    before = torch.get_rng_state().clone()

    def broken() -> None:
        torch.rand(2)
        raise RuntimeError("factory failed")

    with pytest.raises(RuntimeError, match="factory failed"):
        seeded(broken, 0)
    assert torch.equal(torch.get_rng_state(), before)


@pytest.mark.parametrize(
    ("factory", "seed", "error", "message"),
    [
        (42, 0, TypeError, "factory must be callable"),
        (SimpleMLP, -1, ValueError, "seed must be >= 0"),
        (SimpleMLP, 1.0, TypeError, "seed must be an int"),
    ],
)
def test_seeded_errors(factory: object, seed: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        seeded(factory, seed)  # type: ignore[arg-type]
