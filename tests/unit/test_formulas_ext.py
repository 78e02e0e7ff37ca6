"""Formulas written as MathML at build time (tools/sphinx_ext/formulas.py, typeset.js)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from sphinx.errors import ExtensionError

from tools.sphinx_ext import formulas

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
    assert formulas.find_formulas(BODY) == [
        ("L(w) < 1", False),
        ("\\eta", False),
        ("\nw \\leftarrow w - \\eta g\n", True),
        ("\\begin{split}a &= b \\\\ c &= d\\end{split}", True),
    ]
    assert formulas.find_formulas("<p>No formula, only \\(TeX\\) in prose.</p>") == []


def test_replace_formulas_keeps_the_markup_around_them() -> None:
    mathml = [
        f'<math n="{i}"></math>' if i < 2 else f'<math display="block" n="{i}"></math>' for i in range(4)
    ]
    body = formulas.replace_formulas(BODY, mathml)
    assert "\\(" not in body and "\\[" not in body
    assert '<span class="math notranslate nohighlight"><math n="0">' in body
    # The equation number and its link stay; displayed formulas take keyboard focus.
    assert '#</a></span><math tabindex="0" display="block" n="2">' in body
    assert body.count('tabindex="0"') == 2
    assert body.startswith("<p>A loss ") and body.endswith("</math></div>")


class FakeRenderer:
    def __init__(self, errors: Sequence[tuple[int, str]] = ()) -> None:
        self.calls = 0
        self.errors = list(errors)

    def __call__(self, page: Sequence[formulas.Formula]) -> dict[str, Any]:
        self.calls += 1
        return {"mathml": [f"<math>{tex}</math>" for tex, _ in page], "errors": self.errors}


def test_typeset_page_renders_once_then_reads_the_cache(tmp_path: Path) -> None:
    render, warnings = FakeRenderer(), list[str]()
    first = formulas.typeset_page(BODY, tmp_path, render, warnings.append)
    again = formulas.typeset_page(BODY, tmp_path, render, warnings.append)
    assert first == again and render.calls == 1 and warnings == []
    assert "<math>L(w) < 1</math>" in first
    # Another formula is written anew; a page without formulas is left as it is.
    formulas.typeset_page(BODY.replace("\\eta", "\\alpha"), tmp_path, render, warnings.append)
    assert render.calls == 2
    assert formulas.typeset_page("<p>none</p>", tmp_path, render, warnings.append) == "<p>none</p>"
    assert render.calls == 2


def test_a_formula_temml_cannot_parse_is_a_warning_and_not_cached(tmp_path: Path) -> None:
    render, warnings = FakeRenderer(errors=[(1, "Undefined control sequence \\eta")]), list[str]()
    formulas.typeset_page(BODY, tmp_path, render, warnings.append)
    formulas.typeset_page(BODY, tmp_path, render, warnings.append)
    assert render.calls == 2 and len(warnings) == 2
    assert "'\\\\eta' cannot be typeset: Undefined control sequence" in warnings[0]


def test_math_characters_are_the_text_inside_math_elements() -> None:
    page = "<p>Text x</p><math><mi>&#x1D53C;</mi><mo>&lt;</mo><mn>2</mn></math><math><mi>η</mi></math>"
    assert formulas.math_characters(page) == {0x1D53C, ord("<"), ord("2"), 0x3B7}
    assert formulas.math_characters("<p>no formula</p>") == set()


def test_math_stylesheet_points_temml_at_the_site_font() -> None:
    css = formulas.math_stylesheet(
        formulas.TEMML_CSS.read_text(encoding="utf-8"), "math-fonts/STIXTwoMath.woff"
    )
    assert css.count("@font-face") == 1 and "local(" not in css and "woff2" not in css
    assert 'src: url("math-fonts/STIXTwoMath.woff") format("woff")' in css and "font-display: block" in css
    assert "font-family: STIX2, math" in css
    with pytest.raises(ExtensionError, match="font face"):
        formulas.math_stylesheet("math { color: red }", "f.woff")


def test_subset_font_keeps_the_characters_and_the_math_table(tmp_path: Path) -> None:
    target = tmp_path / "math.woff"
    formulas.subset_font(formulas.FONT_SOURCE, target, {ord("x"), ord("("), 0x2211})
    font = TTFont(target)
    assert {ord("x"), ord("("), 0x2211} <= set(font.getBestCmap()) and ord("y") not in font.getBestCmap()
    assert "MATH" in font and font.flavor == "woff"
    # The tall parentheses and sums that MathML layout stretches to are kept.
    assert len(font.getGlyphOrder()) > 10
    assert target.stat().st_size < 40_000


def test_write_math_font_cuts_for_every_page_and_again_only_on_change(tmp_path: Path) -> None:
    site, record = tmp_path / "html", tmp_path / "record.json"
    (site / "a").mkdir(parents=True)
    (site / "a" / "one.html").write_text("<math><mi>x</mi></math>", encoding="utf-8")
    (site / "two.html").write_text("<p>y</p><math><mi>&#x3B7;</mi></math>", encoding="utf-8")
    formulas.write_math_font(site, record)
    font = site / formulas.FONT
    assert set(TTFont(font).getBestCmap()) == {ord("x"), 0x3B7}
    written = font.stat().st_mtime_ns
    formulas.write_math_font(site, record)
    assert font.stat().st_mtime_ns == written
    (site / "two.html").write_text("<math><mi>z</mi></math>", encoding="utf-8")
    formulas.write_math_font(site, record)
    assert set(TTFont(font).getBestCmap()) == {ord("x"), ord("z")}


@pytest.fixture(scope="module")
def typesetter() -> Any:
    node = formulas.Typesetter(formulas.TEMML)
    yield node
    node.close()


def test_node_writes_mathml_core(typesetter: formulas.Typesetter) -> None:
    result = typesetter.page([("x^2", False), ("\\frac{1}{n}\\sum_i y_i", True), ("\\mathbb{E}", False)])
    assert result["errors"] == []
    inline, display, letter = result["mathml"]
    assert inline.startswith("<math>") and "<msup><mi>x</mi>" in inline
    assert display.startswith('<math display="block"') and "<mfrac>" in display and "∑" in display
    # Chromium ignores mathvariant: a double-struck E is the Unicode letter itself.
    assert "\U0001d53c" in letter and "mathvariant" not in letter


def test_node_reports_a_formula_it_cannot_parse(typesetter: formulas.Typesetter) -> None:
    result = typesetter.page([("a", False), ("\\frac{a", False)])
    assert len(result["errors"]) == 1 and result["errors"][0][0] == 1
    assert "end of input" in result["errors"][0][1] and result["mathml"][1] == ""
