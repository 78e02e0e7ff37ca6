"""The front and back matter of the built site: 404 page, favicon, search summaries and lesson tables.

- The 404 page, served as GitHub Pages serves it (the site under its published path, any
  missing address answered with ``404.html``), loads its styles and scripts from any depth,
  passes the axe audit and links to the welcome page.
- ``favicon.ico`` is a real ICO at the site's root.
- A search result shows a sentence of the page under its title (and a glossary result the
  term's definition), not the page's list of section headings.
- The welcome page's course map has a row for every lesson, with a reading time that
  matches the lesson's prose and the run time the execution-statistics page gives, and says
  that run times were measured when the site was built.
- The execution-statistics page names lessons by title and gives its status in words.
- The API page: no module heading repeats the module's summary, and every function's
  sections come in one order (Parameters, Returns, Return type, Raises).
"""

from __future__ import annotations

import re
import threading
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup, Tag
from PIL import Image
from playwright.sync_api import Browser

from tests.site.browser import describe_violations, open_page, wait_and_evaluate
from tests.site.pages import SITE, article, base_url, lesson_pages, site_built, soup, text_of
from tests.site.server import GzipHandler, _QuietServer

pytestmark = pytest.mark.site

WELCOME = "book/welcome.html"
STATISTICS = "book/reference/execution-statistics.html"
API = "book/reference/api.html"
SECTION_ORDER = ["Parameters", "Returns", "Return type", "Raises"]


class _PagesHandler(GzipHandler):
    """The site under its published path; a missing file is answered with 404.html."""

    prefix = "/"

    def send_head(self) -> Any:
        path = urlsplit(self.path).path
        if path.startswith(self.prefix):
            self.path = "/" + self.path[len(self.prefix) :]
            local = Path(self.translate_path(self.path))
            if local.is_file() or (local / "index.html").is_file():
                return super().send_head()
        body = (SITE / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body: bytes | None = body

    def read(self, size: int = -1) -> bytes:
        body, self._body = self._body or b"", None
        return body

    def close(self) -> None:
        self._body = None


@pytest.fixture(scope="module")
def pages_url() -> Iterator[str]:
    """The site served like GitHub Pages serves it, at ``http://127.0.0.1:<port>/<path>/``."""
    if not site_built():
        pytest.skip("no built site")
    prefix = urlsplit(base_url()).path or "/"
    handler = type("Handler", (_PagesHandler,), {"prefix": prefix})
    server = _QuietServer(("127.0.0.1", 0), partial(handler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("missing", ["no-such-page.html", "book/module3/no/such/lesson.html"])
def test_404_page_works_at_any_depth(missing: str, pages_url: str, browser: Browser, axe: Axe) -> None:
    assert (SITE / "404.html").is_file(), "the site has no 404.html"
    page, recorder, visit = open_page(browser, pages_url + missing)
    try:
        assert page.locator("article h1").inner_text() == "Page not found"
        # The theme's stylesheet applied: the page is laid out, not raw HTML.
        assert page.evaluate("() => getComputedStyle(document.body).fontFamily") != "Times New Roman"
        # ... from the bundle of every stylesheet (tools/sphinx_ext/stylesheets.py), found at this depth.
        rules = page.evaluate(
            "() => [...document.styleSheets].filter(s => (s.href || '').includes('course.bundle.css'))"
            ".map(s => s.cssRules.length)"
        )
        assert len(rules) == 1 and rules[0] > 1000, rules
        recorder.recording = False
        report = axe.run(page)
        violations = list(report.response["violations"])
        page.locator("article a", has_text="welcome page").click()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path.endswith("/index.html") or "welcome" in page.url
        assert page.locator("article h1").first.inner_text().startswith("Learn the Training Loop")
    finally:
        page.context.close()
    document = pages_url + missing
    # The page itself answers 404 (Chromium logs that); every other request must succeed.
    failed = [entry for entry in visit.failed_requests if not entry.startswith(document)]
    errors = [entry for entry in visit.console_errors if "Failed to load resource" not in entry]
    assert failed == [] and errors == [], failed + errors
    assert visit.foreign_requests == []
    assert violations == [], describe_violations(violations)


def test_favicon_ico_is_at_the_site_root(site_url: str) -> None:
    path = SITE / "favicon.ico"
    assert path.is_file(), "no favicon.ico at the site's root"
    with Image.open(path) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])
    with urllib.request.urlopen(site_url + "favicon.ico", timeout=10) as response:
        assert response.status == 200


_SUMMARIES = """() => {
  const items = [...document.querySelectorAll('#search-results ul.search li')];
  if (!items.length || items.some(li => !li.querySelector('p.context'))) return null;
  return items.map(li => [li.querySelector('a').getAttribute('href'),
                          li.querySelector('p.context').textContent]);
}"""


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def test_search_results_show_a_sentence_of_context(browser: Browser, site_url: str) -> None:
    results, visit = wait_and_evaluate(browser, f"{site_url}search.html?q=momentum", _SUMMARIES, 30_000)
    assert visit.console_errors == [], visit.console_errors
    assert any("glossary" in href for href, _ in results), "the glossary entry is not among the results"
    for href, summary in results:
        assert "momentum" in summary.lower(), (href, summary)
        assert len(_words(summary)) >= 12, f"{href}: the summary is not a sentence: {summary!r}"
        assert "Introduction ELI5" not in re.sub(r"\s+", " ", summary), (
            f"{href}: the summary shows the page's contents list: {summary[:120]!r}"
        )


def _table_rows(page: str) -> list[list[Tag]]:
    table = article(page).find("table", class_="lesson-table")
    assert isinstance(table, Tag), f"{page} has no lesson table"
    return [row.find_all("td") for row in table.find_all("tr") if row.find("td")]


def _prose_words(page: str) -> int:
    copy = BeautifulSoup(str(article(page)), "html.parser")
    for code in copy.select("div.cell, pre, div.math, .headerlink"):
        code.decompose()
    return len(re.findall(r"[^\W_]+(?:['’][^\W_]+)*", copy.get_text(" ")))


def _linked_pages(cells: list[Tag], page: str) -> list[str]:
    found = []
    for cell in cells:
        link = cell.find("a")
        assert isinstance(link, Tag), f"{page}: a row without a link to its lesson"
        found.append(_norm(f"{Path(page).parent}/{str(link['href']).split('#')[0]}"))
    return found


def _norm(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _run_times(page: str, column: int) -> dict[str, str]:
    rows = _table_rows(page)
    lessons = _linked_pages([row[0] for row in rows], page)
    return {lesson: text_of(row[column]) for lesson, row in zip(lessons, rows, strict=True)}


def test_course_map_lists_every_lesson_with_computed_times() -> None:
    rows = _table_rows(WELCOME)
    lessons = _linked_pages([row[0] for row in rows], WELCOME)
    assert sorted(lessons) == sorted(lesson_pages()), "the course map and the lessons differ"
    text = text_of(article(WELCOME))
    assert re.search(r"run time is how long .* when this site was built", text), "no word on the run times"
    statistics = _run_times(STATISTICS, 3)
    for lesson, row in zip(lessons, rows, strict=True):
        reading, running = text_of(row[2]), text_of(row[3])
        minutes = re.fullmatch(r"about (\d+) min", reading)
        assert minutes, f"{lesson}: reading time {reading!r}"
        expected = _prose_words(lesson) / 200
        assert abs(int(minutes[1]) - expected) <= 1.5, f"{lesson}: {reading} for {expected:.1f} min of prose"
        assert re.fullmatch(r"about \d+ s|under 1 s", running), f"{lesson}: run time {running!r}"
        assert running == statistics[lesson], f"{lesson}: {running} here, {statistics[lesson]} in statistics"


def test_execution_statistics_name_lessons_and_say_their_status_in_words() -> None:
    rows = _table_rows(STATISTICS)
    assert sorted(_linked_pages([row[0] for row in rows], STATISTICS)) == sorted(lesson_pages())
    for row in rows:
        title, status = text_of(row[0]), text_of(row[4])
        assert "/" not in title and not title.endswith(".md"), f"a file path, not a title: {title!r}"
        assert status == "succeeded", f"{title}: {status!r}"
        cells = " ".join(text_of(cell) for cell in row)
        assert all(ord(char) < 0x2000 for char in cells), f"a symbol outside plain text: {cells!r}"


def test_api_page_has_no_repeated_summaries_and_one_section_order() -> None:
    body = article(API)
    for heading in body.find_all("h2"):
        name = re.sub(r"[#¶]$", "", text_of(heading)).strip()
        assert re.fullmatch(r"looplab\.\w+", name), f"a module heading that repeats its summary: {name!r}"
    checked = 0
    for entry in soup(API).select("dl.py.function, dl.py.method, dl.py.class"):
        content, term = entry.find("dd"), entry.find("dt")
        if not isinstance(content, Tag) or not isinstance(term, Tag):
            continue
        fields = content.find("dl", class_="field-list", recursive=False)
        if not isinstance(fields, Tag):
            continue
        names = [text_of(dt).rstrip(":") for dt in fields.find_all("dt", recursive=False)]
        known = [name for name in names if name in SECTION_ORDER]
        assert known == sorted(known, key=SECTION_ORDER.index), f"{term.get('id')}: {names}"
        checked += 1
    assert checked > 20, "found few documented functions on the API page"
