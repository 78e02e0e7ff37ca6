"""Unit tests of tools/sphinx_ext/notebook_text.py: MyST markup as a downloaded notebook shows it."""

from __future__ import annotations

from typing import Any

import pytest
from pybtex.database import Person  # type: ignore[import-untyped]

from tools.sphinx_ext import notebook_text as nt

PAGE = "book/module1/1-1-a"
TARGETS = nt.Targets(
    base_url="https://example.org/site/",
    docname=PAGE,
    equations={"eq-line": (PAGE, 1), "eq-mse": (PAGE, 2), "eq-far": ("book/module1/1-2-b", 7)},
    terms={"learning rate": ("book/reference/glossary", "term-Learning-rate")},
    labels={"sec-choose": ("book/module3/3-1-c", "sec-choose", "Choosing an optimizer")},
    titles={PAGE: "1.1 A", "book/module1/1-2-b": "1.2 B", "book/reference/glossary": "Glossary"},
    citations={"kingma2015adam": nt.Citation("Kingma and Ba", "2015", "book/reference/bibliography", "id7")},
    exercises={"ex-a": 1, "ex-b": 2},
)


class Warnings(list[str]):
    def __call__(self, message: str) -> None:
        self.append(message)


def inline(text: str) -> tuple[str, list[str]]:
    warnings = Warnings()
    return nt.convert_inline(text, TARGETS, warnings), warnings


def test_terms_and_pages_become_links_to_the_published_site() -> None:
    text, warnings = inline("the {term}`rate <Learning rate>` and {term}`Learning rate`")
    glossary = "https://example.org/site/book/reference/glossary.html#term-Learning-rate"
    assert text == f"the [rate]({glossary}) and [Learning rate]({glossary})"
    assert (
        inline("see {doc}`/book/module1/1-2-b`")[0]
        == "see [1.2 B](https://example.org/site/book/module1/1-2-b.html)"
    )
    assert inline("see {doc}`lesson two <1-2-b>`")[0].startswith(
        "see [lesson two](https://example.org/site/book/"
    )
    assert warnings == []


def test_a_role_may_run_over_a_line_break_and_code_is_left_alone() -> None:
    text, _ = inline("one {term}`learning\nrate <Learning rate>` and `{term}`x``")
    assert text.startswith("one [learning rate](https://") and text.endswith(" and `{term}`x``")


def test_equation_references_become_the_page_numbers() -> None:
    assert inline("Repeating {eq}`eq-mse` and {eq}`eq-line`.")[0] == "Repeating (2) and (1)."
    far = inline("{eq}`eq-far`")[0]
    assert far == "[(7)](https://example.org/site/book/module1/1-2-b.html#equation-eq-far)"


def test_citations_read_author_year_and_link_the_bibliography() -> None:
    entry = "https://example.org/site/book/reference/bibliography.html#id7"
    assert inline("Adam {cite}`kingma2015adam`")[0] == f"Adam ([Kingma and Ba, 2015]({entry}))"
    assert inline("{cite:p}`kingma2015adam`")[0] == f"([Kingma and Ba, 2015]({entry}))"
    assert inline("{cite:t}`kingma2015adam`")[0] == f"[Kingma and Ba]({entry}) (2015)"


def test_refs_link_the_section_title() -> None:
    text, _ = inline("{ref}`sec-choose`")
    assert text == "[Choosing an optimizer](https://example.org/site/book/module3/3-1-c.html#sec-choose)"


def test_unknown_targets_and_roles_are_reported_not_left_raw() -> None:
    text, warnings = inline("{term}`Nope` {eq}`eq-none` {cite}`x` {kbd}`Ctrl`")
    assert "{" not in text and "`" not in text
    assert len(warnings) == 4 and "no glossary term 'Nope'" in warnings[0]


def test_author_names_decode_latex_and_shorten_long_lists() -> None:
    assert nt.author_names([Person('M{\\"u}ller, Rafael')]) == "Müller"
    assert nt.author_names([Person("Kingma, D."), Person("Ba, J.")]) == "Kingma and Ba"
    assert nt.author_names([Person("He, K."), Person("Zhang, X."), Person("Ren, S.")]) == "He et al."


def test_author_names_look_the_text_backend_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # pybtex looks a backend up among every installed distribution's entry points (13 ms); the
    # build renders thousands of names, and a lookup per name cost a clean build 40 s.
    import pybtex.plugin  # type: ignore[import-untyped]

    lookups: list[str] = []
    find_plugin = pybtex.plugin.find_plugin

    def counting(group: str, name: str | None = None) -> Any:
        lookups.append(f"{group}:{name}")
        return find_plugin(group, name)

    monkeypatch.setattr(pybtex.plugin, "find_plugin", counting)
    nt._text_backend.cache_clear()
    for _ in range(3):
        assert nt.author_names([Person("Kingma, D."), Person("Ba, J.")]) == "Kingma and Ba"
    assert lookups == ["pybtex.backends:text"]


def md(cell_id: str, source: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


def code(cell_id: str, source: str) -> dict[str, Any]:
    out = [{"output_type": "stream", "name": "stdout", "text": "ok\n"}]
    return {
        "cell_type": "code",
        "id": cell_id,
        "metadata": {},
        "source": source,
        "outputs": out,
        "execution_count": 1,
    }


LESSON = [
    md(
        "m1",
        "(sec-top)=\n## Maths\n\n$$\ny = w x\n$$ (eq-line)\n\n$$\nz\n$$\n\n"
        "```{math}\n:label: eq-mse\nL = 0\n```\n\n"
        "```{note}\nA {term}`Learning rate` note.\n```\n\n"
        "```python\n{term}`kept` in code\n```\n\n"
        ":::{dropdown} Answer\nHidden {eq}`eq-line`.\n:::\n",
    ),
    code("c1", "x = 1"),
    md(
        "m2",
        "## Exercises\n\n```{exercise-start}\n:label: ex-a\n```\nDo A.\n```{exercise-end}\n```\n\n"
        "```{solution-start} ex-a\n:class: dropdown\n```\nWhy A.\n",
    ),
    code("c2", "assert x == 1"),
    md(
        "m3",
        "Done A.\n```{solution-end}\n```\n\n```{exercise-start} The second\n:label: ex-b\n```\nDo B.\n"
        "```{exercise-end}\n```\n```{solution-start} ex-b\n```\n",
    ),
    code("c3", "y = x + 1"),
    md("m4", "```{solution-end}\n```\n\n## Summary\n\nDone."),
]


def convert(cells: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    warnings = Warnings()
    return nt.reader_cells(cells, TARGETS, warnings), warnings


def test_blocks_become_markdown_a_notebook_renders() -> None:
    cells, warnings = convert(LESSON)
    assert warnings == []
    first = cells[0]["source"]
    assert "(sec-top)=" not in first and ":label:" not in first and "```{" not in first
    assert "$$\ny = w x\n\\tag{1}\n$$" in first
    assert "$$\nz\n$$" in first, "an unlabelled formula gets no number"
    assert "$$\nL = 0\n\\tag{2}\n$$" in first
    assert "> **Note**\n>\n> A [Learning rate](https://" in first
    assert "```python\n{term}`kept` in code\n```" in first
    assert "<details>\n<summary>Answer</summary>\n\nHidden (1).\n\n</details>" in first


def test_exercises_stay_and_solutions_close_their_section_in_order() -> None:
    cells, _ = convert(LESSON)
    texts = [c["source"].strip() for c in cells]
    ids = [c["id"] for c in cells]
    assert len(set(ids)) == len(ids)
    exercise_a = next(t for t in texts if "### Exercise 1" in t)
    assert "Do A." in exercise_a and "Why A." not in exercise_a and "under Solutions" in exercise_a
    assert any(t.startswith("### Exercise 2 (The second)") for t in texts)
    end = texts.index(nt.SOLUTIONS_HEADING)
    summary = texts.index("## Summary\n\nDone.")
    assert texts[end + 1 : summary] == [
        "### Solution to Exercise 1",
        "Why A.",
        "assert x == 1",
        "Done A.",
        "### Solution to Exercise 2",
        "y = x + 1",
    ], "the solutions close the exercises' section, before the next section"
    assert [c["id"] for c in cells if c["cell_type"] == "code"] == ["c1", "c2", "c3"], "code order changed"
    assert cells[ids.index("c2")]["outputs"] == LESSON[3]["outputs"], "outputs are kept"
    assert LESSON[2]["source"].startswith("## Exercises"), "the input was modified"


def test_code_that_moving_the_solutions_would_reorder_is_reported() -> None:
    definitions = md("m5", "```{exercise-start}\n:label: ex-b\n```\nC.\n```{exercise-end}\n```")
    helper = code("c4", "import math\n\ndef helper() -> int:\n    return 1")
    _, warnings = convert([*LESSON[:-1], md("m4", "```{solution-end}\n```"), definitions, helper])
    assert warnings == [], "a cell of definitions only may run before the solutions"
    _, warnings = convert([*LESSON[:-1], md("m4", "```{solution-end}\n```"), code("c5", "print(y)")])
    assert len(warnings) == 1 and "c5" in warnings[0]
    rebinding = code("c6", "def y() -> None:\n    pass")
    _, warnings = convert([*LESSON[:-1], md("m4", "```{solution-end}\n```"), rebinding])
    assert len(warnings) == 1, "a definition under a name a solution binds would change the solution"
    later = code("c7", "print(y)")
    cells, warnings = convert([*LESSON, later])
    assert warnings == [], "code of a later section runs after the solutions anyway"
    assert [c["id"] for c in cells if c["cell_type"] == "code"] == ["c1", "c2", "c3", "c7"]


@pytest.mark.parametrize("source", ["```{solution-start} ex-a\n```\nopen", "```{glossary}\nx\n```"])
def test_unclosed_solutions_and_unknown_directives_are_reported(source: str) -> None:
    _, warnings = convert([md("m", source)])
    assert len(warnings) == 1
