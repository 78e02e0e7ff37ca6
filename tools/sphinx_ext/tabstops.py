"""Keyboard tab stops for the boxes that scroll, written in the markup instead of measured.

A box whose content is wider than the page scrolls sideways, and a reader without a mouse
can scroll it only once it takes the keyboard focus (axe: scrollable-region-focusable).
pydata-sphinx-theme's script finds such boxes by measuring: once the page has loaded, and
again after any change to the article or the window's size, it reads the scroll width of
every code block, cell output and table and sets its ``tabindex``. Reading a size makes
the browser lay out everything up to that box first. The lesson pages lay out a section
only when it comes near the screen (``content-visibility`` in ``book/_static/course.css``),
and this one measurement undid that: it laid out the whole page at once, in one long task
as the page finished loading (Lighthouse's blocking time, ``tools/lighthouse.md``). It also
missed code inside a solution that is still closed, which does not scroll until it is opened.

So the build decides instead, in each page's markup: every code block and every table's
scrolling container gets ``tabindex="0"`` (typeset display formulas get theirs from
:mod:`.mathjax`), and the statement that starts the theme's measuring is removed from the
site's copy of the theme's script after the build. A theme whose script no longer has
that statement, exactly once, stops the build: what replaces it must be checked again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

THEME_SCRIPT = Path("_static/scripts/pydata-sphinx-theme.js")

#: What the statement becomes: a no-op that says where the tab stops come from, so a rebuild
#: over a site already built (the copy is then already edited) is recognised.
REPLACEMENT = "void 0/* tab stops are in the markup: tools/sphinx_ext/tabstops.py */"

_SCROLLING_BOX = re.compile(
    r'<(?:pre(?=[\s>])|div class="pst-scrollable-table-container")(?![^>]*\btabindex=)'
)
# The theme's minified script ends with
#   "complete"===document.readyState?f():window.addEventListener("load",f)
# for its function f that measures the boxes (the name changes from release to release).
_START_MEASURING = re.compile(
    r'"complete"===document\.readyState\?(?P<f>[\w$]+)\(\):window\.addEventListener\("load",(?P=f)\)'
)


def add_tab_stops(body: str) -> str:
    """``body`` with ``tabindex="0"`` on every ``<pre>`` and table container that has no tabindex."""
    return _SCROLLING_BOX.sub(lambda match: match[0] + ' tabindex="0"', body)


def without_measuring(script: str) -> str:
    """The theme's ``script`` without the statement that starts measuring its scrolling boxes.

    Raises :class:`ValueError` unless the statement occurs exactly once and the function it
    starts is the one that reads scroll widths and sets tab stops; a script already edited
    is returned unchanged.
    """
    if REPLACEMENT in script:
        return script
    found = list(_START_MEASURING.finditer(script))
    if len(found) != 1:
        raise ValueError(
            f"the theme's script should start its tab-stop measuring once, found {len(found)} times"
        )
    name = re.escape(found[0]["f"])
    body = re.search(rf"function {name}\(\)\{{(?P<body>[^}}]*)", script)
    if body is None or "scrollWidth" not in body["body"] or ".tabIndex=" not in body["body"]:
        raise ValueError(
            f"the function {found[0]['f']} the theme's script starts on load does not set tab stops"
        )
    return script[: found[0].start()] + REPLACEMENT + script[found[0].end() :]


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if isinstance(context.get("body"), str):
        context["body"] = add_tab_stops(context["body"])


def _on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    path = Path(app.outdir) / THEME_SCRIPT
    if exception is not None or app.builder.format != "html" or not path.is_file():
        return
    try:
        path.write_text(without_measuring(path.read_text(encoding="utf-8")), encoding="utf-8")
    except ValueError as error:
        raise ExtensionError(f"{path}: {error} (tools/sphinx_ext/tabstops.py)") from error


def setup(app: Sphinx) -> None:
    """Write the tab stops into every page and edit the theme's script after the build."""
    app.connect("html-page-context", _on_html_page_context)
    app.connect("build-finished", _on_build_finished)
