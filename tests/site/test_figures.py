"""Lesson figures: sharp on a 2x screen, no layout shift, legible at phone width.

- **Size and sharpness** (from the HTML and the PNG files): every lesson ``<img>`` has
  ``width``/``height`` attributes, so the browser reserves its place before it loads, with the
  ratio of the image file, and the file has at least twice as many pixels as the size it is
  shown at (2x: sharp on high-resolution screens). A figure from a stale execution cache
  (drawn before the course style saved at 2x) fails here.
- **Legibility at phone width** (in Chromium, 390 x 844 CSS px, the width of common phones):
  a figure of width ``W`` inches (its pixels over the PNG's pixels per inch) shown ``R`` CSS px
  wide has text of ``f * R / (72 * W)`` CSS px for a font of ``f`` points. The check takes the
  course style's tick labels, its smallest text (:data:`looplab.plot.TICK_LABEL_PT`, 9 pt), and
  requires at least :data:`MIN_TEXT_PX`. A figure that fails is too wide for its text: give it
  fewer columns, a narrower ``figsize``, or split it.

Why 6.5 px: on a desktop the course's 9-pt tick labels are 12.5 CSS px (100 px per inch of
figure); a phone is read at about half the distance, so 6.5 CSS px there looks about as large
as the 12.5-13 px a desktop reader sees, while the 4-5 px of a 9-inch-wide figure in the 342-px
column (what the issue reported) is half that and digits and subscripts lose their shapes
even on a 2x screen. In numbers: a figure up to 6.5 inches wide (6 inches of ``figsize`` plus
the margins ``bbox_inches="tight"`` keeps) passes in the 342-px column of a 390-px phone, and
one up to 6 inches inside an exercise's solution (320 px).
"""

from __future__ import annotations

import posixpath
from typing import Any

import pytest
from bs4 import Tag
from PIL import Image
from playwright.sync_api import Browser

from looplab.plot import DISPLAY_DPI, TICK_LABEL_PT
from tests.site.browser import open_page
from tests.site.pages import SITE, article, lesson_pages, params

pytestmark = pytest.mark.site

#: Smallest tick-label size, in CSS px, a figure may have at phone width (see the docstring).
MIN_TEXT_PX = 6.5
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

_FIGURES = """async () => {
  const images = [...document.querySelectorAll('article img')];
  // Load every figure (lazily loaded ones too): measured loaded, the width does not
  // depend on the width/height attributes the other check requires.
  for (const img of images) img.loading = 'eager';
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => {
  const figure = img.closest('figure');
  return {src: img.getAttribute('src'), figure: figure ? figure.id : '',
          width: img.getBoundingClientRect().width};
  });
}"""


def _figure_pages() -> list[str]:
    return [page for page in lesson_pages() if article(page).find("img") is not None]


def _image_file(page: str, src: str) -> Any:
    return SITE / posixpath.normpath(posixpath.join(posixpath.dirname(page), src))


def _inches_wide(page: str, src: str) -> float:
    """The figure's width in inches: its pixels over the PNG's pixels per inch."""
    with Image.open(_image_file(page, src)) as png:
        dpi = png.info.get("dpi")
        pixels_per_inch = float(dpi[0]) if dpi else float(DISPLAY_DPI)
        return png.size[0] / pixels_per_inch


def text_px(tick_pt: float, shown_px: float, inches_wide: float) -> float:
    """CSS px of ``tick_pt``-point text in a figure ``inches_wide`` wide shown ``shown_px`` wide."""
    return tick_pt * shown_px / (72.0 * inches_wide)


def test_text_px_of_the_course_sizes() -> None:
    # At 1x (100 CSS px per inch) 9-pt text is 12.5 px; a 9-inch figure in a 342-px column, 4.75.
    assert text_px(9.0, 600.0, 6.0) == pytest.approx(12.5)
    assert text_px(9.0, 342.0, 9.0) == pytest.approx(4.75)


@pytest.mark.parametrize("page", params(_figure_pages()))
def test_figures_have_their_size_and_twice_its_pixels(page: str) -> None:
    problems = []
    for img in article(page).find_all("img"):
        assert isinstance(img, Tag)
        src = str(img.get("src", ""))
        width, height = str(img.get("width", "")), str(img.get("height", ""))
        if not (width.isdigit() and height.isdigit()):
            problems.append(f"{src}: no width/height attributes (style={img.get('style')!r})")
            continue
        if "width" in str(img.get("style", "")):
            problems.append(f"{src}: a size in style= as well, which fixes the height on a narrow screen")
        with Image.open(_image_file(page, src)) as png:
            pixels = png.size
        shown = (int(width), int(height))
        if pixels[0] < 2 * shown[0] - 1 or pixels[1] < 2 * shown[1] - 1:
            problems.append(f"{src}: {pixels[0]}x{pixels[1]} px shown at {shown[0]}x{shown[1]}: not 2x")
        if abs(pixels[0] * shown[1] - pixels[1] * shown[0]) > max(pixels):
            problems.append(f"{src}: shown at {shown}, a different ratio from its {pixels} px")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("page", params(_figure_pages()))
def test_figures_are_legible_at_phone_width(page: str, browser: Browser, site_url: str) -> None:
    tab, _, _ = open_page(browser, site_url + page, **PHONE)
    try:
        figures = tab.evaluate(_FIGURES)
    finally:
        tab.context.close()
    too_small = []
    for figure in figures:
        size = text_px(TICK_LABEL_PT, figure["width"], _inches_wide(page, figure["src"]))
        if size < MIN_TEXT_PX:
            label = figure["figure"] or figure["src"]
            too_small.append(f"{label}: tick labels {size:.2f} px at {figure['width']:.0f} px wide")
    assert too_small == [], f"text below {MIN_TEXT_PX} px at phone width:\n" + "\n".join(too_small)
