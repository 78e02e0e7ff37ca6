"""Numerical gradients by finite differences, and gradient checks against autograd.

A finite-difference gradient needs nothing but the function's values, so it is
an independent check of a gradient that was derived by hand or computed by a
backward pass. It costs two function evaluations per input entry (central
differences), which is why it checks gradients and never trains with them.

Everything here works in float64 and *refuses* other dtypes instead of
converting silently: with float32 (machine epsilon about 1.2e-7) the round-off
error of a difference quotient with ``h = 1e-6`` is of the order of 0.1, so a
silent conversion would hide exactly the mistake the check exists to catch.
Convert explicitly with ``x.double()`` (and ``model.double()``) before calling.

Introduced in lesson 1.5 (:doc:`/book/module1/1-5-numerical-vs-analytical-gradients`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import torch
from torch import Tensor

from looplab._checks import check_float

__all__ = ["GradientCheck", "gradient_check", "numerical_gradient", "relative_error"]

ScalarFn = Callable[[Tensor], Tensor]
Method = Literal["central", "forward"]
_METHODS = ("central", "forward")


def _check_float64_tensor(name: str, value: object) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(f"{name} must be a torch tensor, got {type(value).__name__}")
    if value.dtype != torch.float64:
        raise TypeError(
            f"{name} must be a float64 tensor, got {value.dtype}; finite differences in lower "
            f"precision drown in round-off error, so convert explicitly with {name}.double()"
        )
    return value


def _check_step(h: float) -> float:
    h = check_float("h", h, minimum=0.0, strict_minimum=True)
    if not math.isfinite(h):
        raise ValueError(f"h must be finite, got {h}")
    return h


def _scalar_value(f: ScalarFn, x: Tensor) -> Tensor:
    value = f(x)
    if not isinstance(value, Tensor):
        raise TypeError(f"f must return a torch tensor, got {type(value).__name__}")
    if value.numel() != 1:
        raise ValueError(f"f must return a single number, got a tensor of shape {tuple(value.shape)}")
    if value.dtype != torch.float64:
        raise TypeError(
            f"f must return a float64 value, got {value.dtype}; make every tensor f uses float64 "
            "(for a model, call model.double())"
        )
    return value.reshape(())


def numerical_gradient(
    f: ScalarFn,
    x: Tensor,
    *,
    h: float = 1e-6,
    method: Method = "central",
) -> Tensor:
    """The gradient of a scalar function ``f`` at ``x``, by finite differences.

    Each entry ``x[i]`` is moved by ``h`` while the others stay put:

    - ``"central"``: ``(f(x + h e_i) - f(x - h e_i)) / (2 h)``, truncation error
      of order ``h**2``; two evaluations per entry.
    - ``"forward"``: ``(f(x + h e_i) - f(x)) / h``, truncation error of order
      ``h``; one evaluation per entry plus one at ``x``.

    ``f`` is called under ``torch.no_grad()`` on a copy of ``x``; ``x`` itself is
    never modified. The default ``h = 1e-6`` is close to the best step for
    central differences in float64 when ``f`` and its derivatives are of order
    one (lesson 1.5 derives it); scale it with ``x`` for inputs far from that.

    Introduced in lesson 1.5.

    Args:
        f: function of one tensor shaped like ``x`` that returns a single
            float64 number (a tensor with one element).
        x: the point, a float64 tensor of any shape.
        h: the step, a positive finite number.
        method: ``"central"`` (default) or ``"forward"``.

    Returns:
        A float64 tensor of the same shape as ``x``.

    Raises:
        TypeError: if ``x`` is not a float64 tensor, ``f`` does not return a
            float64 tensor, or ``h`` is not a real number.
        ValueError: if ``h`` is not positive and finite, ``method`` is unknown,
            or ``f`` returns more than one number.
    """
    x = _check_float64_tensor("x", x)
    h = _check_step(h)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    point = x.detach().clone(memory_format=torch.contiguous_format)
    flat = point.view(-1)
    gradient = torch.zeros_like(flat)
    with torch.no_grad():
        at_x = _scalar_value(f, point) if method == "forward" else None
        for i in range(flat.numel()):
            original = flat[i].item()
            flat[i] = original + h
            above = _scalar_value(f, point)
            if at_x is None:
                flat[i] = original - h
                below = _scalar_value(f, point)
                gradient[i] = (above - below) / (2 * h)
            else:
                gradient[i] = (above - at_x) / h
            flat[i] = original
    return gradient.view_as(x)


def relative_error(a: Tensor, b: Tensor) -> float:
    """The size of ``a - b`` relative to the larger of the two: ``‖a − b‖ / max(‖a‖, ‖b‖)``.

    Norms are Euclidean norms over all entries, so the value does not depend on
    the tensors' shape or on the scale of the gradient: 0 means equal, values
    near 1e-8 are what two correct float64 gradients usually give, and values
    near 1 mean they disagree completely. Two all-zero tensors give 0.

    Introduced in lesson 1.5.

    Args:
        a: a floating-point tensor.
        b: a floating-point tensor of the same shape.

    Raises:
        TypeError: if ``a`` or ``b`` is not a floating-point tensor.
        ValueError: if their shapes differ.
    """
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, Tensor) or not value.is_floating_point():
            raise TypeError(f"{name} must be a floating-point torch tensor, got {type(value).__name__}")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    a64 = a.detach().double()
    b64 = b.detach().double()
    scale = max(torch.linalg.vector_norm(a64).item(), torch.linalg.vector_norm(b64).item())
    if scale == 0.0:
        return 0.0
    return float(torch.linalg.vector_norm(a64 - b64).item() / scale)


@dataclass(frozen=True)
class GradientCheck:
    """The result of :func:`gradient_check`.

    Attributes:
        analytical: the gradient autograd computed, float64, shaped like ``x``.
        numerical: the finite-difference gradient, float64, shaped like ``x``.
        relative_error: :func:`relative_error` of the two.
        tolerance: the largest relative error that counts as a pass.
    """

    analytical: Tensor
    numerical: Tensor
    relative_error: float
    tolerance: float

    @property
    def passed(self) -> bool:
        """Whether the relative error is at most the tolerance."""
        return self.relative_error <= self.tolerance


def gradient_check(
    f: ScalarFn,
    x: Tensor,
    *,
    h: float = 1e-6,
    tolerance: float = 1e-6,
) -> GradientCheck:
    """Compare the autograd gradient of ``f`` at ``x`` with central differences.

    The analytical gradient is ``torch.autograd.grad`` of ``f`` at a detached
    copy of ``x`` that requires grad (an input ``f`` does not use gets a zero
    gradient); the numerical one is :func:`numerical_gradient` with the central
    method. With float64 and a smooth ``f``, a correct gradient gives a relative
    error far below the default tolerance of 1e-6, and a wrong one (a missing
    factor, a wrong sign) gives an error of order 0.1 to 1.

    Introduced in lesson 1.5.

    Args:
        f: differentiable function of one tensor shaped like ``x`` that returns
            a single float64 number.
        x: the point, a float64 tensor of any shape.
        h: the finite-difference step, a positive finite number.
        tolerance: the largest relative error that counts as a pass (positive).

    Returns:
        A :class:`GradientCheck` with both gradients and their relative error.

    Raises:
        TypeError: if ``x`` is not a float64 tensor or ``f`` does not return a
            float64 tensor.
        ValueError: if ``h`` or ``tolerance`` is not positive, or ``f``
            returns more than one number.
    """
    x = _check_float64_tensor("x", x)
    h = _check_step(h)
    tolerance = check_float("tolerance", tolerance, minimum=0.0, strict_minimum=True)
    point = x.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        value = _scalar_value(f, point)
        if value.requires_grad:
            (grad,) = torch.autograd.grad(value, point, allow_unused=True)
        else:
            grad = None
    analytical = torch.zeros_like(x) if grad is None else grad.detach()
    numerical = numerical_gradient(f, x, h=h, method="central")
    return GradientCheck(
        analytical=analytical,
        numerical=numerical,
        relative_error=relative_error(analytical, numerical),
        tolerance=tolerance,
    )
