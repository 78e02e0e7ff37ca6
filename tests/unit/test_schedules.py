"""Tests of looplab.schedules: every closed form against its torch scheduler, and every error."""

from __future__ import annotations

import itertools
import math
import random
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal

import pytest
import torch
from torch.optim import SGD, Optimizer
from torch.optim.lr_scheduler import (
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    ExponentialLR,
    LinearLR,
    OneCycleLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
)

from looplab.schedules import (
    PlateauReducer,
    cosine_annealing,
    cosine_warm_restarts,
    exponential_decay,
    linear_warmup,
    lr_history,
    lr_table,
    max_abs_difference,
    one_cycle,
    reduce_on_plateau,
    step_decay,
    warmup_cosine,
)

REL = 1e-12


def make_optimizer(lr: float = 0.1) -> Optimizer:
    return SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def assert_agree(ours: Sequence[float], theirs: Sequence[float], scale: float) -> None:
    """Equal to ~1e-12 relative; ``scale * 1e-15`` absolute covers values that are (nearly) zero."""
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert math.isclose(a, b, rel_tol=REL, abs_tol=1e-15 * scale), f"index {i}: {a!r} != {b!r}"


# ---------------------------------------------------------------------------
# lr_history (its behaviour and signature predate the closed forms)
# ---------------------------------------------------------------------------


def test_lr_history_records_rate_before_each_step() -> None:
    scheduler = StepLR(make_optimizer(0.1), step_size=2, gamma=0.5)
    assert lr_history(scheduler, 5) == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025], rel=1e-15)
    assert scheduler.last_epoch == 4  # stepped steps - 1 times, in place


def test_lr_history_single_step_does_not_step() -> None:
    scheduler = ExponentialLR(make_optimizer(0.3), gamma=0.5)
    assert lr_history(scheduler, 1) == [0.3]
    assert scheduler.last_epoch == 0


def test_lr_history_plateau_uses_metrics_and_ignores_last() -> None:
    scheduler = ReduceLROnPlateau(make_optimizer(1.0), factor=0.5, patience=0)
    rates = lr_history(scheduler, 4, metrics=[1.0, 2.0, 3.0, 0.0])
    assert rates == [1.0, 1.0, 0.5, 0.25]


def test_lr_history_silences_the_order_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lr_history(CosineAnnealingLR(make_optimizer(), T_max=3), 4)


def test_lr_history_accepts_one_cycle_with_total_steps_equal_to_steps() -> None:
    rates = lr_history(OneCycleLR(make_optimizer(), max_lr=0.1, total_steps=10), 10)
    assert len(rates) == 10


def test_lr_history_errors() -> None:
    with pytest.raises(TypeError, match="scheduler must be a torch.optim.lr_scheduler.LRScheduler"):
        lr_history("StepLR", 3)  # type: ignore[arg-type]
    scheduler = StepLR(make_optimizer(), step_size=1)
    with pytest.raises(TypeError, match="steps must be an int, got float"):
        lr_history(scheduler, 2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="steps must be >= 1, got 0"):
        lr_history(scheduler, 0)
    with pytest.raises(ValueError, match="metrics is only allowed for ReduceLROnPlateau"):
        lr_history(scheduler, 2, metrics=[1.0, 2.0])
    plateau = ReduceLROnPlateau(make_optimizer())
    with pytest.raises(ValueError, match="metrics is required for ReduceLROnPlateau"):
        lr_history(plateau, 2)
    with pytest.raises(ValueError, match="metrics must have at least steps=3 values, got 2"):
        lr_history(plateau, 3, metrics=[1.0, 2.0])


# ---------------------------------------------------------------------------
# Closed forms against torch
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_lr", "step_size", "gamma"),
    list(itertools.product([0.1, 1.0, 3e-4], [1, 2, 5], [0.1, 0.5, 0.9, 1.0])),
)
def test_step_decay_matches_steplr(base_lr: float, step_size: int, gamma: float) -> None:
    epochs = 25
    theirs = lr_history(StepLR(make_optimizer(base_lr), step_size, gamma), epochs)
    ours = [step_decay(t, base_lr, step_size, gamma) for t in range(epochs)]
    assert_agree(ours, theirs, base_lr)


@pytest.mark.parametrize(
    ("base_lr", "gamma"), list(itertools.product([0.1, 1.0, 3e-4], [0.5, 0.9, 0.99, 1.0]))
)
def test_exponential_decay_matches_exponentiallr(base_lr: float, gamma: float) -> None:
    epochs = 40
    theirs = lr_history(ExponentialLR(make_optimizer(base_lr), gamma), epochs)
    ours = [exponential_decay(t, base_lr, gamma) for t in range(epochs)]
    assert_agree(ours, theirs, base_lr)


@pytest.mark.parametrize(
    ("base_lr", "t_max", "eta_fraction"),
    list(itertools.product([0.1, 1.0, 3e-4], [1, 2, 5, 10, 17, 100], [0.0, 1e-4, 0.5])),
)
def test_cosine_annealing_matches_recursive_cosineannealinglr(
    base_lr: float, t_max: int, eta_fraction: float
) -> None:
    eta_min = eta_fraction * base_lr
    epochs = 3 * t_max + 3  # past t_max: both climb back up the cosine
    theirs = lr_history(CosineAnnealingLR(make_optimizer(base_lr), t_max, eta_min), epochs)
    ours = [cosine_annealing(t, base_lr, t_max, eta_min) for t in range(epochs)]
    assert_agree(ours, theirs, base_lr)


def test_cosine_annealing_endpoints_and_climb() -> None:
    assert cosine_annealing(0, 0.1, 10, 0.001) == 0.1
    assert cosine_annealing(10, 0.1, 10, 0.001) == pytest.approx(0.001, rel=1e-15)
    assert cosine_annealing(5, 0.1, 10) == pytest.approx(0.05, rel=1e-15)
    assert cosine_annealing(15, 0.1, 10) == pytest.approx(cosine_annealing(5, 0.1, 10), rel=1e-15)


@pytest.mark.parametrize(
    ("base_lr", "t_0", "t_mult", "eta_min"),
    list(itertools.product([0.1, 1.0], [1, 2, 3, 5], [1, 2, 3], [0.0, 1e-3])),
)
def test_cosine_warm_restarts_matches_torch(base_lr: float, t_0: int, t_mult: int, eta_min: float) -> None:
    epochs = 60
    theirs = lr_history(CosineAnnealingWarmRestarts(make_optimizer(base_lr), t_0, t_mult, eta_min), epochs)
    ours = [cosine_warm_restarts(t, base_lr, t_0, t_mult, eta_min) for t in range(epochs)]
    assert_agree(ours, theirs, base_lr)


def test_cosine_warm_restarts_restart_epochs() -> None:
    # cycles of 2, 4, 8 epochs: restarts at epochs 2, 6 and 14
    for epoch in (0, 2, 6, 14):
        assert cosine_warm_restarts(epoch, 0.1, 2, 2) == 0.1
    assert cosine_warm_restarts(5, 0.1, 2, 2) < cosine_warm_restarts(4, 0.1, 2, 2)


@pytest.mark.parametrize(
    ("base_lr", "warmup", "start_factor"),
    list(itertools.product([0.1, 1.0], [1, 2, 5, 7], [0.01, 0.1, 1 / 3, 1.0])),
)
def test_linear_warmup_matches_linearlr(base_lr: float, warmup: int, start_factor: float) -> None:
    epochs = 12
    theirs = lr_history(LinearLR(make_optimizer(base_lr), start_factor, 1.0, warmup), epochs)
    ours = [linear_warmup(t, base_lr, warmup, start_factor) for t in range(epochs)]
    assert_agree(ours, theirs, base_lr)


@pytest.mark.parametrize(
    ("base_lr", "warmup", "total", "start_factor", "eta_min"),
    list(itertools.product([0.1, 1.0], [1, 2, 5], [6, 10, 23], [0.01, 0.1, 0.5], [0.0, 1e-4])),
)
def test_warmup_cosine_matches_sequentiallr(
    base_lr: float, warmup: int, total: int, start_factor: float, eta_min: float
) -> None:
    optimizer = make_optimizer(base_lr)
    scheduler = SequentialLR(
        optimizer,
        [
            LinearLR(optimizer, start_factor, total_iters=warmup),
            CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=eta_min),
        ],
        milestones=[warmup],
    )
    epochs = total + 6
    theirs = lr_history(scheduler, epochs)
    ours = [warmup_cosine(t, base_lr, warmup, total, start_factor, eta_min) for t in range(epochs)]
    assert_agree(ours, theirs, base_lr)
    assert ours[warmup] == base_lr
    assert ours[total] == pytest.approx(eta_min, abs=1e-15)


ONE_CYCLE_CASES = [
    case
    for case in itertools.product(
        [0.1, 1.0],
        [10, 37, 100],
        [0.15, 0.3, 0.45],
        [10.0, 25.0],
        [1e2, 1e4],
        ["cos", "linear"],
        [False, True],
    )
    if not (case[6] and 2 * (case[2] * case[1] - 1) >= case[1] - 1)
]


@pytest.mark.parametrize(
    ("max_lr", "total", "pct", "div", "final_div", "anneal", "three_phase"), ONE_CYCLE_CASES
)
def test_one_cycle_matches_onecyclelr(
    max_lr: float,
    total: int,
    pct: float,
    div: float,
    final_div: float,
    anneal: Literal["cos", "linear"],
    three_phase: bool,
) -> None:
    scheduler = OneCycleLR(
        make_optimizer(),
        max_lr,
        total,
        pct_start=pct,
        div_factor=div,
        final_div_factor=final_div,
        anneal_strategy=anneal,
        three_phase=three_phase,
    )
    theirs = lr_history(scheduler, total + 1)  # steps 0 .. total, as far as torch allows
    ours = [one_cycle(t, max_lr, total, pct, div, final_div, anneal, three_phase) for t in range(total + 1)]
    assert_agree(ours, theirs, max_lr)


def test_one_cycle_landmarks() -> None:
    total, max_lr = 100, 0.5
    assert one_cycle(0, max_lr, total) == pytest.approx(max_lr / 25, rel=1e-15)
    assert one_cycle(29, max_lr, total) == pytest.approx(max_lr, rel=1e-15)  # 0.3 * 100 - 1
    assert one_cycle(99, max_lr, total) == pytest.approx(max_lr / 25 / 1e4, rel=1e-12)
    assert one_cycle(58, max_lr, total, three_phase=True) == pytest.approx(max_lr / 25, rel=1e-15)


# ---------------------------------------------------------------------------
# Plateau reduction against torch
# ---------------------------------------------------------------------------

PLATEAU_SETTINGS = list(
    itertools.product(
        ["min", "max"],
        ["rel", "abs"],
        [0.1, 0.5],
        [0, 2],
        [0.0, 1e-4, 0.05],
        [0, 2],
        [0.0, 1e-3],
        [1e-8, 1e-3],
    )
)


def _metric_curves() -> list[list[float]]:
    rng = random.Random(0)
    noisy_decay = [1 / (1 + 0.3 * i) + 0.05 * rng.random() for i in range(40)]
    coarse = [round(rng.uniform(0, 1), 2) for _ in range(40)]
    negative = [-abs(rng.gauss(0, 1)) * (1 + i) for i in range(40)]
    flat = [0.5] * 40
    return [noisy_decay, coarse, negative, flat]


@pytest.mark.parametrize(
    ("mode", "threshold_mode", "factor", "patience", "threshold", "cooldown", "min_lr", "eps"),
    PLATEAU_SETTINGS,
)
def test_reduce_on_plateau_matches_torch(
    mode: Literal["min", "max"],
    threshold_mode: Literal["rel", "abs"],
    factor: float,
    patience: int,
    threshold: float,
    cooldown: int,
    min_lr: float,
    eps: float,
) -> None:
    settings: dict[str, Any] = {
        "mode": mode,
        "factor": factor,
        "patience": patience,
        "threshold": threshold,
        "threshold_mode": threshold_mode,
        "cooldown": cooldown,
        "min_lr": min_lr,
        "eps": eps,
    }
    for metrics in _metric_curves():
        theirs = lr_history(ReduceLROnPlateau(make_optimizer(0.1), **settings), len(metrics), metrics)
        ours = reduce_on_plateau(metrics, 0.1, **settings)
        assert ours == theirs  # the same float operations: bit-for-bit equal


def test_plateau_reducer_counts_bad_epochs_and_cools_down() -> None:
    reducer = PlateauReducer(1.0, factor=0.5, patience=1, cooldown=1, threshold=0.0)
    rates = [reducer.step(v) for v in [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]
    # reduction after the 2nd bad epoch; one cooldown epoch; then two more bad epochs
    assert rates == [1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    assert reducer.best == 1.0


def test_plateau_reducer_respects_min_lr_and_eps() -> None:
    reducer = PlateauReducer(1.0, factor=0.1, patience=0, min_lr=0.05)
    assert [reducer.step(1.0) for _ in range(4)] == [1.0, 0.1, 0.05, 0.05]
    small = PlateauReducer(1e-8, factor=0.5, patience=0)  # a cut of 5e-9 is below eps=1e-8
    assert [small.step(1.0) for _ in range(3)] == [1e-8, 1e-8, 1e-8]


def test_reduce_on_plateau_first_rate_and_length() -> None:
    assert reduce_on_plateau([3.0], 0.2) == [0.2]
    assert reduce_on_plateau((3.0, 4.0, 5.0), 0.2, patience=0, factor=0.5) == [0.2, 0.2, 0.1]


# ---------------------------------------------------------------------------
# Error messages
# ---------------------------------------------------------------------------

ErrorCase = tuple[Callable[[], object], type[Exception], str]

ERROR_CASES: list[ErrorCase] = [
    (lambda: step_decay(-1, 0.1, 2), ValueError, "epoch must be >= 0, got -1"),
    (lambda: step_decay(1.5, 0.1, 2), TypeError, "epoch must be an int, got float"),  # type: ignore[arg-type]
    (lambda: step_decay(1, 0.0, 2), ValueError, "base_lr must be > 0.0, got 0.0"),
    (lambda: step_decay(1, "0.1", 2), TypeError, "base_lr must be a real number, got str"),  # type: ignore[arg-type]
    (lambda: step_decay(1, 0.1, 0), ValueError, "step_size must be >= 1, got 0"),
    (lambda: step_decay(1, 0.1, 2, 1.5), ValueError, "gamma must be <= 1.0, got 1.5"),
    (lambda: step_decay(1, 0.1, 2, 0.0), ValueError, "gamma must be > 0.0, got 0.0"),
    (lambda: exponential_decay(1, 0.1, float("nan")), ValueError, "gamma must not be NaN"),
    (lambda: exponential_decay(True, 0.1, 0.5), TypeError, "epoch must be an int, got bool"),
    (lambda: cosine_annealing(1, 0.1, 0), ValueError, "t_max must be >= 1, got 0"),
    (lambda: cosine_annealing(1, 0.1, 5, -0.1), ValueError, "eta_min must be >= 0.0, got -0.1"),
    (lambda: cosine_annealing(1, 0.1, 5, 0.2), ValueError, "eta_min must be <= base_lr=0.1, got 0.2"),
    (lambda: cosine_warm_restarts(1, 0.1, 0), ValueError, "t_0 must be >= 1, got 0"),
    (lambda: cosine_warm_restarts(1, 0.1, 2, 0), ValueError, "t_mult must be >= 1, got 0"),
    (lambda: cosine_warm_restarts(1, 0.1, 2, 1.5), TypeError, "t_mult must be an int, got float"),  # type: ignore[arg-type]
    (lambda: linear_warmup(1, 0.1, 0), ValueError, "warmup_epochs must be >= 1, got 0"),
    (lambda: linear_warmup(1, 0.1, 3, 0.0), ValueError, "start_factor must be > 0.0, got 0.0"),
    (lambda: linear_warmup(1, 0.1, 3, 1.5), ValueError, "start_factor must be <= 1.0, got 1.5"),
    (lambda: warmup_cosine(1, 0.1, 5, 5), ValueError, "total_epochs must be > warmup_epochs=5, got 5"),
    (lambda: warmup_cosine(1, 0.1, 0, 5), ValueError, "warmup_epochs must be >= 1, got 0"),
    (lambda: warmup_cosine(1, 0.1, 2, 5, eta_min=1.0), ValueError, "eta_min must be <= base_lr=0.1"),
    (lambda: one_cycle(0, 0.1, 1), ValueError, "total_steps must be >= 2, got 1"),
    (lambda: one_cycle(11, 0.1, 10), ValueError, "step must be <= total_steps=10, got 11"),
    (lambda: one_cycle(-1, 0.1, 10), ValueError, "step must be >= 0, got -1"),
    (lambda: one_cycle(0, -0.1, 10), ValueError, "max_lr must be > 0.0, got -0.1"),
    (lambda: one_cycle(0, 0.1, 10, pct_start=0.0), ValueError, "pct_start must be > 0.0, got 0.0"),
    (lambda: one_cycle(0, 0.1, 10, pct_start=1.2), ValueError, "pct_start must be <= 1.0, got 1.2"),
    (lambda: one_cycle(0, 0.1, 10, pct_start=0.1), ValueError, r"pct_start \* total_steps must be > 1"),
    (lambda: one_cycle(0, 0.1, 10, pct_start=1.0), ValueError, "so that the rate can fall"),
    (
        lambda: one_cycle(0, 0.1, 10, pct_start=0.6, three_phase=True),
        ValueError,
        r"three_phase=True needs 2 \* \(pct_start \* total_steps - 1\) < total_steps - 1",
    ),
    (lambda: one_cycle(0, 0.1, 10, div_factor=0.5), ValueError, "div_factor must be >= 1.0, got 0.5"),
    (lambda: one_cycle(0, 0.1, 10, final_div_factor=0.5), ValueError, "final_div_factor must be >= 1.0"),
    (lambda: one_cycle(0, 0.1, 10, anneal="exp"), ValueError, "anneal must be 'cos' or 'linear', got 'exp'"),  # type: ignore[arg-type]
    (lambda: one_cycle(0, 0.1, 10, three_phase=1), TypeError, "three_phase must be a bool, got int"),  # type: ignore[arg-type]
    (lambda: PlateauReducer(0.0), ValueError, "base_lr must be > 0.0, got 0.0"),
    (lambda: PlateauReducer(0.1, mode="low"), ValueError, "mode must be 'min' or 'max', got 'low'"),  # type: ignore[arg-type]
    (
        lambda: PlateauReducer(0.1, threshold_mode="pct"),  # type: ignore[arg-type]
        ValueError,
        "threshold_mode must be 'rel' or 'abs', got 'pct'",
    ),
    (lambda: PlateauReducer(0.1, factor=1.0), ValueError, "factor must be < 1, got 1.0"),
    (lambda: PlateauReducer(0.1, factor=0.0), ValueError, "factor must be > 0.0, got 0.0"),
    (lambda: PlateauReducer(0.1, patience=-1), ValueError, "patience must be >= 0, got -1"),
    (lambda: PlateauReducer(0.1, threshold=-0.1), ValueError, "threshold must be >= 0.0, got -0.1"),
    (
        lambda: PlateauReducer(0.1, threshold=1.0),
        ValueError,
        "threshold must be < 1 when threshold_mode='rel'",
    ),
    (lambda: PlateauReducer(0.1, cooldown=-1), ValueError, "cooldown must be >= 0, got -1"),
    (lambda: PlateauReducer(0.1, min_lr=-1.0), ValueError, "min_lr must be >= 0.0, got -1.0"),
    (lambda: PlateauReducer(0.1, eps=-1.0), ValueError, "eps must be >= 0.0, got -1.0"),
    (lambda: PlateauReducer(0.1).step(float("nan")), ValueError, "value must not be NaN"),
    (lambda: PlateauReducer(0.1).step("1.0"), TypeError, "value must be a real number, got str"),  # type: ignore[arg-type]
    (lambda: reduce_on_plateau([], 0.1), ValueError, "metrics must not be empty"),
    (lambda: reduce_on_plateau(1.0, 0.1), TypeError, "metrics must be a sequence of numbers, got float"),  # type: ignore[arg-type]
    (lambda: reduce_on_plateau([1.0, 2.0], 0.1, patience=1.5), TypeError, "patience must be an int"),  # type: ignore[arg-type]
    (lambda: max_abs_difference([], []), ValueError, "a and b must not be empty"),
    (
        lambda: max_abs_difference([1.0], [1.0, 2.0]),
        ValueError,
        "a and b must have the same length, got 1 and 2",
    ),
    (lambda: max_abs_difference([1.0], ["x"]), TypeError, "b must hold real numbers, got a str"),  # type: ignore[list-item]
    (lambda: max_abs_difference(1.0, [1.0]), TypeError, "a must be a sequence of numbers, got float"),  # type: ignore[arg-type]
    (lambda: lr_table([1.0]), TypeError, "columns must be a mapping of name -> values, got list"),  # type: ignore[arg-type]
    (lambda: lr_table({}), ValueError, "columns must hold at least one column"),
    (lambda: lr_table({"a": []}), ValueError, "columns must not be empty sequences"),
    (lambda: lr_table({"a": [1.0], "b": [1.0, 2.0]}), ValueError, r"same length, got lengths \[1, 2\]"),
    (lambda: lr_table({"a": "0.1"}), TypeError, r"columns\['a'\] must be a sequence of numbers, got str"),  # type: ignore[dict-item]
    (lambda: lr_table({"a": [0.1]}, digits=0), ValueError, "digits must be >= 1, got 0"),
    (
        lambda: lr_table({"a": [0.1]}, number_format="%.3g"),  # type: ignore[arg-type]
        ValueError,
        r"number_format must be one of 'auto', 'g', 'e', 'f', got '%\.3g'",
    ),
    (lambda: lr_table({"a": [0.1]}, number_format=3), TypeError, "number_format must be a str, got int"),  # type: ignore[arg-type]
    (
        lambda: lr_table({"a": [0.1]}, index=[0, 1]),
        ValueError,
        "index must have 1 values like the columns, got 2",
    ),
    (lambda: lr_table({"a": [0.1]}, index=[0.5]), TypeError, "index must hold ints, got a float"),  # type: ignore[list-item]
    (lambda: lr_table({"a": [0.1]}, index=3), TypeError, "index must be a sequence of ints, got int"),  # type: ignore[arg-type]
    (lambda: lr_table({"a": [0.1]}, index_label=3), TypeError, "index_label must be a str, got int"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("call", "error", "message"), ERROR_CASES)
def test_error_messages(call: Callable[[], object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------------------
# Printing helpers
# ---------------------------------------------------------------------------


def test_lr_table_layout() -> None:
    table = lr_table({"ours": [0.1, 0.05, 0.025], "StepLR": [0.1, 0.05, 0.025000000000000005]})
    assert table.splitlines() == [
        "epoch   ours  StepLR",
        "    0    0.1     0.1",
        "    1   0.05    0.05",
        "    2  0.025   0.025",
    ]


def test_lr_table_writes_a_column_in_one_style() -> None:
    # "g" alone would print 4e-07 under 0.00301576; "auto" turns that whole column to "e".
    columns = {"one_cycle": [0.1, 0.00301576, 4e-7], "loss": [1.0, 2.0, 3.0]}
    assert lr_table(columns, digits=4).splitlines() == [
        "epoch  one_cycle  loss",
        "    0  1.000e-01     1",
        "    1  3.016e-03     2",
        "    2  4.000e-07     3",
    ]
    assert lr_table(columns, digits=4, number_format="g").splitlines()[1:] == [
        "    0        0.1     1",
        "    1   0.003016     2",
        "    2      4e-07     3",
    ]
    assert lr_table(columns, digits=2, number_format="e").splitlines()[3] == "    2    4.0e-07  3.0e+00"
    assert lr_table(columns, digits=3, number_format="f").splitlines()[2] == "    1      0.003  2.000"


def test_lr_table_options() -> None:
    table = lr_table({"lr": [1 / 3, 0.25]}, index=[5, 100], index_label="step", digits=3)
    assert table == "step     lr\n   5  0.333\n 100   0.25"


def test_max_abs_difference() -> None:
    assert max_abs_difference([0.1, 0.2], [0.1, 0.25]) == pytest.approx(0.05)
    assert max_abs_difference((1, 2), [1.0, 2.0]) == 0.0


def test_functions_leave_global_rng_alone() -> None:
    state = torch.get_rng_state()
    random_state = random.getstate()
    one_cycle(3, 0.1, 10)
    reduce_on_plateau([1.0, 0.5], 0.1)
    assert torch.equal(state, torch.get_rng_state())
    assert random_state == random.getstate()
