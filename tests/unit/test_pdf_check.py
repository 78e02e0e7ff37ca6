"""The checks of the PDF book (tools/pdf_check.py) on made-up text: each problem is found."""

from __future__ import annotations

from pathlib import Path

from tools import pdf_check
from tools.pdf_check import Expectations, page_title, problems
from tools.sphinx_ext import pdf

EXPECTED = Expectations(titles=["1.1 What is a training loop?", "Glossary"], solutions=2)
GOOD = (
    "CONTENTS\n1.1 What is a\ntraining loop? 11\nGlossary 40\n"
    "CHAPTER ONE\n1.1 WHAT IS A TRAINING LOOP?\nExercise 1\nSolution to Exercise 1\n"
    "see Fig. 2.2 and (2.1)\nSolution to Exercise 2\nGlossary\nBIBLIOGRAPHY\n"
)


def test_a_complete_pdf_has_no_problems() -> None:
    assert problems(GOOD, 300, EXPECTED) == []


def test_page_count_out_of_range() -> None:
    low, high = pdf_check.PAGE_RANGE
    assert problems(GOOD, low - 1, EXPECTED) == [f"{low - 1} pages, expected {low} to {high}"]
    assert problems(GOOD, high + 1, EXPECTED) != []


def test_missing_title_and_solution_are_named() -> None:
    text = GOOD.replace("\nGlossary\n", "\n").replace("Solution to Exercise 2", "")
    assert problems(text, 300, EXPECTED) == [
        "title missing (not both in the contents and as a heading): 'Glossary'",
        "1 printed solutions, the pages have 2",
    ]


def test_unresolved_reference_and_raw_markup_are_found() -> None:
    for planted in [
        "see Fig. ?? above",
        "as {term}`epoch <Epoch>` says",
        "```{code-cell} ipython3",
        ":::{note}",
    ]:
        found = problems(GOOD + planted + "\n", 300, EXPECTED)
        assert len(found) == 1 and planted in found[0], planted


def test_a_role_named_in_code_text_is_not_raw_markup() -> None:
    assert (
        problems(GOOD + "Each lesson links here with {cite} where it leans on a source.\n", 300, EXPECTED)
        == []
    )


def test_page_title_drops_markdown() -> None:
    assert page_title("---\nx: 1\n---\n# API reference: `looplab`\n\ntext") == "API reference: looplab"


def test_every_page_of_the_course_has_a_title() -> None:
    expected = pdf_check.course_expectations()
    assert "Glossary" in expected.titles and "References" in expected.titles
    assert expected.solutions > 0


def test_the_site_looks_for_the_pdf_beside_its_html(tmp_path: Path) -> None:
    assert pdf.built_pdf(tmp_path / "_build" / "html") == tmp_path / "_build" / "latex" / "book.pdf"
