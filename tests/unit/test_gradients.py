"""Tests of looplab.gradients: finite differences, relative error, gradient checks."""

from __future__ import annotations

import math

import pytest
import torch
from torch import Tensor

from looplab.gradients import GradientCheck, gradient_check, numerical_gradient, relative_error


def _cubic_sum(x: Tensor) -> Tensor:
    return (x**3).sum()


def _x() -> Tensor:
    return torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.25]], dtype=torch.float64)


# numerical_gradient ---------------------------------------------------------


def test_central_matches_exact_gradient_for_any_shape() -> None:
    x = _x()
    grad = numerical_gradient(_cubic_sum, x)
    assert grad.shape == x.shape
    assert grad.dtype == torch.float64
    torch.testing.assert_close(grad, 3 * x**2, rtol=0, atol=1e-8)


def test_forward_is_less_accurate_than_central() -> None:
    x = _x()
    exact = 3 * x**2
    forward = numerical_gradient(_cubic_sum, x, h=1e-3, method="forward")
    central = numerical_gradient(_cubic_sum, x, h=1e-3, method="central")
    forward_error = (forward - exact).abs().max().item()
    central_error = (central - exact).abs().max().item()
    # forward: 3 x h + h**2 at |x| = 2 -> about 6e-3; central: h**2 -> 1e-6
    assert forward_error == pytest.approx(3 * 2 * 1e-3 + 1e-6, rel=1e-3)
    assert central_error == pytest.approx(1e-6, rel=1e-3)


def test_truncation_orders() -> None:
    x = torch.tensor([1.0], dtype=torch.float64)
    exact = math.exp(1.0)

    def error(h: float, method: str) -> float:
        estimate = numerical_gradient(lambda t: t.exp().sum(), x, h=h, method=method)  # type: ignore[arg-type]
        return abs(estimate.item() - exact)

    assert error(1e-2, "forward") / error(1e-3, "forward") == pytest.approx(10, rel=0.02)
    assert error(1e-2, "central") / error(1e-3, "central") == pytest.approx(100, rel=0.02)


def test_scalar_and_non_contiguous_inputs() -> None:
    scalar = torch.tensor(2.0, dtype=torch.float64)
    assert numerical_gradient(lambda t: t**2, scalar).item() == pytest.approx(4.0, abs=1e-8)
    transposed = _x().t()
    assert not transposed.is_contiguous()
    grad = numerical_gradient(_cubic_sum, transposed)
    torch.testing.assert_close(grad, 3 * transposed**2, rtol=0, atol=1e-8)


def test_input_is_not_modified_and_needs_no_grad() -> None:
    x = _x().requires_grad_(True)
    before = x.detach().clone()
    grad = numerical_gradient(_cubic_sum, x)
    assert torch.equal(x.detach(), before)
    assert not grad.requires_grad


def test_float32_input_is_refused_with_advice() -> None:
    with pytest.raises(TypeError, match=r"x must be a float64 tensor, got torch.float32.*x.double\(\)"):
        numerical_gradient(_cubic_sum, _x().float())


def test_non_tensor_input_is_refused() -> None:
    with pytest.raises(TypeError, match="x must be a torch tensor, got list"):
        numerical_gradient(_cubic_sum, [1.0, 2.0])  # type: ignore[arg-type]


def test_float32_output_is_refused() -> None:
    with pytest.raises(TypeError, match=r"f must return a float64 value, got torch.float32"):
        numerical_gradient(lambda t: t.float().sum(), _x())


def test_non_scalar_output_is_refused() -> None:
    with pytest.raises(ValueError, match=r"f must return a single number, got a tensor of shape \(2, 3\)"):
        numerical_gradient(lambda t: t**2, _x())


def test_non_tensor_output_is_refused() -> None:
    with pytest.raises(TypeError, match="f must return a torch tensor, got float"):
        numerical_gradient(lambda t: 1.0, _x())  # type: ignore[arg-type, return-value]


@pytest.mark.parametrize("h", [0.0, -1e-3])
def test_non_positive_step_is_refused(h: float) -> None:
    with pytest.raises(ValueError, match=r"h must be > 0\.0"):
        numerical_gradient(_cubic_sum, _x(), h=h)


def test_infinite_step_is_refused() -> None:
    with pytest.raises(ValueError, match="h must be finite"):
        numerical_gradient(_cubic_sum, _x(), h=math.inf)


def test_step_must_be_a_number() -> None:
    with pytest.raises(TypeError, match="h must be a real number, got str"):
        numerical_gradient(_cubic_sum, _x(), h="1e-6")  # type: ignore[arg-type]


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match=r"method must be one of \('central', 'forward'\), got 'backward'"):
        numerical_gradient(_cubic_sum, _x(), method="backward")  # type: ignore[arg-type]


# relative_error -------------------------------------------------------------


def test_relative_error_values() -> None:
    a = torch.tensor([3.0, 4.0], dtype=torch.float64)
    assert relative_error(a, a) == 0.0
    assert relative_error(a, a / 2) == pytest.approx(0.5)
    assert relative_error(a, -a) == pytest.approx(2.0)
    assert relative_error(torch.zeros(3), torch.zeros(3)) == 0.0
    assert relative_error(torch.zeros(2, dtype=torch.float64), a) == pytest.approx(1.0)


def test_relative_error_is_symmetric_and_scale_free() -> None:
    a = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    b = torch.tensor([1.0, 2.5, 2.0], dtype=torch.float64)
    assert relative_error(a, b) == pytest.approx(relative_error(b, a))
    assert relative_error(1e6 * a, 1e6 * b) == pytest.approx(relative_error(a, b))


def test_relative_error_refuses_bad_arguments() -> None:
    with pytest.raises(TypeError, match="b must be a floating-point torch tensor"):
        relative_error(torch.zeros(2), torch.zeros(2, dtype=torch.int64))
    with pytest.raises(TypeError, match="a must be a floating-point torch tensor, got list"):
        relative_error([0.0], torch.zeros(1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"a and b must have the same shape, got \(2,\) and \(3,\)"):
        relative_error(torch.zeros(2), torch.zeros(3))


# gradient_check -------------------------------------------------------------


def test_gradient_check_passes_for_autograd() -> None:
    x = _x()
    check = gradient_check(lambda t: (t.sin() * t).sum(), x)
    assert isinstance(check, GradientCheck)
    assert check.passed
    assert check.relative_error < 1e-8
    torch.testing.assert_close(check.analytical, x.sin() + x * x.cos())
    assert check.numerical.shape == x.shape


class _WrongSquare(torch.autograd.Function):
    """x**2 with a backward that forgets the factor 2."""

    @staticmethod
    def forward(ctx: torch.autograd.function.FunctionCtx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return torch.square(x)

    @staticmethod
    def backward(ctx: torch.autograd.function.FunctionCtx, grad_out: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors  # type: ignore[attr-defined]
        return torch.mul(grad_out, x)


def test_gradient_check_catches_a_wrong_backward() -> None:
    check = gradient_check(lambda t: _WrongSquare.apply(t).sum(), _x())
    assert not check.passed
    assert check.relative_error == pytest.approx(0.5, abs=1e-8)


def test_gradient_check_of_constant_function() -> None:
    check = gradient_check(lambda t: torch.tensor(1.0, dtype=torch.float64), _x())
    assert check.passed
    assert torch.equal(check.analytical, torch.zeros_like(_x()))
    assert check.relative_error == 0.0


def test_gradient_check_leaves_input_alone() -> None:
    x = _x()
    gradient_check(_cubic_sum, x)
    assert not x.requires_grad
    assert x.grad is None


def test_gradient_check_validates_arguments() -> None:
    with pytest.raises(TypeError, match="x must be a float64 tensor"):
        gradient_check(_cubic_sum, _x().float())
    with pytest.raises(ValueError, match=r"tolerance must be > 0\.0"):
        gradient_check(_cubic_sum, _x(), tolerance=0.0)
    with pytest.raises(ValueError, match=r"h must be > 0\.0"):
        gradient_check(_cubic_sum, _x(), h=0.0)
    with pytest.raises(TypeError, match="f must return a float64 value"):
        gradient_check(lambda t: t.float().sum(), _x())
