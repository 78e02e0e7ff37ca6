"""Which printed outputs depend on the CPU? (``make portability``)

Usage: ``python -m tools.portability [book/path/lesson.md ...]`` (default: every lesson).

Each lesson is executed again in the ``looplab-generic`` kernel: the generic kernels
a CPU without AVX2 would run (ATen's default capability, MKL's SSE4.2 path, oneDNN's
SSE4.1, NumPy and OpenBLAS without AVX2; :data:`looplab.numerics.GENERIC_ENV`). Every
printed cell whose text differs from the lesson's reference notebook (made under the
pins by ``make golden``) is listed with its first differing line. A printed number
that changes here depends on the order in which a CPU adds things up: print the
bound it meets instead, or fewer digits (LESSON_GUIDE.md). Cells tagged
``nbval-ignore-output`` (timings) are skipped, as nbval skips them.

The course's target is at most :data:`TARGET` changing cells in all; the command
exits with status 1 above it. ``make bench`` reports the same count.
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools.course import ROOT, golden_path, lessons
from tools.golden import execute_lesson, printed_text, strip_for_reference
from tools.kernels import GENERIC_KERNEL

TARGET = 3
WORKERS = 2


@dataclass(frozen=True)
class Change:
    """One printed cell whose text differs under the generic kernels."""

    lesson: str
    cell: int
    reference: str
    generic: str

    def describe(self) -> str:
        head = f"{self.lesson} cell {self.cell}:"
        return f"{head}\n    reference: {self.reference}\n    generic:   {self.generic}"


@dataclass(frozen=True)
class LessonResult:
    """The printed cells of one lesson and those that changed."""

    lesson: str
    printed_cells: int
    changes: list[Change]


def _first_difference(a: str, b: str) -> tuple[str, str]:
    a_lines, b_lines = a.splitlines(), b.splitlines()
    for index in range(max(len(a_lines), len(b_lines))):
        left = a_lines[index] if index < len(a_lines) else "<no line>"
        right = b_lines[index] if index < len(b_lines) else "<no line>"
        if left != right:
            return left, right
    return a, b


def compare(lesson: Path, reference: nbformat.NotebookNode, generic: nbformat.NotebookNode) -> LessonResult:
    """Compare the printed text of two executions of the same lesson, cell by cell."""
    name = str(lesson.relative_to(ROOT))
    changes: list[Change] = []
    printed = 0
    for index, (ref_cell, gen_cell) in enumerate(zip(reference.cells, generic.cells, strict=True)):
        if ref_cell.cell_type != "code" or "nbval-ignore-output" in ref_cell.metadata.get("tags", []):
            continue
        ref_text, gen_text = printed_text(ref_cell), printed_text(gen_cell)
        if not ref_text and not gen_text:
            continue
        printed += 1
        if ref_text != gen_text:
            left, right = _first_difference(ref_text, gen_text)
            changes.append(Change(name, index, left, right))
    return LessonResult(name, printed, changes)


def check_lesson(lesson: Path) -> LessonResult:
    """Execute ``lesson`` under the generic kernels and compare it with its reference notebook."""
    reference_path = golden_path(lesson)
    if not reference_path.is_file():
        raise SystemExit(f"{reference_path.relative_to(ROOT)} is missing: run make golden first")
    reference = nbformat.read(reference_path, as_version=4)
    generic, _ = execute_lesson(lesson, kernel_name=GENERIC_KERNEL)
    strip_for_reference(generic)
    return compare(lesson, reference, generic)


def check_lessons(targets: list[Path]) -> list[LessonResult]:
    """:func:`check_lesson` for every target, :data:`WORKERS` lessons at a time."""
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(check_lesson, targets))


def main(argv: list[str]) -> int:
    targets = [Path(arg).resolve() for arg in argv] if argv else lessons()
    results = check_lessons(targets)
    changed = [change for result in results for change in result.changes]
    printed = sum(result.printed_cells for result in results)
    for change in changed:
        print(change.describe())
    print(
        f"{len(changed)} of {printed} printed cells in {len(results)} lessons change under generic CPU "
        f"kernels (target: at most {TARGET} in the whole course)."
    )
    return 1 if len(changed) > TARGET else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
