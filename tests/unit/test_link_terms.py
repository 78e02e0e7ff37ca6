"""tools.link_terms links the first plain use of a glossary term and nothing else."""

from __future__ import annotations

from pathlib import Path

from tools.link_terms import glossary_terms, link_first_uses

TEXT = """---
kernelspec:
  name: python3
---

# A gradient lesson

The loss falls. Another loss here.

```{code-cell} ipython3
loss = 1  # the learning rate is not linked in code
```

$$ \\text{learning rate} $$

Use `learning rate` in code, $the learning rate$ in math, and [learning rate](x.md) in a link.
Then the Learning Rates in prose, and gradient descent, already {term}`linked <Gradient descent>`.

```{admonition} Note
A gradient inside an admonition.
```
"""


def test_links_first_plain_use_only() -> None:
    terms = ["Loss", "Learning rate", "Gradient descent", "Gradient"]
    new, linked, left = link_first_uses(TEXT, terms)
    assert "The {term}`loss <Loss>` falls. Another loss here." in new
    assert "the {term}`Learning Rates <Learning rate>` in prose" in new
    assert "loss = 1  # the learning rate is not linked in code" in new
    assert "Use `learning rate` in code, $the learning rate$ in math, and [learning rate](x.md)" in new
    assert "A {term}`gradient <Gradient>` inside an admonition." in new
    assert "# A gradient lesson" in new
    assert new.count("<Gradient descent>") == 1
    assert sorted(linked) == ["Gradient", "Learning rate", "Loss"] and left == []


def test_reads_the_terms_of_glossary_blocks(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.md"
    glossary.write_text(
        "# G\n\n```{glossary}\nLoss\n  A number.\n\nStep\n  One update.\n```\n", encoding="utf-8"
    )
    assert glossary_terms(glossary) == ["Loss", "Step"]


def test_a_link_across_lines_counts_and_a_second_run_changes_nothing() -> None:
    text = "A line with a {term}`stochastic gradient\ndescent <Stochastic gradient descent>` in it.\n"
    terms = ["Stochastic gradient descent", "Gradient descent", "Gradient"]
    new, linked, _ = link_first_uses(text, terms)
    assert new == text and linked == []
    once, _, _ = link_first_uses("The loss and the loss.\n", ["Loss"])
    twice, again, _ = link_first_uses(once, ["Loss"])
    assert once == twice == "The {term}`loss <Loss>` and the loss.\n" and again == []
