"""Draw ``book/_extra/favicon.ico``, the site icon browsers request from the site's root.

Browsers and Lighthouse ask for ``/favicon.ico`` whatever the page links (the pages link
``book/_static/favicon.svg``). Pillow cannot read SVG, so this draws the same picture (a
blue rounded square with a white circular arrow) at 64 pixels and writes it at 16, 32 and
48 pixels. Run once when the SVG changes, and commit the result::

    .venv/bin/python -m tools.favicon

The build copies ``book/_extra`` to the site's root (``html_extra_path`` in _config.yml).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from tools.course import ROOT

ICO = ROOT / "book" / "_extra" / "favicon.ico"
SIZES = [(16, 16), (32, 32), (48, 48)]
BLUE = (0, 114, 178, 255)  # #0072B2, as in favicon.svg
WHITE = (255, 255, 255, 255)


def draw(size: int = 64) -> Image.Image:
    """The icon at ``size`` pixels, in the coordinates of favicon.svg (a 32-unit square)."""
    if size < 16:
        raise ValueError(f"size must be at least 16 pixels, got {size}")
    scale = size / 32
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=6 * scale, fill=BLUE)
    # The SVG's arc: radius 8 around (16.5, 16.5), from the upper right round to the lower right.
    centre, radius = 16.5 * scale, 8 * scale
    box = (centre - radius, centre - radius, centre + radius, centre + radius)
    pen.arc(box, start=20, end=320, fill=WHITE, width=max(2, round(3 * scale)))
    # The arrow head at the arc's upper end.
    head = [(19, 6.5), (23.5, 10.7), (17.7, 12.3)]
    pen.polygon([(x * scale, y * scale) for x, y in head], fill=WHITE)
    return image


def write(path: Path = ICO) -> Path:
    """Write the ICO file with every size of :data:`SIZES`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draw().save(path, format="ICO", sizes=SIZES)
    return path


if __name__ == "__main__":
    print(write().relative_to(ROOT))
