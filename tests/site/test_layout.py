"""Lesson code and printed output fit the column on a laptop screen.

At 1280 px every code cell and every text output of every lesson page shows its lines whole:
no ``<pre>`` block is wider than its box, so nothing scrolls sideways and no step comment or
printed value hides at the end of a line. ``tests/test_lessons.py`` holds the lessons' lines to
the number of characters that fit (``COLUMN``, and the narrower ``BOX_CODE_COLUMN`` and
``BOX_OUTPUT_COLUMN`` inside exercise and solution boxes); this checks the rendered pages
themselves. Solutions start collapsed, so they are opened first, as a reader opens them: a
collapsed block is not laid out at its reader's width, and a block not shown at all would pass
unmeasured (the test refuses such blocks).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.site.browser import open_page
from tests.site.pages import lesson_pages, params

pytestmark = pytest.mark.site

LAPTOP = {"viewport": {"width": 1280, "height": 800}}

#: Opens every collapsed solution (sphinx-togglebutton's hidden state is this one class) and
#: waits for the opening transitions to end.
_OPEN_SOLUTIONS = """async () => {
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  await document.fonts.ready;
}"""

_SCROLLING_BLOCKS = """() => [...document.querySelectorAll(
    'article div.cell_input pre, article div.cell_output pre')].flatMap((pre, index) => {
  if (pre.textContent.trim() && pre.clientWidth === 0)
    return [`block ${index + 1} is not shown, so it cannot be measured`];
  if (pre.scrollWidth <= pre.clientWidth) return [];
  const lines = pre.textContent.split('\\n');
  const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
  const kind = pre.closest('div.cell_input') ? 'code' : 'output';
  return [`${kind} block ${index + 1}: ${pre.scrollWidth - pre.clientWidth}px too wide, `
          + `longest line (${longest.length} characters): ${longest.trim().slice(0, 60)}`];
})"""


@pytest.mark.parametrize("page", params(lesson_pages()))
def test_code_blocks_do_not_scroll_at_1280px(page: str, browser: Browser, site_url: str) -> None:
    tab, _, _ = open_page(browser, site_url + page, **LAPTOP)
    try:
        tab.evaluate(_OPEN_SOLUTIONS)
        measured = tab.evaluate("() => document.querySelectorAll('article div.cell_input pre').length")
        scrolling = tab.evaluate(_SCROLLING_BLOCKS)
    finally:
        tab.context.close()
    assert measured > 0, f"{page}: no code cell found to measure"
    assert scrolling == [], f"{page}: blocks that scroll sideways at 1280 px:\n" + "\n".join(scrolling)
