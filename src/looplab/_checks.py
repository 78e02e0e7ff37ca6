"""Argument checks shared by every looplab module.

Each helper raises ``TypeError`` when a value has the wrong type and
``ValueError`` when it has the right type but an allowed range is broken. The
message always names the argument and says what is allowed.
"""

from __future__ import annotations

import numbers
from typing import Any


def check_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``) at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_float(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
) -> float:
    """Return ``value`` as a float if it is a real number inside the allowed range.

    ``strict_minimum=True`` excludes the minimum itself (``value > minimum``).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    number = float(value)
    if number != number:  # NaN
        raise ValueError(f"{name} must not be NaN")
    if minimum is not None:
        if strict_minimum and number <= minimum:
            raise ValueError(f"{name} must be > {minimum}, got {number}")
        if not strict_minimum and number < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {number}")
    return number


def check_seed32(name: str, value: Any) -> int:
    """Return ``value`` if it is an int in ``[0, 2**32)``, the range NumPy's generators accept."""
    seed = check_int(name, value, minimum=0)
    if seed >= 2**32:
        raise ValueError(f"{name} must be < 2**32, got {seed}")
    return seed
