"""The line an nbval failure gains: what differs between the reference's numerics and this machine's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.nbval_numerics import verdict

INTEL: dict[str, Any] = {
    "cpu": "Intel(R) Xeon(R) Processor",
    "torch": "2.13.0+cpu",
    "numpy": "2.4.6",
    "aten_capability": "AVX2",
    "settings": {"ATEN_CPU_CAPABILITY": "avx2", "MKL_CBWR": "COMPATIBLE"},
}


def test_no_recorded_environment_asks_for_new_references() -> None:
    assert "regenerate it with make golden" in verdict(None, INTEL)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"torch": "2.14.1+cpu"}, "the library versions differ"),
        ({"numpy": "2.5.0"}, "the library versions differ"),
        ({"settings": {"ATEN_CPU_CAPABILITY": "default", "MKL_CBWR": "SSE4_2"}}, "settings differ"),
        ({"aten_capability": "DEFAULT"}, "settings differ"),
        ({"cpu": "AMD EPYC"}, "another CPU: this output is not portable"),
        ({}, "the lesson's code or its inputs changed"),
    ],
)
def test_the_first_difference_is_named(change: dict[str, Any], expected: str) -> None:
    assert expected in verdict(INTEL, {**INTEL, **change})


def test_versions_are_named_before_the_cpu() -> None:
    current = {**INTEL, "cpu": "AMD EPYC", "torch": "2.14.1+cpu"}
    assert "the library versions differ" in verdict(INTEL, current)
