"""Highlighted code with one span per run of look-alike tokens (tools/sphinx_ext/highlight.py)."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace
from typing import Any, ClassVar

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, get_lexer_by_name
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Comment, Generic, Keyword, Name, Punctuation, Text

from tools.sphinx_ext import highlight as compact
from tools.sphinx_ext.versions import code_version

THEME_STYLES = [get_style_by_name("a11y-high-contrast-light"), get_style_by_name("a11y-high-contrast-dark")]

CODE = """import torch

for step in range(3):  # three updates
    loss = (w * x - y).pow(2).mean()
    print(f"step {step}: loss {loss.item():.4f}")
"""


def formatter(styles: list[type[Style]]) -> type[compact.CompactHtmlFormatter]:
    return type("F", (compact.CompactHtmlFormatter,), {"look_alike": compact.look_alike_types(styles)})


def spans(markup: str) -> list[str]:
    return re.findall(r'<span class="([^"]*)">', markup)


class TwoColours(Style):  # type: ignore[misc]
    """Keywords and comments coloured, names bold, everything else plain."""

    styles: ClassVar[dict[Any, str]] = {Keyword: "#aa0000", Comment: "#aa0000", Name: "bold"}


class KeywordsOnly(Style):  # type: ignore[misc]
    styles: ClassVar[dict[Any, str]] = {Keyword: "#0000aa"}


def test_types_map_to_the_most_general_type_that_looks_the_same_in_every_style() -> None:
    mapping = compact.look_alike_types([TwoColours])
    assert mapping[Punctuation] is Text and mapping[Text.Whitespace] is Text
    assert mapping[Comment.Single] is Comment and mapping[Keyword.Namespace] is Comment
    assert mapping[Name.Builtin] is Name and Name not in mapping
    # A second style in which comments are plain tells keywords and comments apart.
    mapping = compact.look_alike_types([TwoColours, KeywordsOnly])
    assert mapping[Keyword.Namespace] is Keyword and Comment not in mapping
    assert mapping[Comment.Single] is Comment


def test_every_renamed_type_looks_the_same_in_the_theme_styles() -> None:
    mapping = compact.look_alike_types(THEME_STYLES)
    assert mapping, "the theme's styles draw some token types alike"
    for ttype, target in mapping.items():
        assert target in STANDARD_TYPES
        for style in THEME_STYLES:
            assert style.style_for_token(ttype) == style.style_for_token(target), (ttype, target)
    # Names and punctuation look like plain text in both modes; prompts keep their class.
    assert mapping[Name] is Text and mapping[Punctuation] is Text
    assert Generic.Prompt not in mapping and Generic.Output not in mapping
    assert Generic.Prompt not in mapping.values()


def test_compact_markup_has_the_same_text_and_far_fewer_spans() -> None:
    plain = highlight(CODE, PythonLexer(), HtmlFormatter())
    compact_markup = highlight(CODE, PythonLexer(), formatter(THEME_STYLES)())
    text = html.unescape(re.sub(r"<[^>]+>", "", compact_markup))
    assert text == html.unescape(re.sub(r"<[^>]+>", "", plain))
    assert CODE in text
    assert len(spans(compact_markup)) < len(spans(plain)) / 2
    assert not {"n", "p", "w"} & set(spans(compact_markup))


def test_prompts_keep_their_class_for_the_copy_button() -> None:
    markup = highlight(">>> 1 + 1\n2\n", get_lexer_by_name("pycon"), formatter(THEME_STYLES)())
    assert '<span class="gp">&gt;&gt;&gt; </span>' in markup
    assert '<span class="go">2</span>' in markup


def fake_app(fmt: str, options: dict[str, str]) -> Any:
    highlighter = SimpleNamespace(formatter=HtmlFormatter)
    theme = SimpleNamespace(get_options=lambda: dict(options))
    builder = SimpleNamespace(format=fmt, highlighter=highlighter, theme=theme)
    return SimpleNamespace(builder=builder, config=SimpleNamespace(html_theme_options={}))


def test_only_the_html_builder_with_two_known_styles_gets_the_formatter() -> None:
    styles = {"pygments_light_style": "a11y-high-contrast-light", "pygments_dark_style": "monokai"}
    app = fake_app("html", styles)
    compact.use_compact_formatter(app)
    assert issubclass(app.builder.highlighter.formatter, compact.CompactHtmlFormatter)
    assert app.builder.highlighter.formatter.look_alike == compact.look_alike_types(
        [get_style_by_name("a11y-high-contrast-light"), get_style_by_name("monokai")]
    )
    latex = fake_app("latex", styles)
    compact.use_compact_formatter(latex)
    assert latex.builder.highlighter.formatter is HtmlFormatter
    unknown = fake_app("html", {"pygments_light_style": "no-such-style"})
    compact.use_compact_formatter(unknown)
    assert unknown.builder.highlighter.formatter is HtmlFormatter


def test_code_version_changes_with_the_code(tmp_path: Any) -> None:
    first, second = tmp_path / "a.py", tmp_path / "b.js"
    first.write_text("one", encoding="utf-8")
    second.write_text("two", encoding="utf-8")
    version = code_version(first, second)
    assert len(version) == 16 and version == code_version(first, second)
    second.write_text("three", encoding="utf-8")
    assert code_version(first, second) != version
    # Installed packages' versions count too (an upgrade of Pygments or the theme).
    with_pygments = code_version(first, packages=["pygments"])
    assert with_pygments != code_version(first)
    assert with_pygments == code_version(first, packages=["pygments"])
    assert code_version(first, packages=["no-such-package"]) != with_pygments
