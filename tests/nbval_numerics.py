"""A pytest plugin: nbval failures that say in which numerical environment the reference was made.

When nbval finds a printed output that differs from a reference notebook, the failure
report gains a section with the numerical environment the reference was made in (its
``metadata.looplab_numerics``, written by ``make golden``) and this machine's, so an
author sees at once whether the code or the machine changed. Registered for every
pytest run of the project by ``-p tests.nbval_numerics`` in ``pyproject.toml``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tools.golden import NUMERICS_KEY


def describe_numerics(report: dict[str, Any]) -> str:
    """One readable line of a :func:`looplab.numerics.numerics_report`."""
    settings = report.get("settings", {})
    pins = ", ".join(f"{k}={v}" for k, v in settings.items() if k in ("ATEN_CPU_CAPABILITY", "MKL_CBWR"))
    flags = " ".join(flag for flag in report.get("flags", []) if flag in ("avx2", "fma", "avx512f"))
    return (
        f"{report.get('cpu', '?')} [{report.get('machine', '?')}; {flags or 'no avx2'}], "
        f"torch {report.get('torch', '?')}, numpy {report.get('numpy', '?')}, "
        f"ATen kernels {report.get('aten_capability', '?')}, {pins or 'no pins'}"
    )


def kernel_numerics(kernel_name: str | None) -> dict[str, Any]:
    """This machine's numerics report, computed in a fresh Python with the kernel's environment."""
    env = dict(os.environ)
    if kernel_name:
        from jupyter_client.kernelspec import KernelSpecManager

        env.update(KernelSpecManager().get_kernel_spec(kernel_name).env)
    code = "import json, looplab.numerics as n; print(json.dumps(n.numerics_report()))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def verdict(made: dict[str, Any] | None, current: dict[str, Any]) -> str:
    """What differs between the reference's numerical environment and this machine's."""
    if not made:
        return "the reference records no environment: regenerate it with make golden"
    if (made.get("torch"), made.get("numpy")) != (current.get("torch"), current.get("numpy")):
        return "the library versions differ: regenerate the references (make golden) if intended"
    if made.get("settings") != current.get("settings") or made.get("aten_capability") != current.get(
        "aten_capability"
    ):
        return "the numerical settings differ from the reference's"
    if made.get("cpu") != current.get("cpu"):
        return (
            "same versions and settings on another CPU: this output is not portable under the pins;"
            " print it at a precision that holds on every machine (LESSON_GUIDE.md)"
        )
    return "same versions, settings and CPU: the lesson's code or its inputs changed the output"


def numerics_section(reference: Path, kernel_name: str | None) -> str:
    """The text nbval failures show: the reference's environment and the current one."""
    try:
        metadata = json.loads(reference.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        metadata = {}
    made = metadata.get(NUMERICS_KEY)
    current = kernel_numerics(kernel_name)
    made_on = describe_numerics(made) if made else "unknown (no looplab_numerics metadata)"
    return "\n".join(
        [
            f"reference made on: {made_on}",
            f"this machine:      {describe_numerics(current)}",
            verdict(made, current),
        ]
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome: Any = yield
    report: pytest.TestReport = outcome.get_result()
    if report.when != "call" or not report.failed or not type(item).__module__.startswith("nbval"):
        return
    path = getattr(item.parent, "path", None)
    if path is not None:
        kernel_name = getattr(item.config.option, "nbval_kernel_name", None)
        report.sections.append(("numerical environment", numerics_section(Path(path), kernel_name)))
