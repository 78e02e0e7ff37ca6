"""The built site as the checks see it: where it is, its pages, and their parsed HTML.

The site is ``_build/html`` unless ``SITE_HTML`` names another directory (``make site``
passes ``$(BUILD_DIR)/html``). When it has not been built, every check is *skipped* with
:data:`MISSING` as the reason, and ``make site`` itself fails before running pytest.
"""

from __future__ import annotations

import os
import posixpath
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("SITE_HTML", ROOT / "_build" / "html")).resolve()
MISSING = f"no built site in {SITE}: run `make book` first (or point SITE_HTML at one)"
#: The 404 page (sphinx-notfound-page), checked on its own by test_front_matter.py.
NOT_FOUND = "404.html"
#: The page-weight budget: bytes transferred (gzip) to show a page, figures included.
PAGE_WEIGHT_BUDGET = 900 * 1024


def site_built() -> bool:
    """Whether the site has been built (its entry page exists)."""
    return (SITE / "index.html").is_file()


def _is_redirect(path: Path) -> bool:
    head = path.read_text(encoding="utf-8", errors="replace")[:2000].lower()
    return re.search(r"http-equiv=[\"']?refresh", head) is not None


@cache
def pages() -> list[str]:
    """Every HTML page of the site (relative paths), without assets and redirect stubs."""
    if not site_built():
        return []
    found = []
    for path in sorted(SITE.rglob("*.html")):
        relative = path.relative_to(SITE)
        if any(part.startswith(("_", ".")) for part in relative.parts[:-1]) or _is_redirect(path):
            continue
        if relative.as_posix() == NOT_FOUND:
            continue  # its links start at the published path: test_front_matter.py serves it there
        found.append(relative.as_posix())
    return found


@cache
def html(page: str) -> str:
    """The text of a page."""
    return (SITE / page).read_text(encoding="utf-8")


@cache
def soup(page: str) -> BeautifulSoup:
    """The parsed page."""
    return BeautifulSoup(html(page), "html.parser")


def is_lesson(page: str) -> bool:
    """A lesson page shows executed code cells."""
    return 'class="cell docutils container"' in html(page)


def lesson_pages() -> list[str]:
    """The pages of lessons."""
    return [page for page in pages() if is_lesson(page)]


def article(page: str) -> Tag:
    """The page's main content (the ``<article>`` the theme writes)."""
    found = soup(page).find("article")
    assert isinstance(found, Tag), f"{page} has no <article>"
    return found


def resolve(page: str, url: str) -> tuple[str, str] | None:
    """The site path and fragment a relative URL on ``page`` points to; None for other sites."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:", "data:")):
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    return target, unquote(parts.fragment)


@cache
def base_url() -> str:
    """The address the site is published at, read from the canonical link of the first page."""
    page = pages()[0]
    link = soup(page).find("link", rel="canonical")
    if not isinstance(link, Tag):
        return ""
    href = str(link.get("href", ""))
    return href[: -len(page)] if href.endswith(page) else ""


def text_of(tag: Tag) -> str:
    """Visible text of ``tag`` with whitespace collapsed."""
    return re.sub(r"\s+", " ", tag.get_text(" ")).strip()


def params(values: list[str]) -> list[object]:
    """``pytest.mark.parametrize`` values, or one skipped value that says the site is missing."""
    if not site_built():
        return [pytest.param("", marks=pytest.mark.skip(reason=MISSING), id="site-missing")]
    return list(values)
