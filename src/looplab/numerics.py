"""The course's numerical environment: CPU kernels pinned so printed numbers agree across machines.

The same PyTorch code prints different last digits on different CPUs, because the
libraries pick their code path by the CPU they find: PyTorch's ATen kernels by its
instruction set (AVX2, AVX-512, ...), Intel MKL by vendor and instruction set,
oneDNN likewise, OpenBLAS (behind NumPy) and NumPy's own SIMD loops too. Each
path adds floating-point numbers in a different order, so each rounds differently.
The course pins all of them to one path that every x86-64 CPU with AVX2 can run
(Intel since 2013, AMD since 2015). Under these pins such CPUs compute the same
bits, and the reference notebooks the tests compare against hold on all of them.

:data:`PINNED_ENV` is the single definition. The project's Jupyter kernels get it
as their environment (``make setup`` installs them; ``tools/kernels.py``), so a
setting that a library reads when it loads is in place before Python starts. A
reader's notebook calls :func:`pin_numerics` in its first code cell instead, which
works as long as no PyTorch operation has run yet in that process.

On an x86-64 CPU without AVX2, or on ARM (Apple Silicon, Graviton), the pins cannot
hold: there, printed numbers may differ from the page in their last digits.
:func:`platform_note` says so.

Every lesson runs under it; the README's section on reproducible outputs explains it
for authors, and the first code cell of every downloaded notebook calls
:func:`pin_numerics`.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "GENERIC_ENV",
    "PINNED_ENV",
    "cpu_model",
    "cpu_supports_avx2",
    "numerics_report",
    "pin_numerics",
    "pins_can_hold",
    "platform_note",
]

#: The pinned environment, each setting with why it is there.
PINNED_ENV: dict[str, str] = {
    # PyTorch's vectorised ATen kernels (sums, exp, matmul epilogues ...) at AVX2,
    # whatever wider instruction set the CPU has.
    "ATEN_CPU_CAPABILITY": "avx2",
    # Intel MKL (matrix products, linear algebra) in its Conditional Numerical
    # Reproducibility mode: the same code path on every x86-64 CPU, Intel or AMD.
    "MKL_CBWR": "COMPATIBLE",
    # oneDNN (convolutions, some linear layers) capped at AVX2.
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    # NumPy's own SIMD loops: no AVX-512 variants (X86_V4 and later).
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
    # OpenBLAS (NumPy's matrix products) on its Haswell (AVX2) kernels.
    "OPENBLAS_CORETYPE": "Haswell",
    # One thread everywhere: a sum split over threads is added in another order.
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    # Python's hash seed, for child processes (set order of strings).
    "PYTHONHASHSEED": "0",
}

#: A deliberately different environment, with the generic kernels that a CPU without
#: AVX2 would run. ``make portability`` executes the lessons under it to show which
#: printed numbers depend on the CPU's code path.
GENERIC_ENV: dict[str, str] = {
    **PINNED_ENV,
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_CBWR": "SSE4_2",
    "ONEDNN_MAX_CPU_ISA": "SSE41",
    "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
    "OPENBLAS_CORETYPE": "Prescott",
}

_CPUINFO = Path("/proc/cpuinfo")


def _cpuinfo_field(name: str) -> str:
    try:
        text = _CPUINFO.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return ""


def cpu_model() -> str:
    """The CPU's model name (from ``/proc/cpuinfo`` on Linux), or the platform's processor string."""
    return _cpuinfo_field("model name") or platform.processor() or platform.machine()


def _cpu_flags() -> set[str]:
    return set(_cpuinfo_field("flags").split())


def cpu_supports_avx2() -> bool:
    """Whether this is an x86-64 CPU with AVX2 and FMA, the instruction sets the pins name."""
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return False
    flags = _cpu_flags()
    if flags:
        return {"avx2", "fma"} <= flags
    # No /proc/cpuinfo (macOS, Windows): ask PyTorch, which reads CPUID itself.
    import torch

    return bool(torch.backends.cpu.get_cpu_capability() in {"AVX2", "AVX512"})


def pins_can_hold() -> bool:
    """Whether the pinned environment can give this machine the reference numbers (x86-64 with AVX2)."""
    return cpu_supports_avx2()


def platform_note() -> str:
    """One line for this machine: whether the course's pinned numbers can hold here."""
    machine = platform.machine() or "unknown"
    if pins_can_hold():
        return f"Numerics: {cpu_model()} ({machine}, AVX2): the pinned environment holds here."
    return (
        f"Numerics: {cpu_model()} ({machine}) has no AVX2 or is not x86-64; the reference outputs "
        "are defined on x86-64 with AVX2, so printed numbers may differ in their last digits here "
        "and nbval may report them. Everything else runs as usual."
    )


def pin_numerics() -> None:
    """Put the course's pinned numerical environment in force in this process.

    Call it first in a notebook, before any PyTorch operation: the settings are
    read when each library makes its first computation. It sets
    :data:`PINNED_ENV` in ``os.environ``, runs PyTorch on one thread and checks
    that PyTorch took the AVX2 kernels.

    Introduced in the downloaded notebooks of every lesson (their first code cell).

    Raises:
        RuntimeError: on a CPU with AVX2, if PyTorch had already chosen other
            kernels (some PyTorch operation ran before this call). Restart the
            kernel and call it first.
    """
    os.environ.update(PINNED_ENV)
    import torch

    torch.set_num_threads(1)
    if not pins_can_hold():
        return
    capability = torch.backends.cpu.get_cpu_capability()
    if capability != "AVX2":
        raise RuntimeError(
            f"PyTorch already runs its {capability} kernels: pin_numerics() must be called before "
            "any PyTorch operation. Restart the kernel and call it in the first cell."
        )


def numerics_report(env: Mapping[str, str] | None = None) -> dict[str, object]:
    """What a run's numbers depend on: CPU, library versions and the numerical settings.

    Reference notebooks store it in their metadata (``make golden``), and a nbval
    failure prints the reference's beside the current machine's.

    Args:
        env: the environment the computation ran with (default: ``os.environ``);
            only the settings named in :data:`PINNED_ENV` are reported.
    """
    import numpy
    import torch

    source = os.environ if env is None else env
    return {
        "cpu": cpu_model(),
        "machine": platform.machine(),
        "avx2": cpu_supports_avx2(),
        "flags": sorted(f for f in _cpu_flags() if f.startswith(("avx", "fma", "sse4", "amx"))),
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "aten_capability": torch.backends.cpu.get_cpu_capability(),
        "settings": {name: source.get(name, "") for name in PINNED_ENV},
    }
