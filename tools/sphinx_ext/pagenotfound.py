"""The site's 404 page, made by sphinx-notfound-page from the published address.

GitHub Pages answers a missing address with the site's ``404.html``, whatever folder the
address names, so the page's links and assets cannot be relative: sphinx-notfound-page
writes them from the site's root, under ``notfound_urls_prefix``. This module sets that
prefix to the path of ``html_baseurl`` (``/learn-the-training-loop/``), so the address is
configured in one place, and gives the page its text, with links to the welcome page,
the search page and the table of contents under the same prefix.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config

TITLE = "Page not found"


def urls_prefix(base_url: str) -> str:
    """The path of ``base_url`` with a slash at each end: ``/learn-the-training-loop/``."""
    path = urlsplit(base_url).path.strip("/")
    return f"/{path}/" if path else "/"


def body(prefix: str) -> str:
    """The page's text, its links under ``prefix``."""
    return (
        f"<h1>{TITLE}</h1>\n"
        "<p>There is no page at this address. It may have moved when the course was reorganised, "
        "or the address may be mistyped.</p>\n"
        f'<p>Start from the <a href="{prefix}index.html">welcome page</a>, which lists every '
        f'lesson, or <a href="{prefix}search.html">search the course</a>.</p>\n'
    )


def _on_config_inited(app: Sphinx, config: Config) -> None:
    prefix = urls_prefix(str(config.html_baseurl or ""))
    config.notfound_urls_prefix = prefix
    config.notfound_context = {"title": TITLE, "body": body(prefix)}


def setup(app: Sphinx) -> None:
    """Derive the 404 page's prefix and text from ``html_baseurl`` (before notfound checks them)."""
    app.connect("config-inited", _on_config_inited, priority=400)
