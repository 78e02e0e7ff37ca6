"""Lighter figures: lessons' PNG outputs reduced to a 256-colour palette.

Matplotlib writes full-colour PNGs; a plot has few colours, and the same image with a
256-colour palette is about a third of the size and looks the same (antialiased edges and
colour maps included). myst-nb writes each figure of a lesson once, to
``jupyter_execute/<hash>.png``, and keeps that file across builds; after the lessons are
read (``env-updated``) and before Sphinx copies the images into the site, every such PNG
that is not a palette image yet is converted in place, if that makes it smaller. Images
with transparency are left as they are. The downloadable notebooks keep the originals.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image
from sphinx.application import Sphinx
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)


def quantize_png(path: Path) -> int:
    """Convert one PNG to a 256-colour palette in place when that is smaller; return bytes saved."""
    with Image.open(path) as image:
        if image.mode in ("P", "L", "1"):
            return 0
        image.load()
        if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema() != (255, 255):
            return 0
        rgb = image.convert("RGB")
    palette = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", optimize=True)
    before = path.stat().st_size
    if buffer.tell() >= before:
        return 0
    path.write_bytes(buffer.getvalue())
    return before - buffer.tell()


def _on_env_updated(app: Sphinx, env: Any) -> list[str]:
    if app.builder.format != "html":
        return []
    folder = Path(app.outdir).parent / "jupyter_execute"
    saved = sum(quantize_png(png) for png in folder.rglob("*.png"))
    if saved:
        LOGGER.info(f"figures: {saved / 1024:.0f} kB saved by 256-colour palettes")
    return []


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    # Sphinx copies only the images of the pages it wrote; in a partial rebuild, older
    # copies in _images/ may predate the conversion.
    if exception is None and app.builder.format == "html":
        for png in (Path(app.outdir) / "_images").glob("*.png"):
            quantize_png(png)


def setup(app: Sphinx) -> None:
    """Convert after reading (the sources of the site's images) and after the build (the copies)."""
    app.connect("env-updated", _on_env_updated)
    app.connect("build-finished", _on_build_finished)
