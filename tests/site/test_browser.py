"""Every page of the built site, opened in headless Chromium the way a reader opens it.

Each page is loaded once (see ``browser.visit``) and checked for everything at once, so
the pages spread evenly over pytest-xdist's workers; a failure lists every check the page
failed:

- no console errors or uncaught exceptions, no failed requests, nothing requested from
  another host;
- every formula typeset (by MathJax, when the site was built), its fonts loaded;
- exercises visible, every solution and dropdown collapsed at load and opening on a click,
  a solution for each exercise;
- every image loaded, with alt text;
- the page within the weight budget, without falling back to the full icon fonts;
- no axe-core violations (all of axe's rules, WCAG A/AA and best practices), with every
  dropdown open.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.site.browser import Visit, describe_violations, visit
from tests.site.pages import PAGE_WEIGHT_BUDGET, pages, params

pytestmark = pytest.mark.site


def console_and_network(result: Visit) -> list[str]:
    return (
        [f"console error: {message}" for message in result.console_errors]
        + [f"failed request: {request}" for request in result.failed_requests]
        + [f"request to another host: {url}" for url in result.foreign_requests]
    )


def formulas(result: Visit) -> list[str]:
    return [f"formula not typeset: {formula}" for formula in result.math_unrendered]


def exercises_and_dropdowns(result: Visit) -> list[str]:
    problems = [f"{result.exercises_hidden} exercises hidden at load"] if result.exercises_hidden else []
    for dropdown in result.dropdowns:
        kind = "solution" if dropdown.solution else "dropdown"
        if not dropdown.hidden_at_load:
            problems.append(f"{kind} #{dropdown.index} is open when the page loads")
        if not dropdown.visible_after_click:
            problems.append(f"{kind} #{dropdown.index} does not open when clicked")
    solutions = sum(d.solution for d in result.dropdowns)
    if solutions < result.exercises:
        problems.append(f"{result.exercises} exercises but {solutions} collapsed solutions")
    return problems


def images(result: Visit) -> list[str]:
    return [f"image without alt text: {src}" for src in result.images_without_alt] + [
        f"image did not load: {src}" for src in result.images_not_loaded
    ]


def weight(result: Visit) -> list[str]:
    full_fonts = [url for url in result.requested if "/vendor/fontawesome/" in url]
    problems = [f"full icon font requested (an icon is missing from the subset): {url}" for url in full_fonts]
    if result.transferred_bytes > PAGE_WEIGHT_BUDGET:
        problems.append(f"{result.transferred_bytes / 1024:.0f} KiB transferred (budget 900 KiB)")
    return problems


def accessibility(result: Visit) -> list[str]:
    return [f"axe: {line}" for line in describe_violations(result.axe_violations).splitlines()]


CHECKS = [console_and_network, formulas, exercises_and_dropdowns, images, weight, accessibility]


@pytest.mark.parametrize("page", params(pages()))
def test_page_as_a_reader_sees_it(page: str, browser: Browser, site_url: str, axe: Axe) -> None:
    result = visit(browser, site_url + page, axe)
    problems = [problem for check in CHECKS for problem in check(result)]
    assert problems == [], f"{page}:\n" + "\n".join(problems)
