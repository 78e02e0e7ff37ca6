"""Execute lessons into reference notebooks for nbval (``make golden``).

Usage: ``python -m tools.golden [book/path/lesson.md ...]`` (default: every lesson).

Each lesson is read with jupytext, executed in a fresh kernel inside a
temporary directory (as the site build does), and written to
``tests/golden/<module>/<lesson>.ipynb`` with its text outputs kept and its
images dropped (nbval does not compare images, and PNGs would bloat the
repository). Execution metadata such as timestamps is removed too, so a
regenerated notebook differs from the old one only where an output changed.

Lessons execute in the ``looplab-pinned`` kernel (``tools/kernels.py``), and the
reference records, under ``metadata.looplab_numerics``, what its numbers depend on:
the CPU, the library versions, the numerical settings and the ATen kernels the
kernel really used (asked inside it after the lesson ran). A nbval failure prints it
beside the current machine's (``tests/conftest.py``).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from tools.course import IMAGE_MIME_TYPES, ROOT, golden_path, lessons
from tools.kernels import PINNED_KERNEL

#: Metadata key of a reference notebook's numerical environment.
NUMERICS_KEY = "looplab_numerics"
_REPORT_CELL = "import json as _j, looplab.numerics as _n; print(_j.dumps(_n.numerics_report()))"


def merge_streams(outputs: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """Join consecutive stream outputs of the same stream.

    The kernel splits printed text into chunks by timing, so the same prints can
    arrive as one output or several; joined, the reference is the same every run.
    """
    merged: list[nbformat.NotebookNode] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.get("output_type") == "stream"
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def printed_text(cell: nbformat.NotebookNode) -> str:
    """The text of a code cell's outputs that nbval compares: streams and plain-text results."""
    parts: list[str] = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif "data" in output and "text/plain" in output["data"]:
            parts.append(output["data"]["text/plain"])
        elif output.get("output_type") == "error":
            parts.append(f"{output.get('ename')}: {output.get('evalue')}")
    return "".join(parts)


def strip_for_reference(notebook: nbformat.NotebookNode) -> None:
    """Drop images and volatile metadata in place, keeping every text output.

    Cell ids (random in jupytext's output) become their position, so that a
    regenerated reference differs from the old one only where an output changed.
    """
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.outputs = merge_streams(cell.outputs)
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is not None:
                for mime in IMAGE_MIME_TYPES:
                    data.pop(mime, None)
            output.get("metadata", {}).clear()


def execute_lesson(
    lesson: Path, timeout: int = 300, kernel_name: str = PINNED_KERNEL
) -> tuple[nbformat.NotebookNode, float]:
    """Run a lesson in a fresh kernel; return the executed notebook and the seconds it took.

    The notebook's metadata gains the kernel's numerical environment under
    :data:`NUMERICS_KEY`, measured by one extra cell run after the lesson and then
    removed.
    """
    notebook = jupytext.read(lesson)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with tempfile.TemporaryDirectory() as workdir:
        client = NotebookClient(
            notebook, timeout=timeout, kernel_name=kernel_name, resources={"metadata": {"path": workdir}}
        )
        notebook.cells.append(nbformat.v4.new_code_cell(_REPORT_CELL))
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    report = notebook.cells.pop()
    text = "".join(output.get("text", "") for output in report.outputs)
    notebook.metadata[NUMERICS_KEY] = json.loads(text)
    return notebook, seconds


def write_golden(lesson: Path) -> float:
    """Execute ``lesson`` and write its reference notebook; return the execution time."""
    notebook, seconds = execute_lesson(lesson)
    strip_for_reference(notebook)
    target = golden_path(lesson)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return seconds


def main(argv: list[str]) -> int:
    targets = [Path(arg).resolve() for arg in argv] if argv else lessons()
    for lesson in targets:
        seconds = write_golden(lesson)
        print(f"{lesson.relative_to(ROOT)} -> {golden_path(lesson).relative_to(ROOT)} ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
