"""Open a page of the built site in headless Chromium the way a reader does, and record it.

One :func:`visit` loads a page in a fresh browser context, over the loopback gzip server,
with every request to another host refused and recorded. It opens every collapsed
solution and dropdown (checking they were collapsed), checks that every formula arrived
typeset, has every lazily loaded figure load and every font the page uses (what scrolling
through the page does), sums the bytes the page transferred,
and finally runs the axe-core audit with everything open. Console messages and failed
requests are recorded up to the audit (axe's own stylesheet fetches are not the page's).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, Route

#: Flags for Chromium on a machine without network: no background connections at all.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

#: How long a click on a dropdown may wait for the button to be visible and stable.
CLICK_TIMEOUT_MS = 120_000

_MATH = """() => {
  // Formulas are typeset when the site is built (tools/sphinx_ext/mathjax.py): each one
  // must be MathJax's output, not TeX source and not MathJax's error box.
  const math = [...document.querySelectorAll('.math')];
  const bad = math.filter(e => !e.querySelector('mjx-container') || e.querySelector('mjx-merror'));
  return [math.length, bad.map(e => (e.id || '') + ' ' + e.textContent.trim().slice(0, 60))];
}"""

_LOAD_EVERYTHING = """async () => {
  // What scrolling to the end does: every section is drawn (the course's stylesheet draws a
  // section only once it comes near the screen), lazily loaded figures load.
  const drawn = document.createElement('style');
  drawn.textContent = '.bd-article section > section { content-visibility: visible !important; }';
  document.head.append(drawn);
  document.body.getBoundingClientRect();
  for (const img of document.images) img.loading = 'eager';
  await Promise.all([...document.images].map(img => img.complete ? null
    : new Promise(r => { img.addEventListener('load', r); img.addEventListener('error', r); })));
  await document.fonts.ready;
}"""

_TRANSFERRED = """() => performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource'))
  .reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0)"""

_DROPDOWNS = """() => [...document.querySelectorAll(
    '.admonition.dropdown, .admonition.toggle, details.sd-dropdown, details.toggle-details')].map((e, i) => {
  e.dataset.siteCheck = String(i);
  const body = e.tagName === 'DETAILS' ? [...e.children].find(c => c.tagName !== 'SUMMARY')
                                       : [...e.children].find(c => !c.classList.contains('admonition-title'));
  return {index: i, solution: e.classList.contains('solution'), details: e.tagName === 'DETAILS',
          hidden: !body || body.getBoundingClientRect().height === 0
                  || !body.checkVisibility({opacityProperty: true, visibilityProperty: true})};
})"""


@dataclass
class Dropdown:
    """A collapsed block (solution, quiz answer) and what happened when it was opened."""

    index: int
    solution: bool
    hidden_at_load: bool
    visible_after_click: bool = False


@dataclass
class Visit:
    """What a reader's browser did on one page."""

    page: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    math_count: int = 0
    math_unrendered: list[str] = field(default_factory=list)
    exercises: int = 0
    exercises_hidden: int = 0
    dropdowns: list[Dropdown] = field(default_factory=list)
    transferred_bytes: int = 0
    requested: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    images_not_loaded: list[str] = field(default_factory=list)
    axe_violations: list[dict[str, Any]] = field(default_factory=list)


def chromium_path() -> str:
    """Debian's Chromium (or ``$CHROMIUM``); the checks never download a browser."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        raise FileNotFoundError(f"no Chromium at {path}: install Debian's `chromium` or set CHROMIUM")
    return path


class _Recorder:
    """Collects console errors and failed or foreign requests of one page until stopped."""

    def __init__(self, visit: Visit, origin: str) -> None:
        self.visit = visit
        self.origin = origin
        self.recording = True

    def route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin or parts.scheme in ("data", "blob"):
            route.continue_()
        else:
            if self.recording:
                self.visit.foreign_requests.append(url)
            route.abort()

    def console(self, message: ConsoleMessage) -> None:
        if self.recording and message.type == "error":
            self.visit.console_errors.append(f"console: {message.text}")

    def page_error(self, error: Exception) -> None:
        if self.recording:
            self.visit.console_errors.append(f"uncaught: {error}")

    def request_failed(self, request: Request) -> None:
        if self.recording and request.url not in self.visit.foreign_requests:
            self.visit.failed_requests.append(f"{request.url} ({request.failure})")

    def response(self, response: Response) -> None:
        if self.recording:
            self.visit.requested.append(response.url)
        if self.recording and response.status >= 400:
            self.visit.failed_requests.append(f"{response.url} (HTTP {response.status})")


def open_page(browser: Browser, url: str, **context_options: Any) -> tuple[Page, _Recorder, Visit]:
    """A fresh context and page with recording attached, navigated to ``url``."""
    parts = urlsplit(url)
    visit = Visit(page=parts.path.lstrip("/"))
    recorder = _Recorder(visit, f"{parts.scheme}://{parts.netloc}")
    context = browser.new_context(**context_options)
    context.route("**/*", recorder.route)
    page = context.new_page()
    page.on("console", recorder.console)
    page.on("pageerror", recorder.page_error)
    page.on("requestfailed", recorder.request_failed)
    page.on("response", recorder.response)
    page.goto(url, wait_until="load")
    return page, recorder, visit


def wait_and_evaluate(browser: Browser, url: str, script: str, timeout_ms: int) -> tuple[Any, Visit]:
    """Open ``url`` in a fresh context, wait until ``script`` returns something truthy (such as
    search results that appear once the index is loaded), and return its value and the visit."""
    page, _, visit = open_page(browser, url)
    try:
        page.wait_for_function(script, timeout=timeout_ms)
        return page.evaluate(script), visit
    finally:
        page.context.close()


def visit(browser: Browser, url: str, axe: Axe) -> Visit:
    """Load ``url`` as a reader would, check what the reader sees, and audit it."""
    page, recorder, result = open_page(browser, url)
    try:
        result.exercises = page.locator("div.exercise").count()
        result.exercises_hidden = page.evaluate(
            "() => [...document.querySelectorAll('div.exercise')].filter(e => e.offsetParent === null).length"
        )
        for entry in page.evaluate(_DROPDOWNS):
            dropdown = Dropdown(entry["index"], entry["solution"], entry["hidden"])
            block = page.locator(f'[data-site-check="{entry["index"]}"]')
            button = block.locator(":scope > .admonition-title .toggle-button")
            # A generous timeout: on a loaded 2-core machine the toggle's animation and the
            # page's lazy figures can keep the button from being "stable" for many seconds.
            if button.count():
                button.first.click(timeout=CLICK_TIMEOUT_MS)
            else:
                block.locator(":scope > summary, :scope > .admonition-title").first.click(
                    timeout=CLICK_TIMEOUT_MS
                )
            body = block.locator(
                ":scope > :not(summary)" if entry["details"] else ":scope > :not(.admonition-title)"
            )
            body.first.wait_for(state="visible", timeout=5000)
            dropdown.visible_after_click = body.first.is_visible()
            result.dropdowns.append(dropdown)
        result.math_count, result.math_unrendered = page.evaluate(_MATH)
        page.evaluate(_LOAD_EVERYTHING)
        images = page.evaluate(
            "() => [...document.images].map(i => [i.getAttribute('src'), i.getAttribute('alt'),"
            " i.naturalWidth])"
        )
        result.images_without_alt = [src for src, alt, _ in images if not (alt or "").strip()]
        result.images_not_loaded = [src for src, _, width in images if not width]
        result.transferred_bytes = int(page.evaluate(_TRANSFERRED))
        # Audit the page at rest: no link under the mouse, no solution still fading in.
        page.mouse.move(0, 0)
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        recorder.recording = False
        report = axe.run(page)
        result.axe_violations = list(report.response["violations"])
    finally:
        page.context.close()
    return result


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per axe violation: rule, impact, help and the first offending elements."""
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)
