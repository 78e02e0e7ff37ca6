"""Unit tests of looplab.numerics: the pinned environment, its check and the platform note."""

from __future__ import annotations

import subprocess
import sys

import pytest

from looplab import numerics
from looplab.numerics import (
    GENERIC_ENV,
    PINNED_ENV,
    numerics_report,
    pins_can_hold,
    platform_note,
)

needs_avx2 = pytest.mark.skipif(not pins_can_hold(), reason="the pins need an x86-64 CPU with AVX2")


def run_python(code: str, env_clear: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter without the pinned settings in its environment."""
    import os

    env = {k: v for k, v in os.environ.items() if not (env_clear and k in PINNED_ENV)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)


def test_pinned_environment_names_every_library() -> None:
    assert PINNED_ENV["ATEN_CPU_CAPABILITY"] == "avx2"
    assert PINNED_ENV["MKL_CBWR"] == "COMPATIBLE"
    assert PINNED_ENV["ONEDNN_MAX_CPU_ISA"] == "AVX2"
    assert PINNED_ENV["OMP_NUM_THREADS"] == "1"
    assert "OPENBLAS_CORETYPE" in PINNED_ENV and "NPY_DISABLE_CPU_FEATURES" in PINNED_ENV


def test_generic_environment_differs_in_every_kernel_choice() -> None:
    assert set(GENERIC_ENV) == set(PINNED_ENV)
    for name in ("ATEN_CPU_CAPABILITY", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE"):
        assert GENERIC_ENV[name] != PINNED_ENV[name], name
    assert GENERIC_ENV["OMP_NUM_THREADS"] == "1"


@needs_avx2
def test_pin_numerics_before_torch_runs_selects_avx2() -> None:
    code = (
        "import torch, os\n"
        "from looplab.numerics import pin_numerics\n"
        "pin_numerics()\n"
        "print(torch.backends.cpu.get_cpu_capability(), os.environ['MKL_CBWR'], torch.get_num_threads())"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["AVX2", "COMPATIBLE", "1"]


@needs_avx2
def test_pin_numerics_too_late_raises_a_clear_error() -> None:
    probe = run_python("import torch; print(torch.backends.cpu.get_cpu_capability())")
    if probe.stdout.strip() == "AVX2":
        pytest.skip("this CPU's best kernels are the AVX2 ones: pinning late changes nothing here")
    code = "import torch\ntorch.ones(3).sum()\nfrom looplab.numerics import pin_numerics\npin_numerics()"
    result = run_python(code)
    assert result.returncode != 0
    assert "RuntimeError" in result.stderr and "before any PyTorch operation" in result.stderr


def test_report_lists_versions_cpu_and_settings() -> None:
    report = numerics_report({"MKL_CBWR": "COMPATIBLE"})
    assert {"cpu", "machine", "flags", "torch", "numpy", "aten_capability", "settings"} <= set(report)
    settings = report["settings"]
    assert isinstance(settings, dict) and set(settings) == set(PINNED_ENV)
    assert settings["MKL_CBWR"] == "COMPATIBLE" and settings["ATEN_CPU_CAPABILITY"] == ""


def test_platform_note_says_whether_the_pins_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(numerics, "pins_can_hold", lambda: True)
    assert "holds here" in platform_note()
    monkeypatch.setattr(numerics, "pins_can_hold", lambda: False)
    note = platform_note()
    assert "defined on x86-64 with AVX2" in note and "\n" not in note


def test_no_avx2_off_x86(monkeypatch: pytest.MonkeyPatch) -> None:
    import platform

    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    assert not numerics.cpu_supports_avx2()
