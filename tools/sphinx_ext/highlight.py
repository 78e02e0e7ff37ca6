"""Highlighted code with one element per run of tokens that look the same.

Pygments writes one ``<span>`` per token, and most tokens of Python code are names and
punctuation that the theme's highlighting styles draw exactly like unmarked code text.
A lesson page had 7,000 to 13,000 elements, about half of them such spans, and laying
them out is most of the main-thread work that Lighthouse counts against the page.

When the HTML builder starts, :func:`look_alike_types` compares, for every standard
token type, its style in the theme's light *and* dark Pygments styles (the two the
theme's ``pygments.css`` is written from) with the style of plain text and of the
other types. The builder's highlighter then gets :class:`CompactHtmlFormatter`, which
renames each token to the shallowest type that looks the same in both styles before
Pygments writes it: a token that looks like plain text gets no span, and neighbouring
tokens that look alike share one (Pygments merges neighbours of the same class). The
page looks the same in both colour modes, with about two thirds fewer spans in code.

Text outside a span is drawn in the style's text colour: ``pygments.css`` gives it to
``div.highlight``, and ``book/_static/course.css`` lets the ``<pre>`` inside inherit it
instead of the theme's colour for ``<pre>``. Prompts and output markers (``.gp``, ``.go``)
keep their own class (the theme's stylesheet makes prompts unselectable by it). The pages
are written again when this module, Pygments, the styles' package or the theme changes.
The LaTeX builder is not changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, ClassVar

from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.styles import get_all_styles, get_style_by_name
from pygments.token import STANDARD_TYPES, Generic, Text, _TokenType
from sphinx.application import Sphinx
from sphinx.util import logging

from tools.sphinx_ext.versions import add_code_version

LOGGER = logging.getLogger(__name__)

#: The theme options naming the two styles (pydata-sphinx-theme's ``theme.conf``).
STYLE_OPTIONS = ("pygments_light_style", "pygments_dark_style")

#: The packages whose versions decide the output: the formatter, the styles, the theme.
STYLE_PACKAGES = ("pygments", "accessible-pygments", "pydata-sphinx-theme")

#: Token types whose class other code depends on: they are never renamed.
KEEP = frozenset({Generic.Prompt, Generic.Output})


def look_alike_types(styles: Iterable[type[Style]]) -> dict[_TokenType, _TokenType]:
    """Map every standard token type to the shallowest one drawn the same in all ``styles``.

    Types drawn like plain text map to ``Token.Text`` (which Pygments writes without a
    span); a type that looks like no more general one is left out of the map.
    """
    styles = list(styles)

    def look(ttype: _TokenType) -> tuple[tuple[tuple[str, Any], ...], ...]:
        return tuple(tuple(sorted(style.style_for_token(ttype).items())) for style in styles)

    # Plain text first, then the fewest ancestors, then the class name (a total order).
    candidates = sorted(
        (t for t in STANDARD_TYPES if t not in KEEP),
        key=lambda t: (t is not Text, len(t), STANDARD_TYPES[t]),
    )
    representative: dict[tuple[tuple[tuple[str, Any], ...], ...], _TokenType] = {}
    mapping: dict[_TokenType, _TokenType] = {}
    for ttype in candidates:
        key = look(ttype)
        target = representative.setdefault(key, ttype)
        if target is not ttype:
            mapping[ttype] = target
    return mapping


class CompactHtmlFormatter(HtmlFormatter):  # type: ignore[misc]
    """Pygments' HTML formatter, with each token renamed by :attr:`look_alike` first."""

    look_alike: ClassVar[Mapping[_TokenType, _TokenType]] = {}

    def format_unencoded(self, tokensource: Iterable[tuple[_TokenType, str]], outfile: IO[str]) -> None:
        look_alike = self.look_alike

        def renamed() -> Iterator[tuple[_TokenType, str]]:
            for ttype, value in tokensource:
                yield look_alike.get(ttype, ttype), value

        super().format_unencoded(renamed(), outfile)


def theme_styles(app: Sphinx) -> list[type[Style]] | None:
    """The theme's light and dark Pygments styles, or ``None`` if the theme names none."""
    theme = getattr(app.builder, "theme", None)
    if theme is None:
        return None
    options = {**theme.get_options(), **(app.config.html_theme_options or {})}
    names = [str(options.get(option)) for option in STYLE_OPTIONS]
    if not all(name in get_all_styles() for name in names):
        LOGGER.info("highlighted code: the theme names no light and dark Pygments styles")
        return None
    return [get_style_by_name(name) for name in names]


def use_compact_formatter(app: Sphinx) -> None:
    """Give the HTML builder's highlighter :class:`CompactHtmlFormatter` for its styles."""
    highlighter = getattr(app.builder, "highlighter", None)
    if app.builder.format != "html" or highlighter is None:
        return
    styles = theme_styles(app)
    if styles is None:
        return
    formatter = type("CourseHtmlFormatter", (CompactHtmlFormatter,), {"look_alike": look_alike_types(styles)})
    highlighter.formatter = formatter


def setup(app: Sphinx) -> None:
    """Use :class:`CompactHtmlFormatter` in the HTML build; pages are written again when it changes."""
    add_code_version(app, "course_highlighting", Path(__file__), packages=STYLE_PACKAGES)
    app.connect("builder-inited", use_compact_formatter)
