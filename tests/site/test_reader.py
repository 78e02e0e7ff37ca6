"""What a reader does beyond loading a page: search, read on a phone, read in the dark.

- The search page, with no network, finds every page that mentions "learning rate"
  (and "early stopping", once a page mentions it).
- On a phone-sized screen in the dark theme, no lesson page scrolls sideways, every figure
  fits the screen and keeps its white background at full brightness, and axe finds no
  colour-contrast problem in the dark colours.
- In both colour modes, code text outside a token's span is drawn in the highlighting
  style's text colour (the colour pygments.css gives div.highlight), as names and
  punctuation were when each had a span (tools/sphinx_ext/highlight.py).
- Every module self-check page hides its answers in dropdowns (that they start closed
  and open on a click is checked for every dropdown of every page in test_browser.py).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote_plus, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.site.browser import describe_violations, open_page, wait_and_evaluate
from tests.site.pages import MISSING, article, html, lesson_pages, pages, params, site_built, soup, text_of

pytestmark = pytest.mark.site

QUERIES = ["learning rate", "early stopping"]
PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

_SEARCH_RESULTS = """() => {
  const summary = document.querySelector('#search-results .search-summary');
  if (!summary || !summary.textContent.trim()) return null;
  return [...document.querySelectorAll('#search-results ul.search li a')].map(a => a.getAttribute('href'));
}"""

_FIGURES = """() => [...document.querySelectorAll('.cell_output img, figure img')].map(img => {
  const box = img.getBoundingClientRect();
  const style = getComputedStyle(img);
  return {src: img.getAttribute('src'), left: box.left, right: box.right, width: box.width,
          background: style.backgroundColor, filter: style.filter};
})"""


GENERATED_PAGES = {"search.html", "genindex.html", "py-modindex.html"}


def pages_mentioning(phrase: str) -> list[str]:
    """The pages (not the generated indices) whose main text contains ``phrase``."""
    found = []
    for page in sorted(set(pages()) - GENERATED_PAGES):
        main = soup(page).find("article")
        if main is not None and phrase in text_of(article(page)).lower():
            found.append(page)
    return found


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_every_page_that_mentions(query: str, browser: Browser, site_url: str) -> None:
    expected = pages_mentioning(query)
    if not expected:
        pytest.skip(f"no page mentions {query!r} yet")
    url = f"{site_url}search.html?q={quote_plus(query)}"
    hrefs, visit = wait_and_evaluate(browser, url, _SEARCH_RESULTS, 20_000)
    found = {str(PurePosixPath(urlsplit(href).path)) for href in hrefs}
    assert visit.console_errors == [] and visit.failed_requests == [], (
        visit.console_errors + visit.failed_requests
    )
    assert found, f"no results for {query!r}"
    missing = sorted(set(expected) - found)
    assert missing == [], f"search for {query!r} misses pages that mention it: {missing}"


_CODE_COLOURS = """() => [...document.querySelectorAll('div.highlight > pre')].map(pre => ({
  text: pre.textContent.slice(0, 40), pre: getComputedStyle(pre).color,
  style: getComputedStyle(pre.parentElement).color}))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_text_takes_the_highlighting_style_colour(scheme: str, browser: Browser, site_url: str) -> None:
    if not site_built():
        pytest.skip(MISSING)
    tab, _, _ = open_page(browser, site_url + lesson_pages()[0], color_scheme=scheme)
    try:
        assert tab.evaluate("document.documentElement.dataset.theme") == scheme
        blocks = tab.evaluate(_CODE_COLOURS)
    finally:
        tab.context.close()
    assert blocks, "the lesson has highlighted code"
    wrong = [block for block in blocks if block["pre"] != block["style"]]
    assert wrong == [], f"code drawn in another colour than its highlighting style's: {wrong[:3]}"


@pytest.mark.parametrize("page", params(lesson_pages()))
def test_lesson_on_a_phone_in_the_dark(page: str, browser: Browser, site_url: str, axe: Axe) -> None:
    tab, _, _ = open_page(browser, site_url + page, color_scheme="dark", **PHONE)
    try:
        assert tab.evaluate("document.documentElement.dataset.theme") == "dark"
        tab.evaluate(
            "async () => { for (const i of document.images) i.loading = 'eager'; await Promise.all("
            "[...document.images].map(i => i.decode().catch(() => null))); }"
        )
        sideways = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        figures = tab.evaluate(_FIGURES)
        width = tab.evaluate("window.innerWidth")
        contrast = axe.run(
            tab,
            options={
                "runOnly": {"type": "rule", "values": ["color-contrast"]},
                "resultTypes": ["violations"],
            },
        )
    finally:
        tab.context.close()
    assert sideways <= 0, f"the page scrolls sideways by {sideways}px on a {width}px screen"
    for figure in figures:
        assert figure["left"] >= -1 and figure["right"] <= width + 1, (
            f"figure wider than the screen: {figure}"
        )
        assert figure["background"] == "rgb(255, 255, 255)", f"figure background in the dark theme: {figure}"
        assert figure["filter"] == "none", f"figure dimmed in the dark theme: {figure}"
    violations = contrast.response["violations"]
    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("page", params([p for p in pages() if 'id="self-check' in html(p)]))
def test_self_check_answers_are_dropdowns(page: str) -> None:
    for section in soup(page).select("section[id*='self-check']"):
        dropdowns = section.select("details, .dropdown, .toggle")
        assert dropdowns, f"section #{section.get('id')} hides no answers in dropdowns"


def test_download_menu_offers_the_notebook(browser: Browser, site_url: str) -> None:
    """The menu lists the lesson's notebook (its ".pdf" prints the page, formulas already typeset)."""
    tab, _, visit = open_page(browser, site_url + lesson_pages()[0])
    try:
        tab.locator(".dropdown-download-buttons > button").first.click()
        notebook = tab.locator(".dropdown-download-buttons a[href*='.ipynb']").first
        notebook.wait_for(state="visible", timeout=5_000)
    finally:
        tab.context.close()
    assert visit.console_errors == [], visit.console_errors
