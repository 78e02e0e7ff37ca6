"""The course's Jupyter kernels: Python with the pinned (or the generic) numerical environment.

``python -m tools.kernels`` (run by ``make setup``) installs two kernel specs into the
virtual environment with ipykernel's own installer, each with its environment
variables written into ``kernel.json``, so that the settings are in place before the
kernel's Python starts:

- ``looplab-pinned``: :data:`looplab.numerics.PINNED_ENV`. Every path that executes a
  lesson uses it: the site build (``_config.yml`` maps the lessons' ``python3`` kernel to
  it with ``nb_kernel_rgx_aliases``, so a plain ``jupyter-book build`` uses it too),
  ``make golden``, ``make bench`` and nbval (``--nbval-kernel-name``).
- ``looplab-generic``: :data:`looplab.numerics.GENERIC_ENV`, the kernels of a CPU without
  AVX2, for ``make portability``.

It then prints :func:`looplab.numerics.platform_note`: one line saying whether the
reference outputs can hold on this machine.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

from looplab.numerics import GENERIC_ENV, PINNED_ENV, platform_note

PINNED_KERNEL = "looplab-pinned"
GENERIC_KERNEL = "looplab-generic"
KERNELS: dict[str, tuple[str, Mapping[str, str]]] = {
    PINNED_KERNEL: ("Python 3 (course numerics)", PINNED_ENV),
    GENERIC_KERNEL: ("Python 3 (generic CPU kernels)", GENERIC_ENV),
}


def install_command(name: str, display_name: str, env: Mapping[str, str]) -> list[str]:
    """The ``ipykernel install`` command line for one kernel spec in this environment."""
    command = [sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", name]
    command += ["--display-name", display_name]
    for key, value in env.items():
        command += ["--env", key, value]
    return command


def main() -> int:
    for name, (display_name, env) in KERNELS.items():
        subprocess.run(install_command(name, display_name, env), check=True, capture_output=True)
    print(platform_note())
    return 0


if __name__ == "__main__":
    sys.exit(main())
