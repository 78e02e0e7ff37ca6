"""The reproducibility check itself: nbval must fail when a stored printed number changes.

A tiny notebook is executed into a reference, then one printed digit in the
reference is altered; running nbval on it exactly as ``make nbval`` does must
then fail, and pass on the unaltered reference.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from looplab.numerics import numerics_report
from tools.course import ROOT
from tools.golden import NUMERICS_KEY, strip_for_reference
from tools.kernels import PINNED_KERNEL

CODE = 'import math\nprint(f"pi is about {math.pi:.4f}")'


def make_reference(path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CODE)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(notebook, timeout=60, kernel_name=PINNED_KERNEL).execute()
    strip_for_reference(notebook)
    notebook.metadata[NUMERICS_KEY] = numerics_report()
    nbformat.write(notebook, path)


def run_nbval(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            f"--nbval-kernel-name={PINNED_KERNEL}",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.nbval_numerics",
            "-q",
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=path.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def test_nbval_fails_on_one_altered_digit(tmp_path: Path) -> None:
    reference = tmp_path / "reference.ipynb"
    make_reference(reference)
    assert run_nbval(reference).returncode == 0

    text = reference.read_text(encoding="utf-8")
    assert "pi is about 3.1416" in text
    reference.write_text(text.replace("3.1416", "3.1415"), encoding="utf-8")
    result = run_nbval(reference)
    assert result.returncode != 0, result.stdout
    assert "numerical environment" in result.stdout
    assert "reference made on:" in result.stdout and "this machine:" in result.stdout
    assert "3.1415" in result.stdout
