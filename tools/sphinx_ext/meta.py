"""A meta description for every page that does not bring its own.

Search engines show it under the page's title and social cards (sphinxext-opengraph)
show it under the link. sphinxext-opengraph would derive one itself, but it starts with
the first heading ("Introduction: A model is ...") and cuts words in half. Here it is
the page's first paragraph of running text, cut at a word boundary to about the length a
search result shows. Pages written without a doctree (search, index) get the site's
description (``course_site_description``) and, since sphinxext-opengraph skips them, their
social-card tags too. A page sets its own with MyST front matter::

    ---
    html_meta:
      description: What the page teaches, in a sentence.
    ---
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

MAX_LENGTH = 160
_PAGE_TITLES = {"search": "Search", "genindex": "Index", "py-modindex": "Module index"}
_CONTAINERS = (nodes.document, nodes.section)


def first_paragraph(doctree: nodes.document) -> str:
    """The text of the first paragraph that is neither a title nor inside a box, list or table."""
    for paragraph in doctree.findall(nodes.paragraph):
        parent = paragraph.parent
        if isinstance(parent, _CONTAINERS):
            return re.sub(r"\s+", " ", paragraph.astext()).strip()
    return ""


def shorten(text: str, limit: int = MAX_LENGTH) -> str:
    """``text`` itself if it fits in ``limit`` characters, else cut at a word boundary with an ellipsis."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-– ")
    return cut + "…"


def has_description(metatags: str) -> bool:
    """Whether the page's meta tags already hold a description (from its front matter)."""
    return re.search(r"<meta\s+[^>]*name=\"description\"", metatags) is not None


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    metatags = str(context.get("metatags", ""))
    if has_description(metatags):
        return
    text = first_paragraph(doctree) if doctree is not None else ""
    description = shorten(text or str(app.config.course_site_description))
    if not description:
        return
    tags = [("name", "description", description)]
    if doctree is None:
        # sphinxext-opengraph skips pages without a doctree; give them the same social card.
        page = re.sub(r"<[^>]+>", "", str(context.get("title") or "")) or _PAGE_TITLES.get(pagename, pagename)
        title = f"{page} — {app.config.html_title or app.config.project}"
        tags += [
            ("property", "og:title", title),
            ("property", "og:type", "website"),
            ("property", "og:description", description),
            ("name", "twitter:card", "summary"),
        ]
    context["metatags"] = metatags + "".join(
        f'<meta {kind}="{name}" content="{html.escape(value)}" />\n' for kind, name, value in tags
    )
    # sphinxext-opengraph (which runs next) takes og:description from the page's fields.
    # Its tag writer escapes only quotes, so the rest is escaped here.
    og_description = html.escape(description, quote=False)
    context["meta"] = {**(context.get("meta") or {}), "og:description": og_description}


def setup(app: Sphinx) -> None:
    """Add ``course_site_description`` and connect the page handler, before sphinxext-opengraph's."""
    app.add_config_value("course_site_description", "", "html", types=frozenset({str}))
    app.connect("html-page-context", _on_html_page_context, priority=450)
