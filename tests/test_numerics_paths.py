"""Every path that executes a lesson computes under the course's pinned numerical environment.

A tiny lesson that prints the ATen kernels PyTorch chose and the MKL, oneDNN and
OpenBLAS settings of its process is executed the way ``make golden`` / ``make bench``
do, the way nbval does in ``make nbval`` (the kernel named in the Makefile), and the
way the site build does (a Sphinx build with myst-nb and the kernel alias of
``_config.yml``, as ``jupyter-book build`` runs it). ``make portability``'s kernel must
compute differently.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from looplab.numerics import GENERIC_ENV, PINNED_ENV, pins_can_hold
from tools.course import ROOT
from tools.golden import NUMERICS_KEY, execute_lesson, strip_for_reference
from tools.kernels import GENERIC_KERNEL, PINNED_KERNEL

pytestmark = pytest.mark.skipif(not pins_can_hold(), reason="the pins need an x86-64 CPU with AVX2")

PROBE = (
    "import os, torch\n"
    "print(torch.backends.cpu.get_cpu_capability(), "
    "*(os.environ.get(k, '-') for k in ('MKL_CBWR', 'ONEDNN_MAX_CPU_ISA', 'OPENBLAS_CORETYPE')))"
)
PINNED_LINE = " ".join(
    ["AVX2", *(PINNED_ENV[k] for k in ("MKL_CBWR", "ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE"))]
)
GENERIC_LINE = " ".join(
    ["DEFAULT", *(GENERIC_ENV[k] for k in ("MKL_CBWR", "ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE"))]
)
LESSON = f"""---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Probe

```{{code-cell}} ipython3
{PROBE}
```
"""


def write_lesson(folder: Path) -> Path:
    lesson = folder / "probe.md"
    lesson.write_text(LESSON, encoding="utf-8")
    return lesson


def printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)


def test_golden_and_bench_kernel_is_pinned(tmp_path: Path) -> None:
    notebook, _ = execute_lesson(write_lesson(tmp_path))
    assert printed(notebook).strip() == PINNED_LINE
    assert notebook.metadata[NUMERICS_KEY]["aten_capability"] == "AVX2"
    assert notebook.metadata[NUMERICS_KEY]["settings"] == PINNED_ENV


def test_portability_kernel_is_generic(tmp_path: Path) -> None:
    notebook, _ = execute_lesson(write_lesson(tmp_path), kernel_name=GENERIC_KERNEL)
    assert printed(notebook).strip() == GENERIC_LINE


def makefile_variable(name: str) -> str:
    match = re.search(rf"^{name}\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert match, f"the Makefile defines no {name}"
    return match.group(1)


def test_nbval_kernel_is_pinned(tmp_path: Path) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert makefile_variable("KERNEL") == PINNED_KERNEL
    assert "--nbval-kernel-name=$(KERNEL)" in makefile
    # A reference that says "pinned": nbval in that kernel must reproduce it.
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(PROBE, execution_count=1)]
    notebook.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text=PINNED_LINE + "\n")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    strip_for_reference(notebook)
    reference = tmp_path / "probe.ipynb"
    nbformat.write(notebook, reference)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            f"--nbval-kernel-name={PINNED_KERNEL}",
            "-q",
            str(reference),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def sphinx_build(source: Path, output: Path) -> str:
    """Build ``source`` (a ``conf.py`` and ``index.md``) to HTML with Sphinx; return its log."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-v", "-b", "html", str(source), str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


def test_site_build_kernel_is_pinned(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    aliases = config["sphinx"]["config"]["nb_kernel_rgx_aliases"]
    assert aliases == {"python3": PINNED_KERNEL}
    source = tmp_path / "src"
    source.mkdir()
    write_lesson(source).rename(source / "index.md")
    (source / "conf.py").write_text(
        f"extensions = ['myst_nb']\nnb_execution_mode = 'force'\nnb_kernel_rgx_aliases = {aliases!r}\n",
        encoding="utf-8",
    )
    sphinx_build(source, tmp_path / "html")
    html = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert PINNED_LINE in html
