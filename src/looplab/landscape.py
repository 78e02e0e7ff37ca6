"""The mean squared error of a line, its gradient, curvature and landscape.

Everything here is about one model, the line ``y_hat = w * x + b`` fitted to
one-dimensional data ``(x, y)`` with the mean squared error

``L(w, b) = mean((w * x + b - y) ** 2)``.

Module 1 derives each of these by hand: the gradient and the closed-form
least-squares solution in lesson 1.2
(:doc:`/book/module1/1-2-linear-regression-by-hand`), the loss over a grid of
``(w, b)``, the curvature and full-batch descent paths in lesson 1.4
(:doc:`/book/module1/1-4-loss-landscape`). Later lessons import these
versions.

``x`` and ``y`` may have shape ``(n,)`` or ``(n, 1)`` (the shape
:func:`looplab.data.make_noisy_line` returns). All computations run in
float64, so rounding does not blur the comparisons the lessons make, and
results come back as float64 tensors or Python floats.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from looplab._checks import check_float, check_int

__all__ = [
    "DescentPath",
    "descent_path",
    "least_squares_line",
    "mse_gradient",
    "mse_grid",
    "mse_hessian",
]


def _as_column_data(x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """Validate ``(x, y)`` and return them as float64 vectors of shape ``(n,)``."""
    for name, value in (("x", x), ("y", y)):
        if not isinstance(value, Tensor):
            raise TypeError(f"{name} must be a torch tensor, got {type(value).__name__}")
        if not value.is_floating_point():
            raise TypeError(f"{name} must be a floating-point tensor, got dtype {value.dtype}")
        if not (value.ndim == 1 or (value.ndim == 2 and value.shape[1] == 1)):
            raise ValueError(f"{name} must have shape (n,) or (n, 1), got {tuple(value.shape)}")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    if len(x) == 0:
        raise ValueError("x and y must hold at least one example")
    return x.reshape(-1).double(), y.reshape(-1).double()


def _as_vector(name: str, values: Tensor) -> Tensor:
    """Validate a 1-D, non-empty, real tensor of grid values and return it as float64."""
    if not isinstance(values, Tensor):
        raise TypeError(f"{name} must be a torch tensor, got {type(values).__name__}")
    if values.is_complex() or values.dtype == torch.bool:
        raise TypeError(f"{name} must be a real tensor, got dtype {values.dtype}")
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D tensor, got shape {tuple(values.shape)}")
    return values.double()


def mse_gradient(x: Tensor, y: Tensor, w: float, b: float) -> tuple[float, float]:
    """Gradient of the line's mean squared error at ``(w, b)``.

    With residuals ``r = w * x + b - y``, the partial derivatives are
    ``dL/dw = 2 * mean(r * x)`` and ``dL/db = 2 * mean(r)``.
    Introduced in lesson 1.2 (:doc:`/book/module1/1-2-linear-regression-by-hand`).

    Args:
        x: inputs, shape ``(n,)`` or ``(n, 1)``.
        y: targets, same length as ``x``.
        w: slope at which to evaluate the gradient.
        b: intercept at which to evaluate the gradient.

    Returns:
        ``(dL/dw, dL/db)`` as Python floats.

    Raises:
        TypeError: if ``x`` or ``y`` is not a floating-point tensor, or ``w``,
            ``b`` is not a real number.
        ValueError: if the shapes are not ``(n,)`` / ``(n, 1)`` with the same ``n >= 1``.
    """
    xs, ys = _as_column_data(x, y)
    w = check_float("w", w)
    b = check_float("b", b)
    residual = w * xs + b - ys
    return 2.0 * float((residual * xs).mean()), 2.0 * float(residual.mean())


def mse_hessian(x: Tensor) -> Tensor:
    """Hessian of the line's mean squared error with respect to ``(w, b)``.

    The loss is quadratic in ``(w, b)``, so the Hessian is the same everywhere
    and does not depend on the targets::

        H = 2 * [[mean(x**2), mean(x)],
                 [mean(x),    1      ]]

    Its largest eigenvalue ``L`` (the curvature along the steepest direction)
    sets the largest learning rate, ``2 / L``, at which full-batch gradient
    descent still converges. Introduced in lesson 1.4
    (:doc:`/book/module1/1-4-loss-landscape`).

    Args:
        x: inputs, shape ``(n,)`` or ``(n, 1)``.

    Returns:
        A float64 tensor of shape ``(2, 2)``, rows and columns in the order ``(w, b)``.

    Raises:
        TypeError: if ``x`` is not a floating-point tensor.
        ValueError: if ``x`` is empty or not of shape ``(n,)`` / ``(n, 1)``.
    """
    xs, _ = _as_column_data(x, x)
    mean_x = xs.mean()
    mean_x2 = (xs * xs).mean()
    one = torch.ones((), dtype=torch.float64)
    return 2.0 * torch.stack([torch.stack([mean_x2, mean_x]), torch.stack([mean_x, one])])


def least_squares_line(x: Tensor, y: Tensor) -> tuple[float, float]:
    """The slope and intercept that minimize the mean squared error, in closed form.

    Solves the least-squares problem for the design matrix whose columns are
    ``x`` and a column of ones (``torch.linalg.lstsq``, which avoids forming
    an explicit inverse). This is the point gradient descent on the line
    converges to. Introduced in lesson 1.2
    (:doc:`/book/module1/1-2-linear-regression-by-hand`).

    Args:
        x: inputs, shape ``(n,)`` or ``(n, 1)``.
        y: targets, same length as ``x``.

    Returns:
        ``(w_star, b_star)`` as Python floats.

    Raises:
        TypeError: if ``x`` or ``y`` is not a floating-point tensor.
        ValueError: if the shapes do not match, or ``x`` has fewer than two
            distinct values (then infinitely many lines fit equally well).
    """
    xs, ys = _as_column_data(x, y)
    if len(torch.unique(xs)) < 2:
        raise ValueError("x must hold at least two distinct values for a unique least-squares line")
    design = torch.stack([xs, torch.ones_like(xs)], dim=1)
    solution = torch.linalg.lstsq(design, ys.unsqueeze(1)).solution.reshape(-1)
    return float(solution[0]), float(solution[1])


def mse_grid(x: Tensor, y: Tensor, w_values: Tensor, b_values: Tensor) -> Tensor:
    """The line's mean squared error at every ``(w, b)`` of a grid.

    Entry ``[i, j]`` is the loss at ``w = w_values[j]``, ``b = b_values[i]``:
    rows follow ``b`` and columns follow ``w``, the layout matplotlib's
    ``contour(w_values, b_values, grid)`` and ``torch.meshgrid(w_values,
    b_values, indexing="xy")`` use. Introduced in lesson 1.4
    (:doc:`/book/module1/1-4-loss-landscape`).

    Args:
        x: inputs, shape ``(n,)`` or ``(n, 1)``.
        y: targets, same length as ``x``.
        w_values: 1-D tensor of slopes (the horizontal axis).
        b_values: 1-D tensor of intercepts (the vertical axis).

    Returns:
        A float64 tensor of shape ``(len(b_values), len(w_values))``.

    Raises:
        TypeError: if an argument is not a tensor of a suitable dtype.
        ValueError: if the data shapes do not match or a grid axis is not a
            non-empty 1-D tensor.
    """
    xs, ys = _as_column_data(x, y)
    ws = _as_vector("w_values", w_values)
    bs = _as_vector("b_values", b_values)
    # One row of the grid at a time keeps memory at len(w_values) * n numbers.
    rows = [((ws[:, None] * xs[None, :] + b - ys[None, :]) ** 2).mean(dim=1) for b in bs]
    return torch.stack(rows)


@dataclass(frozen=True)
class DescentPath:
    """The trajectory of :func:`descent_path`: one entry per step, the start included.

    Attributes:
        w: slope after each step, float64 of shape ``(steps + 1,)``; ``w[0]`` is the start.
        b: intercept after each step, same shape.
        loss: mean squared error at each ``(w[k], b[k])``, same shape.
    """

    w: Tensor
    b: Tensor
    loss: Tensor


def descent_path(
    x: Tensor,
    y: Tensor,
    *,
    lr: float,
    steps: int,
    w0: float = 0.0,
    b0: float = 0.0,
) -> DescentPath:
    """Run full-batch gradient descent on the line's MSE and record every point it visits.

    Each step computes the exact gradient on all the data (:func:`mse_gradient`)
    and moves ``(w, b) <- (w, b) - lr * gradient``. With a learning rate above
    ``2 / L`` (``L`` the largest eigenvalue of :func:`mse_hessian`) the path
    diverges: it is still returned in full, and its values grow geometrically
    and may reach ``inf`` or ``nan``. Nothing here touches a random state.
    Introduced in lesson 1.4 (:doc:`/book/module1/1-4-loss-landscape`).

    Args:
        x: inputs, shape ``(n,)`` or ``(n, 1)``.
        y: targets, same length as ``x``.
        lr: learning rate, greater than 0.
        steps: number of updates, at least 1.
        w0: starting slope.
        b0: starting intercept.

    Returns:
        A :class:`DescentPath` whose ``w``, ``b`` and ``loss`` are float64 tensors of length
        ``steps + 1``.

    Raises:
        TypeError: if the data are not floating-point tensors, ``steps`` is not
            an int or a number is not real.
        ValueError: if the shapes do not match, ``lr <= 0`` or ``steps < 1``.
    """
    xs, ys = _as_column_data(x, y)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    steps = check_int("steps", steps, minimum=1)
    w = check_float("w0", w0)
    b = check_float("b0", b0)
    path = torch.empty(steps + 1, 3, dtype=torch.float64)
    with torch.no_grad():
        for k in range(steps + 1):
            residual = w * xs + b - ys
            path[k, 0] = w
            path[k, 1] = b
            path[k, 2] = (residual * residual).mean()
            if k == steps:
                break
            grad_w = 2.0 * float((residual * xs).mean())
            grad_b = 2.0 * float(residual.mean())
            w, b = w - lr * grad_w, b - lr * grad_b
    return DescentPath(w=path[:, 0].clone(), b=path[:, 1].clone(), loss=path[:, 2].clone())
