"""Synthetic datasets, splits and standardization.

Nothing here downloads anything and nothing touches a global random state:
every function that draws random numbers takes a ``seed`` and uses a local
generator, so calling it never changes what the rest of a lesson draws.

Regression data come as float32 tensors of shape ``(n, 1)``; classification
data as ``X`` float32 of shape ``(n, 2)`` and labels ``y`` int64 of shape ``(n,)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset, TensorDataset

from looplab._checks import check_float, check_int, check_seed32
from looplab.repro import make_generator

__all__ = [
    "CheckerboardDataset",
    "Standardizer",
    "as_dataset",
    "generate_checkerboard_dataset",
    "make_moons",
    "make_noisy_line",
    "make_sine",
    "make_spirals",
    "train_val_test_split",
]


def make_noisy_line(
    n: int = 100,
    *,
    slope: float = 2.0,
    intercept: float = -1.0,
    noise: float = 0.3,
    x_min: float = -1.0,
    x_max: float = 1.0,
    seed: int = 0,
) -> tuple[Tensor, Tensor]:
    """Points scattered around the line ``y = slope * x + intercept``.

    ``x`` is uniform on ``[x_min, x_max]`` and the noise is Gaussian with
    standard deviation ``noise``. Introduced in lesson 1.1
    (:doc:`/book/module1/1-1-what-is-a-training-loop`).

    Returns:
        ``(x, y)``, both float32 tensors of shape ``(n, 1)``.

    Raises:
        TypeError: if ``n`` or ``seed`` is not an int, or a number is not real.
        ValueError: if ``n < 1``, ``noise < 0`` or ``x_min >= x_max``.
    """
    n = check_int("n", n, minimum=1)
    slope = check_float("slope", slope)
    intercept = check_float("intercept", intercept)
    noise = check_float("noise", noise, minimum=0.0)
    x_min = check_float("x_min", x_min)
    x_max = check_float("x_max", x_max)
    if x_min >= x_max:
        raise ValueError(f"x_min must be < x_max, got x_min={x_min}, x_max={x_max}")
    generator = make_generator(seed)
    x = x_min + (x_max - x_min) * torch.rand(n, 1, generator=generator)
    y = slope * x + intercept + noise * torch.randn(n, 1, generator=generator)
    return x, y


def make_sine(
    n: int = 200,
    *,
    noise: float = 0.1,
    periods: float = 1.0,
    seed: int = 0,
) -> tuple[Tensor, Tensor]:
    """Noisy samples of ``sin(x)`` on ``[-periods * pi, periods * pi]``.

    ``x`` is uniform on that interval and sorted, so the points plot as a curve.

    Returns:
        ``(x, y)``, both float32 tensors of shape ``(n, 1)``.

    Raises:
        TypeError: if ``n`` or ``seed`` is not an int, or a number is not real.
        ValueError: if ``n < 1``, ``noise < 0`` or ``periods <= 0``.
    """
    n = check_int("n", n, minimum=1)
    noise = check_float("noise", noise, minimum=0.0)
    periods = check_float("periods", periods, minimum=0.0, strict_minimum=True)
    generator = make_generator(seed)
    half_width = periods * math.pi
    x = (2 * torch.rand(n, 1, generator=generator) - 1) * half_width
    x, _ = torch.sort(x, dim=0)
    y = torch.sin(x) + noise * torch.randn(n, 1, generator=generator)
    return x, y


def make_moons(n: int = 200, *, noise: float = 0.1, seed: int = 0) -> tuple[Tensor, Tensor]:
    """Two interleaving half circles, a classic two-class problem no line separates.

    Class 0 is the upper moon, class 1 the lower one, shifted so that they
    interlock. ``n // 2`` points go to class 0 and the rest to class 1.

    Returns:
        ``(X, y)``: ``X`` float32 of shape ``(n, 2)``, ``y`` int64 of shape ``(n,)``.

    Raises:
        TypeError: if ``n`` or ``seed`` is not an int, or ``noise`` is not real.
        ValueError: if ``n < 2`` or ``noise < 0``.
    """
    n = check_int("n", n, minimum=2)
    noise = check_float("noise", noise, minimum=0.0)
    generator = make_generator(seed)
    n_upper = n // 2
    n_lower = n - n_upper
    angle_upper = math.pi * torch.rand(n_upper, generator=generator)
    angle_lower = math.pi * torch.rand(n_lower, generator=generator)
    upper = torch.stack([torch.cos(angle_upper), torch.sin(angle_upper)], dim=1)
    lower = torch.stack([1 - torch.cos(angle_lower), 0.5 - torch.sin(angle_lower)], dim=1)
    X = torch.cat([upper, lower]) + noise * torch.randn(n, 2, generator=generator)
    y = torch.cat([torch.zeros(n_upper, dtype=torch.int64), torch.ones(n_lower, dtype=torch.int64)])
    return X.float(), y


def make_spirals(
    n_per_class: int = 100,
    *,
    num_classes: int = 3,
    noise: float = 0.2,
    turns: float = 1.0,
    seed: int = 0,
) -> tuple[Tensor, Tensor]:
    """Interleaved spiral arms, one per class, a harder nonlinear problem.

    Arm ``k`` starts at the origin and winds outwards ``turns`` times, rotated
    by ``2 * pi * k / num_classes``; the radius grows from 0 to 1. Gaussian
    noise of standard deviation ``noise`` (in radians) is added to the angle.

    Returns:
        ``(X, y)``: ``X`` float32 of shape ``(num_classes * n_per_class, 2)``,
        ``y`` int64 of shape ``(num_classes * n_per_class,)``.

    Raises:
        TypeError: if a count or ``seed`` is not an int, or a number is not real.
        ValueError: if ``n_per_class < 1``, ``num_classes < 2``, ``noise < 0``
            or ``turns <= 0``.
    """
    n_per_class = check_int("n_per_class", n_per_class, minimum=1)
    num_classes = check_int("num_classes", num_classes, minimum=2)
    noise = check_float("noise", noise, minimum=0.0)
    turns = check_float("turns", turns, minimum=0.0, strict_minimum=True)
    generator = make_generator(seed)
    radius = torch.linspace(0.05, 1.0, n_per_class)
    points = []
    labels = []
    for k in range(num_classes):
        angle = 2 * math.pi * (turns * radius + k / num_classes)
        angle = angle + noise * torch.randn(n_per_class, generator=generator)
        points.append(torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1))
        labels.append(torch.full((n_per_class,), k, dtype=torch.int64))
    return torch.cat(points).float(), torch.cat(labels)


Split = tuple[Tensor, Tensor]


def train_val_test_split(
    X: Tensor,
    y: Tensor,
    *,
    val_fraction: float = 0.2,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> tuple[Split, Split, Split]:
    """Shuffle the examples once and cut them into train, validation and test splits.

    The validation split is for choices made during training (when to stop,
    which learning rate); the test split is for one final measurement. A
    fraction of 0 gives an empty split. Introduced in lesson 2.5.

    Returns:
        ``((X_train, y_train), (X_val, y_val), (X_test, y_test))``.

    Raises:
        TypeError: if ``X`` or ``y`` is not a tensor.
        ValueError: if their lengths differ, a fraction is outside ``[0, 1)``,
            the fractions leave no training example, or ``seed`` is invalid.
    """
    if not isinstance(X, Tensor) or not isinstance(y, Tensor):
        raise TypeError("X and y must be torch tensors")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    val_fraction = check_float("val_fraction", val_fraction, minimum=0.0, maximum=0.999)
    test_fraction = check_float("test_fraction", test_fraction, minimum=0.0, maximum=0.999)
    n = len(X)
    n_val = round(val_fraction * n)
    n_test = round(test_fraction * n)
    if n - n_val - n_test < 1:
        raise ValueError(
            "val_fraction + test_fraction must leave at least one training example, "
            f"got {val_fraction} + {test_fraction} of {n} examples"
        )
    order = torch.randperm(n, generator=make_generator(seed))
    test_idx = order[:n_test]
    val_idx = order[n_test : n_test + n_val]
    train_idx = order[n_test + n_val :]
    return (X[train_idx], y[train_idx]), (X[val_idx], y[val_idx]), (X[test_idx], y[test_idx])


@dataclass(frozen=True)
class Standardizer:
    """Per-feature standardization ``(x - mean) / std`` with statistics from one split.

    Fit it on the training split only (:meth:`fit`), then apply the *same*
    transform to validation and test data; fitting on all the data would leak
    information from the held-out splits into training. Introduced in lesson 2.5.

    Attributes:
        mean: per-feature mean of the training split, shape ``(1, features)``.
        std: per-feature standard deviation, shape ``(1, features)``; features
            with zero spread get 1 so they pass through unchanged.
    """

    mean: Tensor
    std: Tensor

    @classmethod
    def fit(cls, x_train: Tensor) -> Standardizer:
        """Compute the mean and standard deviation of each column of ``x_train``.

        Raises:
            TypeError: if ``x_train`` is not a floating-point tensor.
            ValueError: if it is not 2-D or has fewer than two rows.
        """
        if not isinstance(x_train, Tensor) or not x_train.is_floating_point():
            raise TypeError("x_train must be a floating-point torch tensor")
        if x_train.ndim != 2 or len(x_train) < 2:
            raise ValueError(f"x_train must be 2-D with at least two rows, got shape {tuple(x_train.shape)}")
        mean = x_train.mean(dim=0, keepdim=True)
        std = x_train.std(dim=0, keepdim=True)
        std = torch.where(std > 0, std, torch.ones_like(std))
        return cls(mean=mean, std=std)

    def transform(self, x: Tensor) -> Tensor:
        """Standardize ``x`` with the fitted statistics.

        Raises:
            ValueError: if ``x`` has a different number of features.
        """
        self._check_features(x)
        return (x - self.mean) / self.std

    def inverse_transform(self, z: Tensor) -> Tensor:
        """Map standardized values back to the original units."""
        self._check_features(z)
        return z * self.std + self.mean

    def _check_features(self, x: Tensor) -> None:
        if not isinstance(x, Tensor) or x.ndim != 2 or x.shape[1] != self.mean.shape[1]:
            shape = tuple(x.shape) if isinstance(x, Tensor) else type(x).__name__
            raise ValueError(f"x must be a 2-D tensor with {self.mean.shape[1]} features, got {shape}")


def as_dataset(X: Tensor, y: Tensor) -> TensorDataset:
    """Wrap a pair of tensors as a ``TensorDataset`` ready for a ``DataLoader``.

    Raises:
        TypeError: if ``X`` or ``y`` is not a tensor.
        ValueError: if their first dimensions differ.
    """
    if not isinstance(X, Tensor) or not isinstance(y, Tensor):
        raise TypeError("X and y must be torch tensors")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    return TensorDataset(X, y)


class CheckerboardDataset(Dataset[tuple[Tensor, Tensor]]):
    """Points and labels of the lab's 3x3 checkerboard, ready for a ``DataLoader``.

    Indexing returns one ``(point, label)`` pair. Built by
    :func:`generate_checkerboard_dataset`; introduced in the lab
    (:doc:`/book/lab/training-dynamics`).

    Attributes:
        X: float32 tensor of shape ``(n, 2)``, the points.
        Y: int64 tensor of shape ``(n,)``, their class labels 0, 1 or 2.
    """

    def __init__(self, X: Tensor, Y: Tensor) -> None:
        if not isinstance(X, Tensor) or not isinstance(Y, Tensor):
            raise TypeError("X and Y must be torch tensors")
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"X must have shape (n, 2), got {tuple(X.shape)}")
        if Y.shape != (len(X),):
            raise ValueError(f"Y must have shape ({len(X)},) to match X, got {tuple(Y.shape)}")
        self.X = X
        self.Y = Y

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        return self.X[index], self.Y[index]


def generate_checkerboard_dataset(
    n_per_cell: int = 100, noise: float = 0.5, seed: int = 0
) -> CheckerboardDataset:
    """The lab's three-class 3x3 checkerboard: Gaussian clouds around nine cell centres.

    Cell ``(i, j)`` (``i`` along x, ``j`` along y, each 0, 1 or 2) has its
    centre at ``(i - 1, j - 1)`` and label ``(i + j) % 3``, so each class owns
    three cells on anti-diagonals of the grid. Cells are visited with ``i`` in
    the outer loop and ``j`` in the inner loop; for each cell, ``n_per_cell``
    x-coordinates ``centre_x + noise * randn`` are drawn first, then
    ``n_per_cell`` y-coordinates. The draws come from a local
    ``numpy.random.RandomState(seed)``, so the points match those of the PCPT
    course's Unit 8 number for number, and NumPy's global random state is left
    alone. Points stay in cell order (no shuffling). Introduced in the lab
    (:doc:`/book/lab/training-dynamics`).

    Args:
        n_per_cell: number of points in each of the nine cells (at least 1).
        noise: standard deviation of the Gaussian noise around each centre (at least 0).
        seed: seed of the local NumPy generator, an int in ``[0, 2**32)``.

    Returns:
        A :class:`CheckerboardDataset` with ``X`` float32 of shape
        ``(9 * n_per_cell, 2)`` and ``Y`` int64 of shape ``(9 * n_per_cell,)``.

    Raises:
        TypeError: if ``n_per_cell`` or ``seed`` is not an int, or ``noise`` not a real number.
        ValueError: if ``n_per_cell < 1``, ``noise < 0`` or ``seed`` is outside ``[0, 2**32)``.
    """
    n_per_cell = check_int("n_per_cell", n_per_cell, minimum=1)
    noise = check_float("noise", noise, minimum=0.0)
    seed = check_seed32("seed", seed)
    rng = np.random.RandomState(seed)
    points = []
    labels = []
    for i in range(3):
        for j in range(3):
            x = (i - 1) + noise * rng.randn(n_per_cell)
            y = (j - 1) + noise * rng.randn(n_per_cell)
            points.append(np.stack([x, y], axis=1))
            labels.append(np.full(n_per_cell, (i + j) % 3, dtype=np.int64))
    X = torch.from_numpy(np.concatenate(points).astype(np.float32))
    Y = torch.from_numpy(np.concatenate(labels))
    return CheckerboardDataset(X, Y)
