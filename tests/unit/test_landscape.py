"""Tests of looplab.landscape: the line's MSE, gradient, Hessian, grid and descent paths."""

from __future__ import annotations

import pytest
import torch

from looplab.data import make_noisy_line
from looplab.landscape import (
    DescentPath,
    descent_path,
    least_squares_line,
    mse_gradient,
    mse_grid,
    mse_hessian,
)


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    return make_noisy_line(50, slope=2.0, intercept=-1.0, noise=0.3, x_min=0.0, x_max=2.0, seed=3)


def _autograd_loss_and_grad(
    x: torch.Tensor, y: torch.Tensor, w: float, b: float
) -> tuple[float, float, float]:
    params = torch.tensor([w, b], dtype=torch.float64, requires_grad=True)
    loss = ((params[0] * x.double().reshape(-1) + params[1] - y.double().reshape(-1)) ** 2).mean()
    (grad,) = torch.autograd.grad(loss, params)
    return float(loss.detach()), float(grad[0]), float(grad[1])


# --- mse_gradient -------------------------------------------------------------------------------


def test_gradient_matches_autograd() -> None:
    x, y = _data()
    for w, b in [(0.0, 0.0), (1.5, -0.3), (-2.0, 4.0)]:
        _, gw, gb = _autograd_loss_and_grad(x, y, w, b)
        assert mse_gradient(x, y, w, b) == pytest.approx((gw, gb), abs=1e-12)


def test_gradient_accepts_flat_vectors() -> None:
    x, y = _data()
    assert mse_gradient(x.reshape(-1), y.reshape(-1), 0.5, 0.5) == mse_gradient(x, y, 0.5, 0.5)


def test_gradient_is_zero_at_least_squares_solution() -> None:
    x, y = _data()
    w_star, b_star = least_squares_line(x, y)
    assert mse_gradient(x, y, w_star, b_star) == pytest.approx((0.0, 0.0), abs=1e-10)


def test_gradient_errors() -> None:
    x, y = _data()
    with pytest.raises(TypeError, match="x must be a torch tensor"):
        mse_gradient([1.0, 2.0], y, 0.0, 0.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="y must be a floating-point tensor"):
        mse_gradient(x, torch.ones(50, 1, dtype=torch.int64), 0.0, 0.0)
    with pytest.raises(ValueError, match=r"x must have shape \(n,\) or \(n, 1\)"):
        mse_gradient(torch.ones(5, 2), torch.ones(5), 0.0, 0.0)
    with pytest.raises(ValueError, match="same length, got 50 and 49"):
        mse_gradient(x, y[:49], 0.0, 0.0)
    with pytest.raises(ValueError, match="at least one example"):
        mse_gradient(torch.ones(0), torch.ones(0), 0.0, 0.0)
    with pytest.raises(TypeError, match="w must be a real number"):
        mse_gradient(x, y, "1", 0.0)  # type: ignore[arg-type]


# --- mse_hessian --------------------------------------------------------------------------------


def test_hessian_matches_autograd_and_formula() -> None:
    x, y = _data()
    xs = x.reshape(-1).double()
    ys = y.reshape(-1).double()

    def loss(params: torch.Tensor) -> torch.Tensor:
        return ((params[0] * xs + params[1] - ys) ** 2).mean()

    start = torch.tensor([0.3, -0.7], dtype=torch.float64)
    expected = torch.autograd.functional.hessian(loss, start)
    hessian = mse_hessian(x)
    assert hessian.shape == (2, 2)
    assert hessian.dtype == torch.float64
    torch.testing.assert_close(hessian, expected)
    assert float(hessian[1, 1]) == 2.0
    assert float(hessian[0, 1]) == pytest.approx(2 * float(xs.mean()))


def test_hessian_errors() -> None:
    with pytest.raises(TypeError, match="x must be a torch tensor"):
        mse_hessian([1.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"x must have shape"):
        mse_hessian(torch.ones(2, 2, 2))


# --- least_squares_line -------------------------------------------------------------------------


def test_least_squares_recovers_noise_free_line() -> None:
    x = torch.linspace(-1, 1, 11, dtype=torch.float64)
    w_star, b_star = least_squares_line(x, 3.0 * x - 0.5)
    assert (w_star, b_star) == pytest.approx((3.0, -0.5), abs=1e-12)


def test_least_squares_matches_normal_equations() -> None:
    x, y = _data()
    design = torch.cat([x.double(), torch.ones_like(x.double())], dim=1)
    theta = torch.linalg.solve(design.T @ design, design.T @ y.double()).reshape(-1)
    assert least_squares_line(x, y) == pytest.approx((float(theta[0]), float(theta[1])), abs=1e-10)


def test_least_squares_needs_two_distinct_inputs() -> None:
    with pytest.raises(ValueError, match="at least two distinct values"):
        least_squares_line(torch.ones(4), torch.arange(4.0))


# --- mse_grid -----------------------------------------------------------------------------------


def test_grid_shape_layout_and_values() -> None:
    x, y = _data()
    w_values = torch.linspace(-1.0, 4.0, 7)
    b_values = torch.linspace(-3.0, 1.0, 5)
    grid = mse_grid(x, y, w_values, b_values)
    assert grid.shape == (5, 7)
    assert grid.dtype == torch.float64
    for i in (0, 2, 4):
        for j in (0, 3, 6):
            expected, _, _ = _autograd_loss_and_grad(x, y, float(w_values[j]), float(b_values[i]))
            assert float(grid[i, j]) == pytest.approx(expected, rel=1e-12)


def test_grid_minimum_is_near_least_squares_solution() -> None:
    x, y = _data()
    w_values = torch.linspace(0.0, 4.0, 81)
    b_values = torch.linspace(-3.0, 1.0, 81)
    grid = mse_grid(x, y, w_values, b_values)
    i, j = divmod(int(grid.argmin()), grid.shape[1])
    w_star, b_star = least_squares_line(x, y)
    assert abs(float(w_values[j]) - w_star) <= 0.05
    assert abs(float(b_values[i]) - b_star) <= 0.05


def test_grid_errors() -> None:
    x, y = _data()
    axis = torch.linspace(0, 1, 3)
    with pytest.raises(TypeError, match="w_values must be a torch tensor"):
        mse_grid(x, y, [0.0, 1.0], axis)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="b_values must be a non-empty 1-D tensor"):
        mse_grid(x, y, axis, torch.ones(2, 2))
    with pytest.raises(ValueError, match="w_values must be a non-empty 1-D tensor"):
        mse_grid(x, y, torch.ones(0), axis)
    with pytest.raises(TypeError, match="b_values must be a real tensor"):
        mse_grid(x, y, axis, torch.tensor([True, False]))


# --- descent_path -------------------------------------------------------------------------------


def test_path_records_start_and_every_step() -> None:
    x, y = _data()
    path = descent_path(x, y, lr=0.1, steps=5, w0=1.0, b0=-2.0)
    assert isinstance(path, DescentPath)
    for values in (path.w, path.b, path.loss):
        assert values.shape == (6,)
        assert values.dtype == torch.float64
    assert (float(path.w[0]), float(path.b[0])) == (1.0, -2.0)
    gw, gb = mse_gradient(x, y, 1.0, -2.0)
    assert float(path.w[1]) == pytest.approx(1.0 - 0.1 * gw, abs=1e-12)
    assert float(path.b[1]) == pytest.approx(-2.0 - 0.1 * gb, abs=1e-12)
    loss_start, _, _ = _autograd_loss_and_grad(x, y, 1.0, -2.0)
    assert float(path.loss[0]) == pytest.approx(loss_start, rel=1e-12)


def test_path_matches_torch_sgd() -> None:
    x, y = _data()
    params = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([params], lr=0.2)
    for _ in range(10):
        optimizer.zero_grad()
        loss = ((params[0] * x.double().reshape(-1) + params[1] - y.double().reshape(-1)) ** 2).mean()
        (params.grad,) = torch.autograd.grad(loss, params)
        optimizer.step()
    path = descent_path(x, y, lr=0.2, steps=10)
    assert float(path.w[-1]) == pytest.approx(float(params.detach()[0]), abs=1e-12)
    assert float(path.b[-1]) == pytest.approx(float(params.detach()[1]), abs=1e-12)


def test_path_converges_below_and_diverges_above_two_over_curvature() -> None:
    x, y = _data()
    largest = float(torch.linalg.eigvalsh(mse_hessian(x))[-1])
    w_star, b_star = least_squares_line(x, y)
    stable = descent_path(x, y, lr=0.9 * 2 / largest, steps=500)
    assert float(stable.w[-1]) == pytest.approx(w_star, abs=1e-6)
    assert float(stable.b[-1]) == pytest.approx(b_star, abs=1e-6)
    unstable = descent_path(x, y, lr=1.1 * 2 / largest, steps=100)
    assert float(unstable.loss[-1]) > 1e3 * float(unstable.loss[0])


def test_path_does_not_touch_global_random_state() -> None:
    x, y = _data()
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    descent_path(x, y, lr=0.1, steps=3)
    assert torch.equal(torch.rand(1), before)


def test_path_errors() -> None:
    x, y = _data()
    with pytest.raises(ValueError, match=r"lr must be > 0\.0"):
        descent_path(x, y, lr=0.0, steps=3)
    with pytest.raises(TypeError, match="steps must be an int"):
        descent_path(x, y, lr=0.1, steps=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="steps must be >= 1"):
        descent_path(x, y, lr=0.1, steps=0)
    with pytest.raises(TypeError, match="w0 must be a real number"):
        descent_path(x, y, lr=0.1, steps=1, w0=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="same length"):
        descent_path(x, y[:3], lr=0.1, steps=1)
