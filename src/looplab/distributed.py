"""Data-parallel training on CPU processes: ``torch.distributed`` with gloo, started and stopped cleanly.

Introduced in lesson 3.5 (:doc:`/book/module3/3-5-large-scale-training`).

:func:`run_data_parallel` trains one model with ``DistributedDataParallel`` (DDP)
on ``world_size`` CPU processes that talk over the loopback interface with the
gloo backend, and returns what every process saw: the indices its
``DistributedSampler`` gave it, its own gradient and the averaged one, its losses
and its final weights. A lesson can then check the run against one process
trained on the combined batches.

The run is built to start and end cleanly wherever it executes, a notebook
included:

- the processes are *spawned* (a fresh interpreter each, never a fork of a
  notebook kernel), so the worker, :func:`data_parallel_worker`, lives in this
  module, where a child process can import it, and the model is built by a
  picklable factory;
- they inherit the parent's environment, so the course's pinned numerics
  (:data:`looplab.numerics.PINNED_ENV`) are in force in them too, and each sets
  PyTorch to one thread;
- the processes meet through a file store in their temporary directory
  (``init_method="file://..."``), so no rendezvous port is opened at all, and
  gloo's own connections are bound to the loopback interface
  (``GLOO_SOCKET_IFNAME``, see :func:`loopback_interface`) where this machine
  names one, so nothing listens beyond loopback;
- the parent waits with a deadline, stops every process that is still alive
  when it returns or fails, and each worker destroys its process group;
- data go in and results come back as files in a temporary directory that is
  removed afterwards.
"""

from __future__ import annotations

import functools
import math
import os
import pickle
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import torch
import torch.distributed as dist
from torch import Tensor, nn
from torch.multiprocessing.spawn import ProcessContext, start_processes
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from looplab._checks import check_float, check_int, check_seed32
from looplab.numerics import PINNED_ENV
from looplab.repro import seeded

__all__ = ["RankResult", "data_parallel_worker", "loopback_interface", "run_data_parallel"]

LossName = Literal["cross_entropy", "mse"]
_LOSSES: dict[str, Callable[[Tensor, Tensor], Tensor]] = {
    "cross_entropy": nn.functional.cross_entropy,
    "mse": nn.functional.mse_loss,
}
_JOB = "job.pt"
_STORE = "store"


@dataclass(frozen=True)
class RankResult:
    """What one process of a data-parallel run saw and computed.

    Introduced in lesson 3.5.

    Attributes:
        rank: the process's number, ``0`` to ``world_size - 1``.
        world_size: how many processes trained together.
        sampler_indices: for each epoch, the dataset indices the
            ``DistributedSampler`` gave this process, in the order it used them.
        local_gradients: the gradient of the first batch's loss on this
            process's examples alone (computed under ``no_sync``, before any
            communication), by parameter name.
        gradients: the gradient DDP left in ``.grad`` after the first
            backward pass: the mean of every process's local gradient.
        losses: this process's mean batch loss at every step.
        state: the model's weights after the last step (``state_dict``).
        cpu_capability: the ATen kernels PyTorch chose in this process
            (``torch.backends.cpu.get_cpu_capability()``).
        num_threads: PyTorch's thread count in this process.
        environment: the value of each setting of
            :data:`looplab.numerics.PINNED_ENV` in this process's environment
            (``""`` when unset).
        init_method: the rendezvous the process group used, a
            ``file://`` URL of a file in the run's temporary directory.
        gloo_interface: the network interface gloo was bound to
            (``GLOO_SOCKET_IFNAME``), the loopback interface, or ``""`` when
            :func:`loopback_interface` found none.
    """

    rank: int
    world_size: int
    sampler_indices: list[list[int]]
    local_gradients: dict[str, Tensor]
    gradients: dict[str, Tensor]
    losses: list[float]
    state: dict[str, Tensor]
    cpu_capability: str
    num_threads: int
    environment: dict[str, str]
    init_method: str
    gloo_interface: str


def loopback_interface() -> str | None:
    """The name of this machine's loopback network interface, or ``None``.

    ``"lo"`` on Linux, ``"lo0"`` on macOS and the BSDs, found among
    :func:`socket.if_nameindex`; ``None`` where neither exists or the system
    cannot list its interfaces (then gloo picks the interface its host name
    resolves to).

    Introduced in lesson 3.5.
    """
    try:
        names = {name for _, name in socket.if_nameindex()}
    except (OSError, AttributeError):  # no interface list on this system
        return None
    for name in ("lo", "lo0"):
        if name in names:
            return name
    return None


def _gradients(model: nn.Module) -> dict[str, Tensor]:
    return {
        name: torch.zeros_like(p) if p.grad is None else p.grad.detach().clone()
        for name, p in model.named_parameters()
    }


def data_parallel_worker(
    rank: int, world_size: int, workdir: str, model_factory: Callable[[], nn.Module]
) -> None:
    """The body of one process of :func:`run_data_parallel` (rank ``rank``).

    It joins the gloo process group through the file store ``workdir/store``,
    with gloo bound to the loopback interface, reads the job that
    :func:`run_data_parallel` wrote into ``workdir``, trains the model wrapped
    in ``DistributedDataParallel`` with a ``DistributedSampler`` and SGD, writes
    a :class:`RankResult` (as plain tensors and lists) to
    ``workdir/rank<rank>.pt`` and leaves the process group. It lives in this
    module so that a spawned process can import it; call
    :func:`run_data_parallel` rather than this.

    Introduced in lesson 3.5.

    Args:
        rank: this process's number, given by ``torch.multiprocessing``.
        world_size: the number of processes.
        workdir: the directory holding ``job.pt``; the process group's file
            store is created in it.
        model_factory: builds the model; its weights are then replaced by the
            job's initial weights.
    """
    interface = loopback_interface()
    if interface is not None:
        os.environ["GLOO_SOCKET_IFNAME"] = interface  # gloo listens on loopback only
    torch.set_num_threads(1)
    folder = Path(workdir)
    job: dict[str, Any] = torch.load(folder / _JOB, weights_only=True)
    init_method = (folder / _STORE).resolve().as_uri()  # file://...: no port to open
    dist.init_process_group(
        "gloo",
        init_method=init_method,
        rank=rank,
        world_size=world_size,
        timeout=timedelta(seconds=float(job["timeout"])),
    )
    try:
        model = model_factory()
        model.load_state_dict(job["state"])
        ddp = DistributedDataParallel(model)
        dataset = TensorDataset(job["X"], job["y"])
        sampler: DistributedSampler[int] = DistributedSampler(
            dataset,
            num_replicas=world_size,
            rank=rank,
            shuffle=bool(job["shuffle"]),
            seed=int(job["seed"]),
            drop_last=bool(job["drop_last"]),
        )
        loader = DataLoader(dataset, batch_size=int(job["batch_size"]), sampler=sampler)
        optimizer = torch.optim.SGD(ddp.parameters(), lr=float(job["lr"]), momentum=float(job["momentum"]))
        loss_fn = _LOSSES[str(job["loss"])]
        indices: list[list[int]] = []
        losses: list[float] = []
        local: dict[str, Tensor] = {}
        synced: dict[str, Tensor] = {}
        for epoch in range(int(job["epochs"])):
            sampler.set_epoch(epoch)  # a new shuffle each epoch, the same on every rank
            indices.append([int(i) for i in sampler])
            for xb, yb in loader:
                if not local:
                    with ddp.no_sync():  # this rank's gradient alone, no communication
                        loss_fn(ddp(xb), yb).backward()  # type: ignore[no-untyped-call]
                    local = _gradients(model)
                    optimizer.zero_grad()
                loss = loss_fn(ddp(xb), yb)
                optimizer.zero_grad()
                loss.backward()  # type: ignore[no-untyped-call]  # DDP averages over the ranks here
                if not synced:
                    synced = _gradients(model)
                optimizer.step()
                losses.append(float(loss.detach()))
        result = {
            "rank": rank,
            "world_size": world_size,
            "sampler_indices": indices,
            "local_gradients": local,
            "gradients": synced,
            "losses": losses,
            "state": {k: v.detach().clone() for k, v in model.state_dict().items()},
            "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "num_threads": torch.get_num_threads(),
            "environment": {name: os.environ.get(name, "") for name in PINNED_ENV},
            "init_method": init_method,
            "gloo_interface": os.environ.get("GLOO_SOCKET_IFNAME", ""),
        }
        torch.save(result, folder / f"rank{rank}.pt")
    finally:
        dist.destroy_process_group()


def _check_factory(model_factory: object) -> None:
    if not callable(model_factory):
        raise TypeError(f"model_factory must be callable, got {type(model_factory).__name__}")
    inner: object = model_factory
    while isinstance(inner, functools.partial):
        inner = inner.func
    if getattr(inner, "__module__", None) == "__main__":
        raise TypeError(
            f"model_factory must be importable by a spawned process, but {inner!r} is defined in "
            "__main__ (a notebook or script): define it in a module, or use functools.partial of a "
            "module's function, such as functools.partial(looplab.models.tiny_mlp, 8)"
        )
    try:
        pickle.dumps(model_factory)
    except (pickle.PicklingError, AttributeError, TypeError) as error:
        raise TypeError(
            "model_factory must be picklable so that a spawned process can import it: use a function "
            "defined in a module, or functools.partial of one, such as "
            f"functools.partial(looplab.models.tiny_mlp, 8) (pickling failed: {error})"
        ) from error


def _check_data(X: object, y: object, loss: str) -> tuple[Tensor, Tensor]:
    if not isinstance(X, Tensor) or not isinstance(y, Tensor):
        raise TypeError(f"X and y must be tensors, got {type(X).__name__} and {type(y).__name__}")
    if X.ndim < 1 or y.ndim < 1:
        raise ValueError(
            f"X and y must have at least one dimension (one example per row), got {X.ndim}-D and {y.ndim}-D"
        )
    if len(X) == 0 or len(X) != len(y):
        raise ValueError(f"X and y must hold the same non-zero number of examples, got {len(X)} and {len(y)}")
    if loss == "cross_entropy" and (y.dtype != torch.long or y.ndim != 1):
        raise ValueError(
            f"loss='cross_entropy' needs y of class indices (int64, 1-D), got {y.dtype}, {y.ndim}-D"
        )
    if loss == "mse" and not y.is_floating_point():
        raise ValueError(f"loss='mse' needs floating-point targets y, got {y.dtype}")
    return X.detach().cpu().contiguous(), y.detach().cpu().contiguous()


def _stop(context: ProcessContext) -> None:
    """Terminate, then kill, every process of ``context`` that is still alive, and reap it."""
    for process in context.processes:
        if process.is_alive():
            process.terminate()
    for process in context.processes:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()


def run_data_parallel(
    model_factory: Callable[[], nn.Module],
    X: Tensor,
    y: Tensor,
    *,
    world_size: int = 2,
    batch_size: int,
    epochs: int = 1,
    lr: float = 0.1,
    momentum: float = 0.0,
    loss: LossName = "cross_entropy",
    seed: int = 0,
    shuffle: bool = True,
    drop_last: bool = False,
    timeout: float = 60.0,
) -> list[RankResult]:
    """Train a model with ``DistributedDataParallel`` on ``world_size`` CPU processes (gloo).

    The parent builds the model once with ``model_factory`` under
    ``torch.manual_seed(seed)`` (without moving the caller's random state, see
    :func:`looplab.repro.seeded`), so every process starts from the same
    weights. It then spawns ``world_size`` processes running
    :func:`data_parallel_worker`. Each takes its share of ``(X, y)`` from a
    ``DistributedSampler`` (shuffled with ``seed`` and the epoch), trains with
    SGD on batches of ``batch_size`` examples for ``epochs`` epochs, and
    returns its :class:`RankResult`. One step of the run uses
    ``world_size * batch_size`` examples (fewer in an epoch's last step when
    a shard does not divide into batches): the combined batch.

    The parent waits at most ``timeout`` seconds in all, then stops every
    process that is still alive, so the call never hangs and leaves no worker
    behind (``multiprocessing``'s resource tracker, a helper process started
    with the first spawn, lives on until the interpreter exits). The processes
    inherit the parent's environment (the pinned numerics included) and each
    sets PyTorch to one thread.

    Introduced in lesson 3.5.

    Args:
        model_factory: a picklable callable without arguments that builds the
            model, e.g. ``functools.partial(looplab.models.tiny_mlp, 8)``;
            a function defined in ``__main__`` (a notebook or a script) is
            refused, since a spawned process cannot import it.
        X: the inputs, one example per row.
        y: the targets: class indices (int64) for ``"cross_entropy"``,
            floating-point values for ``"mse"``.
        world_size: the number of processes, at least 1.
        batch_size: examples per process and step, at least 1.
        epochs: passes over the data, at least 1.
        lr: SGD's learning rate, > 0.
        momentum: SGD's momentum, in ``[0, 1)``.
        loss: ``"cross_entropy"`` or ``"mse"``, the mean over each batch.
        seed: seeds the initial weights and the sampler's shuffle, in
            ``[0, 2**32)``.
        shuffle: whether the sampler shuffles (``DistributedSampler``'s option).
        drop_last: whether the sampler drops the examples that do not divide
            evenly over the processes instead of repeating some to fill up.
        timeout: seconds to wait for the whole run, finite and > 0.

    Returns:
        One :class:`RankResult` per process, in rank order.

    Raises:
        TypeError: if an argument has the wrong type, or ``model_factory`` is
            not picklable or does not return an ``nn.Module``.
        ValueError: if an argument is out of its range, or ``X`` and ``y`` do
            not match each other or the loss.
        TimeoutError: if the run did not finish within ``timeout`` seconds.
        torch.multiprocessing.ProcessRaisedException: if a process raised an
            error; the message holds its traceback. The other processes are
            stopped first.
        torch.multiprocessing.ProcessExitedException: if a process died
            without raising (killed by a signal, for example).
    """
    world_size = check_int("world_size", world_size, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    epochs = check_int("epochs", epochs, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    momentum = check_float("momentum", momentum, minimum=0.0)
    if momentum >= 1.0:
        raise ValueError(f"momentum must be < 1, got {momentum}")
    if not isinstance(loss, str) or loss not in _LOSSES:
        raise ValueError(f"loss must be one of {sorted(_LOSSES)}, got {loss!r}")
    seed = check_seed32("seed", seed)
    for name, flag in (("shuffle", shuffle), ("drop_last", drop_last)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be a bool, got {type(flag).__name__}")
    timeout = check_float("timeout", timeout, minimum=0.0, strict_minimum=True)
    if not math.isfinite(timeout):
        raise ValueError(f"timeout must be a finite number of seconds, got {timeout}")
    X, y = _check_data(X, y, loss)
    if drop_last and len(X) < world_size:
        raise ValueError(f"drop_last=True needs at least world_size={world_size} examples, got {len(X)}")
    _check_factory(model_factory)
    model = seeded(model_factory, seed)
    if not isinstance(model, nn.Module):
        raise TypeError(f"model_factory must return an nn.Module, got {type(model).__name__}")
    job = {
        "X": X,
        "y": y,
        "state": {k: v.detach().clone() for k, v in model.state_dict().items()},
        "batch_size": batch_size,
        "epochs": epochs,
        "lr": lr,
        "momentum": momentum,
        "loss": loss,
        "seed": seed,
        "shuffle": shuffle,
        "drop_last": drop_last,
        "timeout": timeout,
    }
    with tempfile.TemporaryDirectory(prefix="looplab-ddp-") as workdir:
        torch.save(job, Path(workdir) / _JOB)
        deadline = time.monotonic() + timeout
        context = start_processes(  # type: ignore[no-untyped-call]
            data_parallel_worker,
            args=(world_size, workdir, model_factory),
            nprocs=world_size,
            join=False,
            start_method="spawn",
        )
        try:
            while not context.join(timeout=max(0.0, min(0.5, deadline - time.monotonic()))):
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"the data-parallel run did not finish within {timeout} s")
        finally:
            _stop(context)
        results = [
            torch.load(Path(workdir) / f"rank{rank}.pt", weights_only=True) for rank in range(world_size)
        ]
    return [RankResult(**result) for result in results]
