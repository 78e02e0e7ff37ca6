"""Structure checks of every lesson in the table of contents (LESSON_GUIDE.md).

A lesson has the eight ``##`` sections in order, one to four exercises, a
solution for each exercise, alt text on every figure cell, and a reference
notebook whose code is the lesson's code. Every page under ``book/`` is in the
table of contents, and every toc entry exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from tools.course import ROOT, golden_path, lessons, toc_pages
from tools.golden import printed_text

SECTIONS = [
    "Introduction",
    "ELI5",
    "Mathematical foundations",
    "In depth",
    "Demonstrations",
    "Exercises",
    "Summary",
    "Key takeaways",
]
FORBIDDEN_WORDS = re.compile(r"\b(TODO|TBD|FIXME|lorem ipsum|placeholder|coming soon)\b", re.IGNORECASE)
OUTDATED_API = re.compile(r"_LRScheduler|verbose\s*=\s*True|weights_only\s*=\s*False|\.cuda\(\)")
EXERCISE = re.compile(r"^```\{exercise(?:-start)?\}", re.MULTILINE)
EXERCISE_LABEL = re.compile(r"^```\{exercise(?:-start)?\}[^\n]*\n:label:\s*(\S+)", re.MULTILINE)
SOLUTION = re.compile(r"^```\{solution(?:-start)?\}\s*(\S+)\s*\n((?::[^\n]*\n)*)", re.MULTILINE)

LESSONS = lessons()
IDS = [str(p.relative_to(ROOT)) for p in LESSONS]


def headings(text: str) -> list[str]:
    """Level-2 headings, ignoring fenced code blocks."""
    without_code = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.findall(r"^##\s+(.+?)\s*$", without_code, flags=re.MULTILINE)


def test_there_are_lessons() -> None:
    assert LESSONS, "the table of contents lists no lesson"


def test_every_toc_entry_exists() -> None:
    missing = [str(p.relative_to(ROOT)) for p in toc_pages() if not p.is_file()]
    assert not missing, f"_toc.yml lists pages that do not exist: {missing}"


def test_every_page_is_in_the_toc() -> None:
    listed = {p.resolve() for p in toc_pages()}
    pages = {p.resolve() for p in (ROOT / "book").rglob("*.md")}
    orphans = sorted(str(p.relative_to(ROOT)) for p in pages - listed)
    assert not orphans, f"pages under book/ missing from _toc.yml: {orphans}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_eight_sections_in_order(lesson: Path) -> None:
    found = [h for h in headings(lesson.read_text(encoding="utf-8")) if h in SECTIONS]
    assert found == SECTIONS, f"expected the sections {SECTIONS}, found {found}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_title_is_a_single_h1(lesson: Path) -> None:
    text = re.sub(r"^```.*?^```", "", lesson.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
    assert len(re.findall(r"^# \S", text, flags=re.MULTILINE)) == 1


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_exercises_have_solutions(lesson: Path) -> None:
    text = lesson.read_text(encoding="utf-8")
    exercises = EXERCISE.findall(text)
    assert 1 <= len(exercises) <= 4, f"a lesson has one to four exercises, found {len(exercises)}"
    labels = EXERCISE_LABEL.findall(text)
    assert len(labels) == len(exercises), "every exercise needs a :label:"
    solutions = {label: options for label, options in SOLUTION.findall(text)}
    for label in labels:
        assert label in solutions, f"exercise {label} has no solution"
        assert ":class: dropdown" in solutions[label], f"the solution of {label} must be a dropdown"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_solutions_with_code_check_their_results(lesson: Path) -> None:
    text = lesson.read_text(encoding="utf-8")
    blocks = re.findall(r"^```\{solution-start\}.*?^```\{solution-end\}", text, re.MULTILINE | re.DOTALL)
    code_blocks = [block for block in blocks if "```{code-cell}" in block]
    assert code_blocks, "at least one solution runs code"
    assert any("assert" in block for block in code_blocks), "solutions with results must check them"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_no_placeholders_or_outdated_api(lesson: Path) -> None:
    text = lesson.read_text(encoding="utf-8")
    assert not FORBIDDEN_WORDS.search(text), FORBIDDEN_WORDS.search(text)
    assert not OUTDATED_API.search(text), OUTDATED_API.search(text)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_seeded_first_code_cell(lesson: Path) -> None:
    notebook = jupytext.read(lesson)
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert "seed_everything(" in first.source, "the first code cell seeds with seed_everything"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_figures_have_alt_text(lesson: Path) -> None:
    notebook = jupytext.read(lesson)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        draws = re.search(r"plt\.show\(\)|\bplot_\w+\(", cell.source)
        if draws:
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert alt.strip(), f"figure cell without alt text:\n{cell.source[:200]}"


def code_cells(notebook: nbformat.NotebookNode) -> list[tuple[str, list[str]]]:
    return [
        (cell.source.strip(), sorted(cell.metadata.get("tags", [])))
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_reference_notebook_matches_lesson(lesson: Path) -> None:
    """nbval re-runs the reference notebook; this makes sure it runs the lesson's current code."""
    reference = golden_path(lesson)
    assert reference.is_file(), f"no reference notebook: run `make golden LESSONS={lesson.relative_to(ROOT)}`"
    stored = code_cells(nbformat.read(reference, as_version=4))
    current = code_cells(jupytext.read(lesson))
    assert stored == current, (
        f"{reference.relative_to(ROOT)} is stale: the lesson's code changed. "
        f"Run `make golden LESSONS={lesson.relative_to(ROOT)}` and review the diff."
    )


def test_no_orphan_reference_notebooks() -> None:
    expected = {golden_path(lesson).resolve() for lesson in LESSONS}
    stored = {p.resolve() for p in (ROOT / "tests" / "golden").rglob("*.ipynb")}
    orphans = sorted(str(p.relative_to(ROOT)) for p in stored - expected)
    assert not orphans, f"reference notebooks without a lesson: {orphans}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_reference_notebook_has_no_images(lesson: Path) -> None:
    text = golden_path(lesson).read_text(encoding="utf-8")
    assert '"image/png"' not in text, "reference notebooks keep text outputs only (run make golden)"


def test_setup_page_uses_the_published_address() -> None:
    """The install commands point at the wheel where this configuration publishes it."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    base = config["html"]["baseurl"].rstrip("/")
    setup = (ROOT / "book" / "setup.md").read_text(encoding="utf-8")
    addresses = re.findall(r"https://\S+/wheels/looplab-[^\s>]+\.whl", setup)
    assert addresses, "the Setup page gives no address of looplab's wheel"
    assert all(address.startswith(f"{base}/wheels/") for address in addresses), addresses
    assert config["sphinx"]["config"]["ogp_site_url"].rstrip("/") == base


ROUND_OFF_NUMBER = re.compile(r"\b\d\.\d+e-(?:0[7-9]|[1-9]\d)\b|\b0\.0+e[+-]00\b")
ROUND_OFF_CONTEXT = re.compile(r"differ|diff\b|error|\|.*-.*\||residual|mismatch|gap", re.IGNORECASE)


def round_off_prints(notebook: nbformat.NotebookNode) -> list[str]:
    """Printed lines that show a difference or an error at floating-point round-off level."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or "nbval-ignore-output" in cell.metadata.get("tags", []):
            continue
        for line in printed_text(cell).splitlines():
            if ROUND_OFF_NUMBER.search(line) and ROUND_OFF_CONTEXT.search(line):
                found.append(f"cell {index}: {line.strip()}")
    return found


def test_round_off_check_flags_tiny_differences() -> None:
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="max |hand - autograd| = 2.2e-16\n"),
        nbformat.v4.new_output("stream", name="stdout", text="relative error 2.4e-10\nloss 1.2e-08\n"),
        nbformat.v4.new_output("stream", name="stdout", text="hand and autograd agree to 1e-12: yes\n"),
    ]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    assert round_off_prints(notebook) == [
        "cell 0: max |hand - autograd| = 2.2e-16",
        "cell 0: relative error 2.4e-10",
    ]


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_no_round_off_printed(lesson: Path) -> None:
    reference = golden_path(lesson)
    if not reference.is_file():
        pytest.fail(f"no reference notebook: run make golden LESSONS={lesson.relative_to(ROOT)}")
    found = round_off_prints(nbformat.read(reference, as_version=4))
    assert not found, (
        "print the bound a round-off-level quantity meets and assert it (LESSON_GUIDE.md), not its value:\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_headings_hold_no_math(lesson: Path) -> None:
    """A formula in a heading is copied into the page's hidden print-only contents, where it is never
    typeset (MathJax loads on demand), and headings read badly in the navigation."""
    text = re.sub(r"^```.*?^```", "", lesson.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
    with_math = [h for h in re.findall(r"^#{1,6} .*$", text, flags=re.MULTILINE) if "$" in h]
    assert not with_math, f"headings with math: {with_math}"


#: Characters of a monospace line that fit in a code cell of the built site at 1280 px without
#: scrolling sideways: the code column is 684 px wide less 2 x 16 px of padding, and a 14 px
#: monospace character takes 8.43 px (DejaVu Sans Mono, Menlo and SF Mono alike), so 77 fit and
#: the 78th scrolls (tests/site/test_layout.py checks the rendered pages themselves).
COLUMN = 77
#: Inside an exercise or solution box (between the ``{exercise-start}`` ... ``{exercise-end}``
#: or ``{solution-start}`` ... ``{solution-end}`` fences) the box's border and padding take
#: 22 px more: 74 characters of code and 75 of printed output fit there (the code cells of an
#: open box span its inner width, book/_static/course.css; the theme alone would leave 69).
BOX_CODE_COLUMN = 74
BOX_OUTPUT_COLUMN = 75
FIGURE_REPR = re.compile(r"<Figure size \d+x\d+ with \d+ Axes>")
BOX_FENCE = re.compile(r"^```\{(exercise|solution)-(start|end)\}", re.MULTILINE)


def lines_too_long(lines: list[str], where: str, limit: int = COLUMN) -> list[str]:
    """``where``, line number and length of every line longer than ``limit``."""
    return [
        f"{where}, line {number}: {len(line)} > {limit} characters: {line.strip()[:60]}"
        for number, line in enumerate(lines, 1)
        if len(line) > limit
    ]


def code_cells_in_boxes(cells: list[nbformat.NotebookNode]) -> list[bool]:
    """For each code cell of a lesson, whether it sits inside an exercise or solution box.

    The gated fences open and close the boxes in the markdown cells between code cells; a
    box still open when a code cell comes holds that cell.
    """
    inside: list[bool] = []
    depth = 0
    for cell in cells:
        if cell.cell_type == "code":
            inside.append(depth > 0)
            continue
        for _, edge in BOX_FENCE.findall(cell.source):
            depth = depth + 1 if edge == "start" else max(depth - 1, 0)
    return inside


def output_texts(cell: nbformat.NotebookNode) -> list[str]:
    """The texts a code cell's outputs show as preformatted lines on the page.

    Streams and plain-text results; a figure's ``<Figure ...>`` placeholder and results
    shown as HTML are not shown as text.
    """
    texts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            texts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            texts.append(f"{output.get('ename')}: {output.get('evalue')}")
        else:
            data = output.get("data", {})
            plain = data.get("text/plain", "")
            if plain and "text/html" not in data and not FIGURE_REPR.fullmatch(plain.strip()):
                texts.append(plain)
    return texts


def wide_lines(lesson: Path, reference: nbformat.NotebookNode) -> list[str]:
    """Lines of the lesson's code cells and of their reference outputs wider than their column.

    The reference holds the lesson's code cells in the same order
    (``test_reference_notebook_matches_lesson``), so its ``n``-th code cell sits where the
    lesson's does: in the page's column or inside an exercise or solution box.
    """
    found = []
    cells = jupytext.read(lesson).cells
    in_box = code_cells_in_boxes(cells)
    code = [cell for cell in cells if cell.cell_type == "code"]
    for number, (cell, boxed) in enumerate(zip(code, in_box, strict=True), 1):
        limit = BOX_CODE_COLUMN if boxed else COLUMN
        found += lines_too_long(cell.source.splitlines(), f"code cell {number}", limit)
    printed = [cell for cell in reference.cells if cell.cell_type == "code"]
    for number, cell in enumerate(printed, 1):
        boxed = number <= len(in_box) and in_box[number - 1]
        limit = BOX_OUTPUT_COLUMN if boxed else COLUMN
        for text in output_texts(cell):
            found += lines_too_long(text.splitlines(), f"output of code cell {number}", limit)
    return found


def test_wide_line_check_flags_code_and_output(tmp_path: Path) -> None:
    lesson = tmp_path / "lesson.md"
    lesson.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
        "# T\n\n```{code-cell} ipython3\nshort = 1\nlong = '" + "x" * 70 + "'\n```\n",
        encoding="utf-8",
    )
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="ok\n" + "y" * (COLUMN + 1) + "\n"),
        nbformat.v4.new_output("display_data", data={"text/plain": "<Figure size 640x480 with 1 Axes>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "z" * COLUMN}, execution_count=1),
    ]
    found = wide_lines(lesson, nbformat.v4.new_notebook(cells=[cell]))
    assert [line.split(":")[0] for line in found] == [
        "code cell 1, line 2",
        "output of code cell 1, line 2",
    ], found


def test_wide_line_check_holds_boxed_cells_to_the_narrower_column(tmp_path: Path) -> None:
    def code(width: int) -> str:
        return "```{code-cell} ipython3\nx = '" + "x" * (width - 6) + "'\n```\n\n"

    lesson = tmp_path / "lesson.md"
    lesson.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
        "# T\n\n"
        + code(COLUMN)  # 1: the page's column: fits
        + "```{exercise-start}\n:label: ex\n```\n\nText.\n\n"
        + code(BOX_CODE_COLUMN)  # 2: in the exercise box: fits
        + code(BOX_CODE_COLUMN + 1)  # 3: in the exercise box: too wide
        + "```{exercise-end}\n```\n\n```{solution-start} ex\n:class: dropdown\n```\n\n"
        + code(BOX_CODE_COLUMN + 1)  # 4: in the solution box: too wide; prints too wide
        + "```{solution-end}\n```\n\n"
        + code(COLUMN),  # 5: after the boxes: fits, and may print the page's width
        encoding="utf-8",
    )
    cells = [nbformat.v4.new_code_cell("") for _ in range(5)]
    for cell, width in zip(cells, [COLUMN, BOX_OUTPUT_COLUMN, 1, BOX_OUTPUT_COLUMN + 1, COLUMN], strict=True):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="y" * width + "\n")]
    found = wide_lines(lesson, nbformat.v4.new_notebook(cells=cells))
    assert [line.split(":")[0] for line in found] == [
        "code cell 3, line 1",
        "code cell 4, line 1",
        "output of code cell 4, line 1",
    ], found
    assert f"> {BOX_CODE_COLUMN} characters" in found[0], found


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_code_and_output_fit_the_column(lesson: Path) -> None:
    """No code line and no printed line scrolls sideways in the page's code column at 1280 px."""
    reference = golden_path(lesson)
    if not reference.is_file():
        pytest.fail(f"no reference notebook: run make golden LESSONS={lesson.relative_to(ROOT)}")
    found = wide_lines(lesson, nbformat.read(reference, as_version=4))
    assert not found, (
        f"{lesson.relative_to(ROOT)}: lines longer than {COLUMN} characters ({BOX_CODE_COLUMN} of "
        f"code, {BOX_OUTPUT_COLUMN} of output in an exercise or solution box) scroll sideways on a "
        "1280 px screen (LESSON_GUIDE.md); wrap the code inside brackets, split long prints:\n"
        + "\n".join(found)
    )
