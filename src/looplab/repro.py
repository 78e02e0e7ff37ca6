"""Reproducibility: seeding, local generators and deterministic CPU settings.

Introduced in lesson 1.1 (:doc:`/book/module1/1-1-what-is-a-training-loop`).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import torch

from looplab._checks import check_int, check_seed32

__all__ = ["make_generator", "seed_everything", "seeded"]

T = TypeVar("T")


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and PyTorch and switch PyTorch to deterministic algorithms.

    Call it once at the top of a lesson or script. It sets the *global* random
    states on purpose; every other looplab function that draws random numbers
    uses its own local generator and leaves the global states alone.

    It also asks PyTorch for deterministic algorithms (an error instead of a
    silently non-deterministic kernel), runs PyTorch's CPU kernels on one
    thread, and fixes the hash seed for child processes. One thread keeps
    floating-point sums in the same order whatever the machine's core count,
    and for the course's tiny models it is also the fastest setting: spreading
    a 16-unit layer over threads costs more in coordination than it saves.
    Results are then identical run to run on the same machine, CPU and
    library versions.

    Introduced in lesson 1.1.

    Args:
        seed: a non-negative integer.

    Raises:
        TypeError: if ``seed`` is not an int.
        ValueError: if ``seed`` is negative or does not fit in 32 bits.
    """
    seed = check_seed32("seed", seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)


def make_generator(seed: int) -> torch.Generator:
    """Return a CPU ``torch.Generator`` seeded with ``seed``.

    Use it to draw random numbers (or to shuffle a ``DataLoader``) without
    touching PyTorch's global random state.

    Introduced in lesson 1.1.

    Raises:
        TypeError: if ``seed`` is not an int.
        ValueError: if ``seed`` is negative.
    """
    seed = check_int("seed", seed, minimum=0)
    generator = torch.Generator()
    generator.manual_seed(seed)
    return generator


def seeded(factory: Callable[[], T], seed: int) -> T:
    """Return ``factory()`` built under PyTorch's global generator seeded with ``seed``.

    A layer draws its initial weights from PyTorch's *global* generator, so
    ``seeded(SimpleMLP, 3)`` gives the same weights every time, whatever ran
    before it. The call saves the global generator's state, seeds the
    generator itself with ``seed``, calls ``factory()``, and puts the saved
    state back (``torch.random.fork_rng``): the rest of a script draws
    exactly what it would have drawn without the call. There is no private
    generator; while ``factory`` runs, the global one is reseeded.

    Introduced in the lab (:doc:`/book/lab/training-dynamics`).

    Args:
        factory: a callable without arguments, e.g. a model class or
            ``functools.partial(tiny_mlp, 3)``.
        seed: a non-negative integer.

    Raises:
        TypeError: if ``factory`` is not callable or ``seed`` not an int.
        ValueError: if ``seed`` is negative.
    """
    if not callable(factory):
        raise TypeError(f"factory must be callable, got {type(factory).__name__}")
    seed = check_int("seed", seed, minimum=0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return factory()
