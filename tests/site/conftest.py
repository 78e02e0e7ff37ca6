"""Fixtures of the site checks: the gzip loopback server and one shared headless Chromium.

Every test under ``tests/site`` is marked ``site`` and runs against the built site (see
``pages.py``); ``make site`` runs them. They skip, saying so, when no site is built.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, sync_playwright

from tests.site.browser import CHROMIUM_ARGS, chromium_path
from tests.site.pages import MISSING, SITE, site_built
from tests.site.server import SiteServer


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The built site, served with gzip on a free loopback port for the whole session."""
    if not site_built():
        pytest.skip(MISSING)
    with SiteServer(SITE) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium (Debian's) for the session; each page gets a fresh context."""
    if not site_built():
        pytest.skip(MISSING)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    """The axe-core audit bundled with axe-playwright-python."""
    return Axe()
