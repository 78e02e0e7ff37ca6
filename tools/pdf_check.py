"""Check the PDF book (``make pdf-check``): what a reader of the printed course must find in it.

Usage: ``python -m tools.pdf_check PDF`` (``make pdf-check`` runs it on
``$(BUILD_DIR)/latex/book.pdf``). It reads the PDF with poppler's ``pdfinfo`` and
``pdftotext`` and fails, listing every problem, unless

- the page count is within :data:`PAGE_RANGE`;
- the title of every page in ``_toc.yml`` (lessons, lab, glossary, bibliography, ...) is in
  the text twice, in the contents and as its chapter's heading (in capitals: compared
  case-blind);
- every exercise's solution is printed: as many "Solution to Exercise" boxes as the pages
  have ``solution-start`` directives (paper has no dropdowns);
- no reference is unresolved (LaTeX prints ``??``) and no MyST role or directive is left
  as raw text (``{term}``, ```` ```{ ````, ``:::``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.course import toc_pages

# The course prints to about 390 A4 pages; far fewer means pages went missing, far more
# means something (an output, a table) ran away.
PAGE_RANGE = (200, 700)

# What a MyST role or directive looks like when it was not rendered.
RAW_MARKUP = re.compile(
    r"\{(?:term|doc|ref|numref|eq|cite(?::\w+)?|math|download|glue(?::\w+)?|prf:\w+|solution|exercise)\}`"
    r"|`{3,}\s*\{|^:{3,}\s*\{?\w|\{(?:code-cell|solution-start|solution-end|exercise-start|exercise-end|"
    r"figure|admonition|dropdown|glossary|bibliography|toctree)\}",
    re.MULTILINE,
)
UNRESOLVED = re.compile(r"\?\?")
SOLUTION_TITLE = re.compile(r"Solution to Exercise\s+\d+")
MARKDOWN_DECORATION = re.compile(r"[`*_]|\{\w+\}")


@dataclass(frozen=True)
class Expectations:
    """What the PDF must contain: page titles and the number of solutions."""

    titles: list[str]
    solutions: int


def normalise(text: str) -> str:
    """Text with runs of white space made one space and typographic quotes and dashes plain."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\ufb01", "fi").replace("\ufb02", "fl")
    text = text.replace("-\n", "-")
    return re.sub(r"\s+", " ", text).strip()


def page_title(markdown: str) -> str:
    """The first ``#`` heading of a page, as it is printed (no Markdown decoration)."""
    for line in markdown.splitlines():
        if line.startswith("# "):
            return normalise(MARKDOWN_DECORATION.sub("", line[2:]))
    raise ValueError("page has no '# ' title")


def course_expectations() -> Expectations:
    """The titles of every page in ``_toc.yml`` and the number of solutions they hold."""
    texts = [page.read_text(encoding="utf-8") for page in toc_pages() if page.is_file()]
    return Expectations(
        titles=[page_title(text) for text in texts],
        solutions=sum(text.count("{solution-start}") for text in texts),
    )


def problems(text: str, pages: int, expected: Expectations) -> list[str]:
    """Every way in which a PDF with ``text`` and ``pages`` pages falls short of ``expected``."""
    found: list[str] = []
    low, high = PAGE_RANGE
    if not low <= pages <= high:
        found.append(f"{pages} pages, expected {low} to {high}")
    flat = normalise(text)
    blind = flat.casefold()
    found += [
        f"title missing (not both in the contents and as a heading): {title!r}"
        for title in expected.titles
        if blind.count(title.casefold()) < 2
    ]
    solutions = len(SOLUTION_TITLE.findall(flat))
    if solutions != expected.solutions:
        found.append(f"{solutions} printed solutions, the pages have {expected.solutions}")
    for line in text.splitlines():
        if UNRESOLVED.search(line):
            found.append(f"unresolved reference (??): {line.strip()!r}")
        if RAW_MARKUP.search(line):
            found.append(f"raw MyST markup: {line.strip()!r}")
    return found


def pdf_text(pdf: Path) -> tuple[str, int]:
    """The text of ``pdf`` (``pdftotext``) and its number of pages (``pdfinfo``)."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    if match is None:
        raise ValueError(f"pdfinfo gave no page count for {pdf}")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True)
    return text.stdout.decode("utf-8"), int(match.group(1))


def main(argv: list[str]) -> int:
    """Check the PDF named by ``argv[0]``; print what is wrong and return 1, or a summary and 0."""
    if len(argv) != 1:
        print("usage: python -m tools.pdf_check PDF", file=sys.stderr)
        return 2
    pdf = Path(argv[0])
    if not pdf.is_file():
        print(f"no PDF at {pdf}: run 'make pdf' first", file=sys.stderr)
        return 1
    text, pages = pdf_text(pdf)
    expected = course_expectations()
    found = problems(text, pages, expected)
    for problem in found:
        print(f"{pdf}: {problem}", file=sys.stderr)
    if found:
        return 1
    size = pdf.stat().st_size / 2**20
    print(
        f"{pdf}: {pages} pages, {size:.1f} MiB; all {len(expected.titles)} page titles, "
        f"{expected.solutions} solutions, no ?? and no raw markup"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
