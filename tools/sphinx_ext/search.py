"""A sentence of context under each search result: ``book/_static/search-summary.js``.

Sphinx's ``searchtools.js`` shows, under a result, the text around the searched word in the
page's ``[role="main"]`` element, a selector fixed in the script that no option changes
(``html_show_search_summary`` is on; summaries come from the pages, not from ``_sources``).
In sphinx-book-theme that element starts with the download buttons and a print-only table
of contents, so the summary showed section headings, and a glossary result showed only the
term. The script, added to the search page only, reads the article instead, and a term
with its definition.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

SCRIPT = "search-summary.js"


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if pagename == "search":
        app.add_js_file(SCRIPT)


def setup(app: Sphinx) -> None:
    """Add the summary script to the search page."""
    app.connect("html-page-context", _on_html_page_context)
