"""Lesson code and printed output fit the column on a laptop screen; sections drawn late move nothing.

At 1280 px every code cell and every text output of every lesson page shows its lines whole:
no ``<pre>`` block is wider than its box, so nothing scrolls sideways and no step comment or
printed value hides at the end of a line. ``tests/test_lessons.py`` holds the lessons' lines to
the number of characters that fit (``COLUMN``, and the narrower ``BOX_CODE_COLUMN`` and
``BOX_OUTPUT_COLUMN`` inside exercise and solution boxes); this checks the rendered pages
themselves. Solutions start collapsed, so they are opened first, as a reader opens them: a
collapsed block is not laid out at its reader's width, and a block not shown at all would pass
unmeasured (the test refuses such blocks).

The lesson pages lay out each section only when it comes near the screen (``content-visibility``
in ``book/_static/course.css``), which keeps the margins at a section's edges inside it; the
course's rules for those margins must put every heading of every page exactly where the theme
alone puts it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.site.browser import open_page
from tests.site.pages import is_lesson, lesson_pages, pages, params

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


#: The top of every heading of the article, in CSS px from the top of the page.
_HEADING_TOPS = """() => [...document.querySelectorAll('article :is(h1, h2, h3, h4, h5, h6)')].map(h => [
  h.textContent.replace('#', '').trim().slice(0, 50), Math.round(h.getBoundingClientRect().top + scrollY)])"""

#: Draws every lazily drawn section now, with the containment such a section keeps once drawn
#: (what the reader sees when each has come near the screen), waits for the fonts it needs and
#: returns how many there are and the code cells laid out before the first screen.
_DRAW_EVERY_SECTION = """async () => {
  const lazy = [...document.querySelectorAll('section')]
    .filter(s => getComputedStyle(s).contentVisibility === 'auto');
  // A section with subsections is drawn at once, and so is the lead-in before its first one
  // (a lesson's imports, say); every other code cell is in a section drawn late.
  const leadIn = c => c.parentElement.matches('section:has(> section[id])');
  const early = [...document.querySelectorAll('article div.cell')]
    .filter(c => !lazy.some(s => s.contains(c)) && !leadIn(c))
    .map(c => (c.closest('section[id]') || {}).id + ': ' + c.textContent.trim().slice(0, 40));
  for (const s of lazy) {
    s.style.setProperty('content-visibility', 'visible', 'important');
    s.style.setProperty('contain', 'layout style paint', 'important');
  }
  document.body.getBoundingClientRect();
  await document.fonts.ready;
  return [lazy.length, early];
}"""

#: Deletes the course's rules for sections (and the styles above): the theme's own layout.
_THEME_LAYOUT_ONLY = """() => {
  for (const s of document.querySelectorAll('section[style]')) s.removeAttribute('style');
  let deleted = 0;
  for (const sheet of document.styleSheets)
    for (let i = sheet.cssRules.length - 1; i >= 0; i--)
      if ((sheet.cssRules[i].selectorText || '').includes('section > section')) {
        sheet.deleteRule(i);
        deleted += 1;
      }
  return deleted;
}"""


@pytest.mark.parametrize("page", params(pages()))
def test_sections_drawn_late_put_every_heading_where_the_theme_does(
    page: str, browser: Browser, site_url: str
) -> None:
    tab, _, _ = open_page(browser, site_url + page, **LAPTOP)
    try:
        lazy, early = tab.evaluate(_DRAW_EVERY_SECTION)
        course = tab.evaluate(_HEADING_TOPS)
        deleted = tab.evaluate(_THEME_LAYOUT_ONLY)
        theme = tab.evaluate(_HEADING_TOPS)
    finally:
        tab.context.close()
    assert lazy > 0 or not is_lesson(page), f"{page}: no section is laid out late (content-visibility: auto)"
    assert early == [], f"{page}: code cells laid out before the first screen:\n" + "\n".join(early)
    assert deleted >= 3, f"{page}: the course's rules for sections were not found ({deleted})"
    assert len(course) == len(theme), (
        f"{page}: {len(course)} headings with the course's rules, {len(theme)} without"
    )
    moved = [
        f"{title}: {top - theme_top:+d}px"
        for (title, top), (_, theme_top) in zip(course, theme, strict=True)
        if top != theme_top
    ]
    assert moved == [], f"{page}: headings moved by the course's section rules:\n" + "\n".join(moved)
