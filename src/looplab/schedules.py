"""Learning-rate schedules: closed forms, a plateau reducer, and the history of any torch scheduler.

Every schedule here is a plain function of the epoch (or, for the one-cycle
policy, of the optimizer step): ``step_decay(3, 0.1, 2, 0.5)`` is the learning
rate in effect during epoch 3, that is after three calls of
``scheduler.step()``. Each one reproduces the matching
``torch.optim.lr_scheduler`` class to floating-point precision, as the unit
tests check for many parameter settings:

============================  ===========================================================
function                      torch scheduler
============================  ===========================================================
:func:`step_decay`            ``StepLR``
:func:`exponential_decay`     ``ExponentialLR``
:func:`cosine_annealing`      ``CosineAnnealingLR``
:func:`cosine_warm_restarts`  ``CosineAnnealingWarmRestarts``
:func:`linear_warmup`         ``LinearLR`` (``end_factor=1``)
:func:`warmup_cosine`         ``SequentialLR`` of ``LinearLR`` then ``CosineAnnealingLR``
:func:`one_cycle`             ``OneCycleLR`` (stepped once per batch)
:func:`reduce_on_plateau`     ``ReduceLROnPlateau`` (needs the monitored values)
============================  ===========================================================

:func:`lr_table` and :func:`max_abs_difference` print such sequences side by side.
Introduced in lesson 3.2 (:doc:`/book/module3/3-2-learning-rate-scheduling`).
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping, Sequence
from typing import Literal

from torch.optim.lr_scheduler import LRScheduler, ReduceLROnPlateau

from looplab._checks import check_float, check_int

__all__ = [
    "PlateauReducer",
    "cosine_annealing",
    "cosine_warm_restarts",
    "exponential_decay",
    "linear_warmup",
    "lr_history",
    "lr_table",
    "max_abs_difference",
    "one_cycle",
    "reduce_on_plateau",
    "step_decay",
    "warmup_cosine",
]


def lr_history(
    scheduler: LRScheduler | ReduceLROnPlateau,
    steps: int,
    metrics: Sequence[float] | None = None,
) -> list[float]:
    """The learning rate in effect during each of ``steps`` epochs.

    The first value is the rate before any ``scheduler.step()``; after each
    recorded epoch but the last the scheduler is stepped once, as a training
    loop would do (so a ``OneCycleLR`` built with ``total_steps=steps`` fits). For a
    ``ReduceLROnPlateau`` scheduler, ``metrics[i]`` is the monitored value
    passed to ``step`` after epoch ``i``. Only the first parameter group is read.

    The scheduler (and its optimizer) is advanced in place, so pass a fresh one.
    No ``optimizer.step()`` is taken, so PyTorch's order warning is silenced here.
    Introduced in lesson 3.2.

    Args:
        scheduler: a ``torch.optim.lr_scheduler`` instance.
        steps: number of epochs to record (at least 1).
        metrics: one monitored value per epoch; required for plateau
            schedulers and not allowed for the others.

    Raises:
        TypeError: if ``scheduler`` is not a torch scheduler or ``steps`` not an int.
        ValueError: if ``steps < 1`` or ``metrics`` is missing, misplaced or too short.
    """
    if not isinstance(scheduler, (LRScheduler, ReduceLROnPlateau)):
        raise TypeError(
            "scheduler must be a torch.optim.lr_scheduler.LRScheduler or ReduceLROnPlateau, "
            f"got {type(scheduler).__name__}"
        )
    steps = check_int("steps", steps, minimum=1)
    plateau = isinstance(scheduler, ReduceLROnPlateau)
    if plateau and metrics is None:
        raise ValueError("metrics is required for ReduceLROnPlateau (one value per step)")
    if not plateau and metrics is not None:
        raise ValueError("metrics is only allowed for ReduceLROnPlateau schedulers")
    if metrics is not None and len(metrics) < steps:
        raise ValueError(f"metrics must have at least steps={steps} values, got {len(metrics)}")

    optimizer = scheduler.optimizer
    history: list[float] = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*lr_scheduler\.step\(\)", category=UserWarning)
        for i in range(steps):
            history.append(float(optimizer.param_groups[0]["lr"]))
            if i == steps - 1:
                break
            if isinstance(scheduler, ReduceLROnPlateau):
                assert metrics is not None
                scheduler.step(float(metrics[i]))
            else:
                scheduler.step()
    return history


# ---------------------------------------------------------------------------
# Closed-form schedules
# ---------------------------------------------------------------------------


def _check_base_lr(name: str, value: float) -> float:
    return check_float(name, value, minimum=0.0, strict_minimum=True)


def _check_eta_min(eta_min: float, base_lr: float) -> float:
    eta_min = check_float("eta_min", eta_min, minimum=0.0)
    if eta_min > base_lr:
        raise ValueError(f"eta_min must be <= base_lr={base_lr}, got {eta_min}")
    return eta_min


def _check_gamma(gamma: float) -> float:
    return check_float("gamma", gamma, minimum=0.0, maximum=1.0, strict_minimum=True)


def _check_start_factor(start_factor: float) -> float:
    return check_float("start_factor", start_factor, minimum=0.0, maximum=1.0, strict_minimum=True)


def _cosine(t: float, period: float, base_lr: float, eta_min: float) -> float:
    """Half a cosine from ``base_lr`` (at ``t = 0``) down to ``eta_min`` (at ``t = period``)."""
    return eta_min + (base_lr - eta_min) * (1.0 + math.cos(math.pi * t / period)) / 2.0


def step_decay(epoch: int, base_lr: float, step_size: int, gamma: float = 0.1) -> float:
    """Step decay: ``base_lr * gamma ** (epoch // step_size)``, like ``StepLR``.

    The rate stays flat for ``step_size`` epochs, then is multiplied by
    ``gamma``. Introduced in lesson 3.2.

    Args:
        epoch: epochs completed so far (scheduler steps taken), ``>= 0``.
        base_lr: the rate of epoch 0, ``> 0``.
        step_size: epochs between two decays, ``>= 1``.
        gamma: factor applied at each decay, in ``(0, 1]``.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is outside the range given above.
    """
    epoch = check_int("epoch", epoch, minimum=0)
    base_lr = _check_base_lr("base_lr", base_lr)
    step_size = check_int("step_size", step_size, minimum=1)
    gamma = _check_gamma(gamma)
    return base_lr * gamma ** (epoch // step_size)


def exponential_decay(epoch: int, base_lr: float, gamma: float) -> float:
    """Exponential decay: ``base_lr * gamma ** epoch``, like ``ExponentialLR``.

    Introduced in lesson 3.2.

    Args:
        epoch: epochs completed so far, ``>= 0``.
        base_lr: the rate of epoch 0, ``> 0``.
        gamma: factor applied after every epoch, in ``(0, 1]``.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is outside the range given above.
    """
    epoch = check_int("epoch", epoch, minimum=0)
    base_lr = _check_base_lr("base_lr", base_lr)
    gamma = _check_gamma(gamma)
    return base_lr * gamma**epoch


def cosine_annealing(epoch: int, base_lr: float, t_max: int, eta_min: float = 0.0) -> float:
    """Cosine annealing from ``base_lr`` to ``eta_min`` over ``t_max`` epochs, like ``CosineAnnealingLR``.

    ``eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / t_max)) / 2``.
    Like PyTorch's scheduler, the formula is not clamped: after ``t_max`` the
    rate climbs back up along the same cosine (period ``2 * t_max``), so set
    ``t_max`` to the number of scheduler steps you will take. PyTorch computes
    the same values with a recursive update; the two agree to rounding error.
    Introduced in lesson 3.2.

    Args:
        epoch: epochs completed so far, ``>= 0``.
        base_lr: the rate of epoch 0, ``> 0``.
        t_max: epochs from ``base_lr`` down to ``eta_min``, ``>= 1``.
        eta_min: the lowest rate, in ``[0, base_lr]``.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is outside the range given above.
    """
    epoch = check_int("epoch", epoch, minimum=0)
    base_lr = _check_base_lr("base_lr", base_lr)
    t_max = check_int("t_max", t_max, minimum=1)
    eta_min = _check_eta_min(eta_min, base_lr)
    return _cosine(epoch, t_max, base_lr, eta_min)


def cosine_warm_restarts(
    epoch: int, base_lr: float, t_0: int, t_mult: int = 1, eta_min: float = 0.0
) -> float:
    """Cosine annealing restarted every cycle (SGDR), like ``CosineAnnealingWarmRestarts``.

    Cycle ``i`` (from 0) lasts ``t_0 * t_mult ** i`` epochs; inside it the rate
    follows :func:`cosine_annealing` with ``t_max`` equal to the cycle length,
    and jumps back to ``base_lr`` when the next cycle starts. The cycle is
    found with integer arithmetic, so a restart epoch is never misplaced by
    the rounding of a logarithm. Introduced in lesson 3.2.

    Args:
        epoch: epochs completed so far, ``>= 0``.
        base_lr: the rate at the start of every cycle, ``> 0``.
        t_0: length of the first cycle, ``>= 1``.
        t_mult: factor by which each cycle is longer than the previous, ``>= 1``.
        eta_min: the lowest rate, in ``[0, base_lr]``.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is outside the range given above.
    """
    epoch = check_int("epoch", epoch, minimum=0)
    base_lr = _check_base_lr("base_lr", base_lr)
    t_0 = check_int("t_0", t_0, minimum=1)
    t_mult = check_int("t_mult", t_mult, minimum=1)
    eta_min = _check_eta_min(eta_min, base_lr)
    if t_mult == 1:
        t_cur, t_i = epoch % t_0, t_0
    else:
        t_cur, t_i = epoch, t_0
        while t_cur >= t_i:
            t_cur -= t_i
            t_i *= t_mult
    return _cosine(t_cur, t_i, base_lr, eta_min)


def linear_warmup(epoch: int, base_lr: float, warmup_epochs: int, start_factor: float = 0.1) -> float:
    """Linear warmup from ``start_factor * base_lr`` to ``base_lr``, like ``LinearLR``.

    ``base_lr * (start_factor + (1 - start_factor) * min(epoch, warmup_epochs) / warmup_epochs)``;
    the rate stays at ``base_lr`` after the warmup. It matches
    ``LinearLR(optimizer, start_factor, end_factor=1.0, total_iters=warmup_epochs)``
    (whose own default ``start_factor`` is 1/3). Introduced in lesson 3.2.

    Args:
        epoch: epochs (or steps) completed so far, ``>= 0``.
        base_lr: the rate reached at the end of the warmup, ``> 0``.
        warmup_epochs: length of the warmup, ``>= 1``.
        start_factor: fraction of ``base_lr`` used in epoch 0, in ``(0, 1]``.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is outside the range given above.
    """
    epoch = check_int("epoch", epoch, minimum=0)
    base_lr = _check_base_lr("base_lr", base_lr)
    warmup_epochs = check_int("warmup_epochs", warmup_epochs, minimum=1)
    start_factor = _check_start_factor(start_factor)
    fraction = min(epoch, warmup_epochs) / warmup_epochs
    return base_lr * (start_factor + (1.0 - start_factor) * fraction)


def warmup_cosine(
    epoch: int,
    base_lr: float,
    warmup_epochs: int,
    total_epochs: int,
    start_factor: float = 0.1,
    eta_min: float = 0.0,
) -> float:
    """Linear warmup, then cosine annealing to ``eta_min`` at ``total_epochs``.

    For ``epoch < warmup_epochs`` it is :func:`linear_warmup`; from there on it
    is :func:`cosine_annealing` of ``epoch - warmup_epochs`` with
    ``t_max = total_epochs - warmup_epochs``, so the rate is ``base_lr`` at
    ``warmup_epochs`` and ``eta_min`` at ``total_epochs``. It matches
    ``SequentialLR(optimizer, [LinearLR(optimizer, start_factor, total_iters=warmup_epochs),
    CosineAnnealingLR(optimizer, T_max=total_epochs - warmup_epochs, eta_min=eta_min)],
    milestones=[warmup_epochs])``, including the climb after ``total_epochs``.
    Introduced in lesson 3.2.

    Args:
        epoch: epochs (or steps) completed so far, ``>= 0``.
        base_lr: the peak rate, ``> 0``.
        warmup_epochs: length of the warmup, ``>= 1``.
        total_epochs: length of the whole schedule, ``> warmup_epochs``.
        start_factor: fraction of ``base_lr`` used in epoch 0, in ``(0, 1]``.
        eta_min: the final rate, in ``[0, base_lr]``.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is outside the range given above.
    """
    epoch = check_int("epoch", epoch, minimum=0)
    base_lr = _check_base_lr("base_lr", base_lr)
    warmup_epochs = check_int("warmup_epochs", warmup_epochs, minimum=1)
    total_epochs = check_int("total_epochs", total_epochs, minimum=1)
    if total_epochs <= warmup_epochs:
        raise ValueError(f"total_epochs must be > warmup_epochs={warmup_epochs}, got {total_epochs}")
    start_factor = _check_start_factor(start_factor)
    eta_min = _check_eta_min(eta_min, base_lr)
    if epoch < warmup_epochs:
        return base_lr * (start_factor + (1.0 - start_factor) * epoch / warmup_epochs)
    return _cosine(epoch - warmup_epochs, total_epochs - warmup_epochs, base_lr, eta_min)


def one_cycle(
    step: int,
    max_lr: float,
    total_steps: int,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    anneal: Literal["cos", "linear"] = "cos",
    three_phase: bool = False,
) -> float:
    """The one-cycle policy at optimizer step ``step``, like ``OneCycleLR``.

    The rate starts at ``initial = max_lr / div_factor``, rises to ``max_lr``
    at step ``peak = pct_start * total_steps - 1``, then falls to
    ``final = initial / final_div_factor`` at step ``total_steps - 1``. With
    ``three_phase=True`` it instead falls back to ``initial`` at step
    ``2 * peak`` (a mirror image of the rise) and only then anneals to
    ``final``. Each phase interpolates with half a cosine (``anneal="cos"``) or
    a straight line (``"linear"``). Step ``total_steps`` (the state after the
    last update) is allowed, as in PyTorch; later steps are not. The
    momentum cycling of ``OneCycleLR`` is not modelled. Introduced in lesson 3.2.

    Args:
        step: optimizer steps completed so far, in ``[0, total_steps]``.
        max_lr: the peak rate, ``> 0``.
        total_steps: number of optimizer steps in the cycle, ``>= 2``.
        pct_start: fraction of the steps spent rising, in ``(0, 1)``, with
            ``pct_start * total_steps > 1`` so the rise takes at least one step.
        div_factor: ``max_lr / initial``, ``>= 1``.
        final_div_factor: ``initial / final``, ``>= 1``.
        anneal: ``"cos"`` or ``"linear"``.
        three_phase: use the symmetric rise and fall plus a final annealing phase.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is outside the range given above or the
            phases it implies would be empty.
    """
    total_steps = check_int("total_steps", total_steps, minimum=2)
    step = check_int("step", step, minimum=0)
    if step > total_steps:
        raise ValueError(f"step must be <= total_steps={total_steps}, got {step}")
    max_lr = _check_base_lr("max_lr", max_lr)
    pct_start = check_float("pct_start", pct_start, minimum=0.0, maximum=1.0, strict_minimum=True)
    div_factor = check_float("div_factor", div_factor, minimum=1.0)
    final_div_factor = check_float("final_div_factor", final_div_factor, minimum=1.0)
    if anneal not in ("cos", "linear"):
        raise ValueError(f"anneal must be 'cos' or 'linear', got {anneal!r}")
    if not isinstance(three_phase, bool):
        raise TypeError(f"three_phase must be a bool, got {type(three_phase).__name__}")

    initial = max_lr / div_factor
    final = initial / final_div_factor
    peak = pct_start * total_steps - 1.0
    last = float(total_steps - 1)
    if peak <= 0.0:
        raise ValueError(
            "pct_start * total_steps must be > 1 so that the rise lasts at least one step, "
            f"got {pct_start} * {total_steps}"
        )
    phases: list[tuple[float, float, float]]  # (end step, start rate, end rate)
    if three_phase:
        if 2.0 * peak >= last:
            raise ValueError(
                "three_phase=True needs 2 * (pct_start * total_steps - 1) < total_steps - 1, "
                f"got pct_start={pct_start} and total_steps={total_steps}"
            )
        phases = [(peak, initial, max_lr), (2.0 * peak, max_lr, initial), (last, initial, final)]
    else:
        if peak >= last:
            raise ValueError(
                "pct_start * total_steps - 1 must be < total_steps - 1 so that the rate can fall, "
                f"got pct_start={pct_start} and total_steps={total_steps}"
            )
        phases = [(peak, initial, max_lr), (last, max_lr, final)]

    phase_start = 0.0
    for index, (phase_end, start_lr, end_lr) in enumerate(phases):
        if step <= phase_end or index == len(phases) - 1:
            fraction = (step - phase_start) / (phase_end - phase_start)
            if anneal == "cos":
                return end_lr + (start_lr - end_lr) * (1.0 + math.cos(math.pi * fraction)) / 2.0
            return start_lr + (end_lr - start_lr) * fraction
        phase_start = phase_end
    raise AssertionError("unreachable: the last phase always matches")  # pragma: no cover


# ---------------------------------------------------------------------------
# Plateau-based reduction
# ---------------------------------------------------------------------------


class PlateauReducer:
    """A pure-Python ``ReduceLROnPlateau``: cut the rate when a monitored value stops improving.

    Call :meth:`step` once per epoch with the monitored value (usually the
    validation loss); it returns the rate for the next epoch. The rules are
    PyTorch's, step for step:

    1. *Improvement test.* In ``"min"`` mode with ``threshold_mode="rel"`` a
       value improves on the best so far when ``value < best * (1 - threshold)``;
       with ``"abs"`` when ``value < best - threshold``. ``"max"`` mode mirrors
       both (``best * (1 + threshold)``, ``best + threshold``). The first value
       always improves (``best`` starts at ``inf``, or ``-inf`` for ``"max"``).
    2. An improvement resets the count of bad epochs; otherwise it grows by one.
    3. During a cooldown the counter of cooldown epochs is decreased and bad
       epochs are not counted.
    4. When the count of bad epochs exceeds ``patience``, the rate becomes
       ``max(lr * factor, min_lr)`` (unless that changes it by ``eps`` or less),
       the cooldown starts and the count restarts from zero.

    Introduced in lesson 3.2.

    Args:
        base_lr: the starting rate, ``> 0``.
        mode: ``"min"`` (a loss) or ``"max"`` (an accuracy).
        factor: multiplier of a reduction, in ``(0, 1)``.
        patience: bad epochs tolerated before a reduction, ``>= 0``.
        threshold: the margin an improvement must clear, ``>= 0`` (and ``< 1``
            in ``"rel"`` mode).
        threshold_mode: ``"rel"`` (a fraction of the best value) or ``"abs"``.
        cooldown: epochs after a reduction during which bad epochs are ignored, ``>= 0``.
        min_lr: the rate never goes below this, ``>= 0``.
        eps: reductions smaller than or equal to this are skipped, ``>= 0``.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is outside the range given above.
    """

    def __init__(
        self,
        base_lr: float,
        *,
        mode: Literal["min", "max"] = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: Literal["rel", "abs"] = "rel",
        cooldown: int = 0,
        min_lr: float = 0.0,
        eps: float = 1e-8,
    ) -> None:
        self.lr = _check_base_lr("base_lr", base_lr)
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        self.mode = mode
        self.threshold_mode = threshold_mode
        self.factor = check_float("factor", factor, minimum=0.0, strict_minimum=True)
        if self.factor >= 1.0:
            raise ValueError(f"factor must be < 1, got {self.factor}")
        self.patience = check_int("patience", patience, minimum=0)
        self.threshold = check_float("threshold", threshold, minimum=0.0)
        if threshold_mode == "rel" and self.threshold >= 1.0:
            raise ValueError(f"threshold must be < 1 when threshold_mode='rel', got {self.threshold}")
        self.cooldown = check_int("cooldown", cooldown, minimum=0)
        self.min_lr = check_float("min_lr", min_lr, minimum=0.0)
        self.eps = check_float("eps", eps, minimum=0.0)
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0

    def _improves(self, value: float) -> bool:
        if self.mode == "min":
            if self.threshold_mode == "rel":
                return value < self.best * (1.0 - self.threshold)
            return value < self.best - self.threshold
        if self.threshold_mode == "rel":
            return value > self.best * (1.0 + self.threshold)
        return value > self.best + self.threshold

    def step(self, value: float) -> float:
        """Record one epoch's monitored value and return the rate for the next epoch.

        Raises:
            TypeError: if ``value`` is not a real number.
            ValueError: if ``value`` is NaN (a diverged run needs stopping, not a smaller rate).
        """
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"value must be a real number, got {type(value).__name__}")
        current = float(value)
        if math.isnan(current):
            raise ValueError("value must not be NaN")
        if self._improves(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            new_lr = max(self.lr * self.factor, self.min_lr)
            if self.lr - new_lr > self.eps:
                self.lr = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        return self.lr


def reduce_on_plateau(
    metrics: Sequence[float],
    base_lr: float,
    *,
    mode: Literal["min", "max"] = "min",
    factor: float = 0.1,
    patience: int = 10,
    threshold: float = 1e-4,
    threshold_mode: Literal["rel", "abs"] = "rel",
    cooldown: int = 0,
    min_lr: float = 0.0,
    eps: float = 1e-8,
) -> list[float]:
    """The rate in effect during each epoch when ``metrics[i]`` is measured at the end of epoch ``i``.

    Element ``i`` of the result is the rate epoch ``i`` was trained with, so it
    depends on ``metrics[:i]`` only (the last value would decide the rate of an
    epoch that is not in the list). This is the convention of
    :func:`lr_history` and of ``History.lr`` from :func:`looplab.train.fit`,
    which steps a ``ReduceLROnPlateau`` with the validation loss. The keyword
    arguments are those of :class:`PlateauReducer` and ``ReduceLROnPlateau``.
    Introduced in lesson 3.2.

    Raises:
        TypeError: if ``metrics`` is not a sequence of real numbers, or an
            argument has the wrong type.
        ValueError: if ``metrics`` is empty or holds a NaN, or an argument is
            out of range.
    """
    if isinstance(metrics, (str, bytes)) or not isinstance(metrics, Sequence):
        raise TypeError(f"metrics must be a sequence of numbers, got {type(metrics).__name__}")
    if len(metrics) == 0:
        raise ValueError("metrics must not be empty")
    reducer = PlateauReducer(
        base_lr,
        mode=mode,
        factor=factor,
        patience=patience,
        threshold=threshold,
        threshold_mode=threshold_mode,
        cooldown=cooldown,
        min_lr=min_lr,
        eps=eps,
    )
    rates = [reducer.lr]
    for value in metrics[:-1]:
        rates.append(reducer.step(value))
    return rates


# ---------------------------------------------------------------------------
# Comparing sequences
# ---------------------------------------------------------------------------


def _as_floats(name: str, values: Sequence[float]) -> list[float]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a sequence of numbers, got {type(values).__name__}")
    floats: list[float] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must hold real numbers, got a {type(value).__name__}")
        floats.append(float(value))
    return floats


def max_abs_difference(a: Sequence[float], b: Sequence[float]) -> float:
    """The largest ``|a[i] - b[i]|`` of two equally long sequences of rates.

    Introduced in lesson 3.2.

    Raises:
        TypeError: if a sequence does not hold real numbers.
        ValueError: if the sequences are empty or of different lengths.
    """
    first = _as_floats("a", a)
    second = _as_floats("b", b)
    if not first:
        raise ValueError("a and b must not be empty")
    if len(first) != len(second):
        raise ValueError(f"a and b must have the same length, got {len(first)} and {len(second)}")
    return max(abs(x - y) for x, y in zip(first, second, strict=True))


NumberFormat = Literal["auto", "g", "e", "f"]
#: The styles :func:`lr_table` writes numbers in.
NUMBER_FORMATS: tuple[NumberFormat, ...] = ("auto", "g", "e", "f")


def _column_cells(values: Sequence[float], digits: int, number_format: NumberFormat) -> list[str]:
    """One column of :func:`lr_table`, every value written in the same style."""
    if number_format == "f":
        return [f"{value:.{digits}f}" for value in values]
    if number_format == "e":
        return [f"{value:.{digits - 1}e}" for value in values]
    shortest = [f"{value:.{digits}g}" for value in values]
    if number_format == "g" or not any("e" in cell for cell in shortest):
        return shortest
    return [f"{value:.{digits - 1}e}" for value in values]


def lr_table(
    columns: Mapping[str, Sequence[float]],
    *,
    index: Sequence[int] | None = None,
    index_label: str = "epoch",
    digits: int = 6,
    number_format: NumberFormat = "auto",
) -> str:
    """Sequences of rates as a plain-text table, one row per epoch (or step).

    Values are right aligned under their column names, and every value of a
    column is written in the same style, so ``4e-07`` never stands beside
    ``0.00301576``. ``number_format`` picks the style:

    - ``"auto"`` (the default): per column, ``"g"`` when no value of the column
      needs an exponent there, else ``"e"`` for the whole column;
    - ``"g"``: ``digits`` significant digits, trailing zeros dropped (``0.0125``);
    - ``"e"``: ``digits`` significant digits in scientific notation (``1.250e-02``);
    - ``"f"``: ``digits`` decimals (``0.012500``).

    The first column holds ``index`` (``0, 1, 2, ...`` by default), so a table
    can show selected steps only. Nothing is printed: pass the string to
    ``print``. Introduced in lesson 3.2.

    Args:
        columns: column name -> sequence of values, all of the same length.
        index: row labels, one int per row; ``None`` numbers the rows from 0.
        index_label: name of the first column.
        digits: significant digits (decimals for ``"f"``), ``>= 1``.
        number_format: ``"auto"``, ``"g"``, ``"e"`` or ``"f"``, as above.

    Raises:
        TypeError: if ``columns`` is not a mapping of sequences of numbers,
            ``index`` not a sequence of ints, or ``number_format`` not a str.
        ValueError: if ``columns`` is empty, its sequences are empty or of
            different lengths, ``index`` has a different length, or
            ``number_format`` is not one of the four styles.
    """
    if not isinstance(columns, Mapping):
        raise TypeError(f"columns must be a mapping of name -> values, got {type(columns).__name__}")
    if not columns:
        raise ValueError("columns must hold at least one column")
    if not isinstance(index_label, str):
        raise TypeError(f"index_label must be a str, got {type(index_label).__name__}")
    digits = check_int("digits", digits, minimum=1)
    if not isinstance(number_format, str):
        raise TypeError(f"number_format must be a str, got {type(number_format).__name__}")
    if number_format not in NUMBER_FORMATS:
        choices = ", ".join(repr(choice) for choice in NUMBER_FORMATS)
        raise ValueError(f"number_format must be one of {choices}, got {number_format!r}")
    data = {str(name): _as_floats(f"columns[{name!r}]", values) for name, values in columns.items()}
    lengths = {len(values) for values in data.values()}
    if len(lengths) != 1:
        raise ValueError(f"every column must have the same length, got lengths {sorted(lengths)}")
    (rows,) = lengths
    if rows == 0:
        raise ValueError("columns must not be empty sequences")
    if index is None:
        labels = [str(i) for i in range(rows)]
    else:
        if isinstance(index, (str, bytes)) or not isinstance(index, Sequence):
            raise TypeError(f"index must be a sequence of ints, got {type(index).__name__}")
        for label in index:
            if isinstance(label, bool) or not isinstance(label, numbers.Integral):
                raise TypeError(f"index must hold ints, got a {type(label).__name__}")
        labels = [str(int(label)) for label in index]
        if len(labels) != rows:
            raise ValueError(f"index must have {rows} values like the columns, got {len(labels)}")

    header = [index_label, *data]
    cells = [_column_cells(values, digits, number_format) for values in data.values()]
    body = [[labels[i], *(column[i] for column in cells)] for i in range(rows)]
    widths = [max(len(row[j]) for row in [header, *body]) for j in range(len(header))]
    lines = [
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *body]
    ]
    return "\n".join(lines)
