"""Formulas typeset at build time (tools/sphinx_ext/mathjax.py, typeset.js)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tools.sphinx_ext import mathjax

# Sphinx's MathJax markup, as sphinx.ext.mathjax writes it (display formulas start on a new
# line after their div; a numbered one has its number's span first).
BODY = (
    '<p>A loss <span class="math notranslate nohighlight">\\(L(w) &lt; 1\\)</span> and a rate '
    '<span class="math notranslate nohighlight">\\(\\eta\\)</span>.</p>\n'
    '<div class="math notranslate nohighlight" id="equation-eq-step">\n'
    '<span class="eqno">(1)<a class="headerlink" href="#equation-eq-step" title="Link to this '
    'equation">#</a></span>\\[\nw \\leftarrow w - \\eta g\n\\]</div>\n'
    '<div class="math notranslate nohighlight">\n'
    "\\[\\begin{split}a &amp;= b \\\\ c &amp;= d\\end{split}\\]</div>"
)


def test_find_formulas_in_order_unescaped_with_their_kind() -> None:
    assert mathjax.find_formulas(BODY) == [
        ("L(w) < 1", False),
        ("\\eta", False),
        ("\nw \\leftarrow w - \\eta g\n", True),
        ("\\begin{split}a &= b \\\\ c &= d\\end{split}", True),
    ]
    assert mathjax.find_formulas("<p>No formula, only \\(TeX\\) in prose.</p>") == []


def test_replace_formulas_keeps_the_markup_around_them() -> None:
    typeset = [f'<mjx-container class="MathJax" n="{i}"></mjx-container>' for i in range(4)]
    body = mathjax.replace_formulas(BODY, typeset)
    assert "\\(" not in body and "\\[" not in body
    assert '<span class="math notranslate nohighlight"><mjx-container class="MathJax" n="0">' in body
    # The equation number and its link stay; displayed formulas take keyboard focus.
    assert '#</a></span><mjx-container tabindex="0" class="MathJax" n="2">' in body
    assert body.count('tabindex="0"') == 2
    assert body.startswith("<p>A loss ") and body.endswith("</mjx-container></div>")


class FakeRenderer:
    def __init__(self, errors: Sequence[tuple[int, str]] = ()) -> None:
        self.calls = 0
        self.errors = list(errors)

    def __call__(self, formulas: Sequence[mathjax.Formula], fonts: str) -> dict[str, Any]:
        self.calls += 1
        html = [f"<mjx-container>{tex}</mjx-container>" for tex, _ in formulas]
        return {"html": html, "css": f"src: url({fonts}/a.woff)", "errors": self.errors}


def test_typeset_page_renders_once_then_reads_the_cache(tmp_path: Path) -> None:
    render, warnings = FakeRenderer(), list[str]()
    first = mathjax.typeset_page(BODY, "../f", tmp_path, render, warnings.append)
    again = mathjax.typeset_page(BODY, "../f", tmp_path, render, warnings.append)
    assert first == again and render.calls == 1 and warnings == []
    assert first[1] == "src: url(../f/a.woff)"
    # Another depth of page (another font path) or another formula is typeset anew.
    mathjax.typeset_page(BODY, "../../f", tmp_path, render, warnings.append)
    mathjax.typeset_page(BODY.replace("\\eta", "\\alpha"), "../f", tmp_path, render, warnings.append)
    assert render.calls == 3
    none = mathjax.typeset_page("<p>none</p>", "../f", tmp_path, render, warnings.append)
    assert none == ("<p>none</p>", "")
    assert render.calls == 3


def test_a_formula_mathjax_cannot_parse_is_a_warning_and_not_cached(tmp_path: Path) -> None:
    render, warnings = FakeRenderer(errors=[(1, "Undefined control sequence \\eta")]), list[str]()
    mathjax.typeset_page(BODY, "f", tmp_path, render, warnings.append)
    mathjax.typeset_page(BODY, "f", tmp_path, render, warnings.append)
    assert render.calls == 2 and len(warnings) == 2
    assert "'\\\\eta' cannot be typeset: Undefined control sequence" in warnings[0]


@pytest.fixture(scope="module")
def typesetter() -> Any:
    node = mathjax.Typesetter(mathjax.mathjax_dir())
    yield node
    node.close()


def test_node_typesets_html_with_mathml_and_the_page_stylesheet(typesetter: mathjax.Typesetter) -> None:
    result = typesetter.page([("x^2", False), ("\\frac{1}{n}\\sum_i y_i", True)], "../_static/fonts")
    assert result["errors"] == []
    inline, display = result["html"]
    assert inline.startswith("<mjx-container") and "<mjx-assistive-mml" in inline and "<msup>" in inline
    assert 'display="true"' in display
    assert 'url("../_static/fonts/MathJax_Main-Regular.woff")' in result["css"]
    # Each page's stylesheet names the characters of its own formulas only.
    other = typesetter.page([("y", False)], "f")
    assert "mjx-c1D465" in result["css"] and "mjx-c1D465" not in other["css"]


def test_node_reports_a_formula_it_cannot_parse(typesetter: mathjax.Typesetter) -> None:
    result = typesetter.page([("a", False), ("\\frac{a", False)], "f")
    assert result["errors"] == [[1, "Missing close brace"]]
