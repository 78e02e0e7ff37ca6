"""Tests of looplab.distributed: a real two-process gloo run against one process, and the argument checks.

The run spawns two CPU processes that meet through a file store and talk over
the loopback interface only; it is done once
per test session (a module-scoped fixture) and takes a few seconds.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import socket
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import Tensor, nn
from torch.multiprocessing.spawn import ProcessRaisedException
from torch.utils.data import DistributedSampler, TensorDataset

from looplab.data import make_moons
from looplab.distributed import RankResult, loopback_interface, run_data_parallel
from looplab.models import tiny_mlp
from looplab.numerics import PINNED_ENV
from looplab.repro import seeded

FACTORY = functools.partial(tiny_mlp, 4, num_classes=2)
SEED, WORLD, BATCH, EPOCHS, LR = 3, 2, 5, 2, 0.3
X, Y = make_moons(30, noise=0.2, seed=1)  # 15 per rank: 3 steps per epoch


@pytest.fixture(scope="module")
def ranks() -> list[RankResult]:
    return run_data_parallel(
        FACTORY, X, Y, world_size=WORLD, batch_size=BATCH, epochs=EPOCHS, lr=LR, momentum=0.5, seed=SEED
    )


def one_process() -> tuple[nn.Module, dict[str, Tensor], list[float]]:
    """SGD in this process on the combined batches the DDP run used."""
    model = seeded(FACTORY, SEED)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.5)
    dataset = TensorDataset(X, Y)
    first: dict[str, Tensor] = {}
    losses: list[float] = []
    for epoch in range(EPOCHS):
        shards = []
        for rank in range(WORLD):
            sampler: DistributedSampler[int] = DistributedSampler(
                dataset, num_replicas=WORLD, rank=rank, shuffle=True, seed=SEED
            )
            sampler.set_epoch(epoch)
            shards.append(list(sampler))
        for start in range(0, len(shards[0]), BATCH):
            batch = [i for shard in shards for i in shard[start : start + BATCH]]
            loss = nn.functional.cross_entropy(model(X[batch]), Y[batch])
            optimizer.zero_grad()
            loss.backward()
            if not first:
                first = {
                    name: p.grad.detach().clone()
                    for name, p in model.named_parameters()
                    if p.grad is not None
                }
            optimizer.step()
            losses.append(loss.item())
    return model, first, losses


def max_gap(a: dict[str, Tensor], b: dict[str, Tensor]) -> float:
    assert a.keys() == b.keys()
    return max(float((a[k] - b[k]).abs().max()) for k in a)


def test_gradients_equal_one_process_on_the_combined_batch(ranks: list[RankResult]) -> None:
    _, first, _ = one_process()
    for result in ranks:
        assert max_gap(result.gradients, first) < 1e-6
    mean_local = {k: (ranks[0].local_gradients[k] + ranks[1].local_gradients[k]) / 2 for k in first}
    assert max_gap(ranks[0].gradients, mean_local) < 1e-6
    assert max_gap(ranks[0].local_gradients, ranks[1].local_gradients) > 1e-4  # the ranks saw other data


def test_trained_weights_and_losses_equal_one_process(ranks: list[RankResult]) -> None:
    model, _, losses = one_process()
    assert max_gap(ranks[0].state, model.state_dict()) < 1e-6
    assert all(torch.equal(ranks[0].state[k], ranks[1].state[k]) for k in ranks[0].state)
    assert len(ranks[0].losses) == len(losses) == EPOCHS * 3
    for a, b, combined in zip(ranks[0].losses, ranks[1].losses, losses, strict=True):
        assert abs((a + b) / 2 - combined) < 1e-6


def test_sampler_shards_are_disjoint_and_reshuffled(ranks: list[RankResult]) -> None:
    assert [r.rank for r in ranks] == [0, 1] and all(r.world_size == WORLD for r in ranks)
    for epoch in range(EPOCHS):
        shards = [r.sampler_indices[epoch] for r in ranks]
        assert sorted(shards[0] + shards[1]) == list(range(len(X)))
    assert ranks[0].sampler_indices[0] != ranks[0].sampler_indices[1]


def test_workers_inherit_the_numerical_environment_and_end_cleanly(ranks: list[RankResult]) -> None:
    here = {name: os.environ.get(name, "") for name in PINNED_ENV}
    for result in ranks:
        assert result.num_threads == 1  # set by the worker, not inherited
        assert result.cpu_capability == torch.backends.cpu.get_cpu_capability()
        assert result.environment == here
    assert multiprocessing.active_children() == []


def _fails_in_a_worker() -> nn.Module:
    """A factory that works in the parent and raises inside a worker (where the group exists)."""
    if torch.distributed.is_initialized():
        raise RuntimeError("planned failure inside a worker")
    return FACTORY()


def test_a_failing_worker_raises_and_stops_every_process() -> None:
    with pytest.raises(ProcessRaisedException, match="planned failure inside a worker"):
        run_data_parallel(_fails_in_a_worker, X, Y, batch_size=BATCH)
    assert multiprocessing.active_children() == []


def test_a_timeout_stops_every_process() -> None:
    with pytest.raises(TimeoutError, match="did not finish within"):
        run_data_parallel(FACTORY, X, Y, batch_size=BATCH, timeout=0.05)
    assert multiprocessing.active_children() == []


def test_the_rendezvous_is_a_file_and_gloo_uses_loopback(ranks: list[RankResult]) -> None:
    expected = loopback_interface()
    for result in ranks:
        assert result.init_method.startswith("file://")
        assert result.init_method.endswith("/store")
        assert result.gloo_interface == ("" if expected is None else expected)


def test_loopback_interface_is_the_loopback_where_there_is_one() -> None:
    name = loopback_interface()
    try:
        names = {n for _, n in socket.if_nameindex()}
    except OSError:
        assert name is None
        return
    if "lo" in names or "lo0" in names:
        assert name in {"lo", "lo0"} and name in names
    else:
        assert name is None


def _defined_in_main() -> nn.Module:
    return FACTORY()


_defined_in_main.__module__ = "__main__"  # as a function defined in a notebook


def _not_a_module() -> object:
    return "not a model"


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"world_size": 0}, ValueError, "world_size must be >= 1"),
        ({"world_size": 2.0}, TypeError, "world_size must be an int"),
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1"),
        ({"lr": 0.0}, ValueError, "lr must be > 0"),
        ({"lr": "0.1"}, TypeError, "lr must be a real number"),
        ({"momentum": 1.0}, ValueError, "momentum must be < 1"),
        ({"momentum": -0.1}, ValueError, "momentum must be >= 0"),
        ({"loss": "hinge"}, ValueError, "loss must be one of"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": 2**64}, ValueError, "seed must be < 2\\*\\*32"),
        ({"shuffle": 1}, TypeError, "shuffle must be a bool"),
        ({"drop_last": "yes"}, TypeError, "drop_last must be a bool"),
        ({"timeout": 0.0}, ValueError, "timeout must be > 0"),
        ({"timeout": float("inf")}, ValueError, "timeout must be a finite number"),
        ({"X": torch.tensor(1.0)}, ValueError, "at least one dimension"),
        ({"y": torch.tensor(1)}, ValueError, "at least one dimension"),
        ({"X": [[0.0, 1.0]]}, TypeError, "X and y must be tensors"),
        ({"y": Y[:-1]}, ValueError, "same non-zero number of examples"),
        ({"y": Y.float()}, ValueError, "needs y of class indices"),
        ({"loss": "mse"}, ValueError, "needs floating-point targets"),
        ({"X": X[:1], "y": Y[:1], "drop_last": True}, ValueError, "drop_last=True needs at least"),
        ({"model_factory": "tiny_mlp"}, TypeError, "model_factory must be callable"),
        ({"model_factory": lambda: nn.Linear(2, 2)}, TypeError, "model_factory must be picklable"),
        ({"model_factory": _not_a_module}, TypeError, "model_factory must return an nn.Module"),
        ({"model_factory": _defined_in_main}, TypeError, "defined in __main__"),
        (
            {"model_factory": functools.partial(functools.partial(_defined_in_main))},
            TypeError,
            "defined in __main__",
        ),
    ],
)
def test_run_data_parallel_checks_its_arguments(
    changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments: dict[str, Any] = {"model_factory": FACTORY, "X": X, "y": Y, "batch_size": BATCH}
    arguments.update(changes)
    call: Callable[..., list[RankResult]] = run_data_parallel
    with pytest.raises(error, match=message):
        call(**arguments)
    assert multiprocessing.active_children() == []  # nothing was started
