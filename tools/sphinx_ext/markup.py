"""Small repairs of generated page markup that accessibility checkers reject.

They are fixed in the rendered body of each page, because the markup comes from
writers the course does not own:

- docutils writes each citation of the bibliography as
  ``<div role="doc-biblioentry">`` inside ``<div role="list">``; the role is
  deprecated and a list must contain list items (axe: aria-deprecated-role,
  aria-allowed-role, aria-required-children). Each entry becomes a list item.
- sphinx-exercise gives the body of every exercise and solution the same
  ``id`` (``exercise-content``, ``solution-content``), so a page with two
  exercises repeats ids. The body keeps the name as a class instead; nothing
  links to these ids.

And two additions for speed: images below the page's first section heading (figures)
are loaded lazily, when the reader scrolls near them, so they do not compete with the
text for the first view; and an image's size in pixels, which docutils writes as
``style="width: ...px; height: ...px;"`` (:mod:`.images` sets it on every figure), becomes
``width``/``height`` attributes. The browser then reserves the figure's place before it
loads (no layout shift) from their ratio, and the theme's ``max-width: 100%`` with
``height: auto`` still shrinks it to a narrow column, which a fixed height in ``style``
would distort.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

_CITATION_ROLE = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')
_REPEATED_ID = re.compile(r'<section id="(exercise-content|solution-content)">')
_IMG = re.compile(r"<img (?![^>]*\bloading=)")
_IMG_SIZE_STYLE = re.compile(
    r'(<img\b[^>]*?) style="width: (\d+)(?:\.0+)?px; height: (\d+)(?:\.0+)?px;"(?=[^>]*>)'
)


def repair_body(body: str) -> str:
    """The page body with citation roles and repeated ids repaired, figures loaded lazily and sized."""
    body = _CITATION_ROLE.sub(r'\1 role="listitem"', body)
    body = _IMG_SIZE_STYLE.sub(r'\1 width="\2" height="\3"', body)
    body = _REPEATED_ID.sub(r'<section class="\1">', body)
    head, heading, rest = body.partition("<h2")
    return head + heading + _IMG.sub('<img loading="lazy" decoding="async" ', rest)


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if isinstance(context.get("body"), str):
        context["body"] = repair_body(context["body"])


def setup(app: Sphinx) -> None:
    """Connect the page handler."""
    app.connect("html-page-context", _on_html_page_context)
