"""Lighter figures: lessons' PNG outputs reduced to a 256-colour palette.

Matplotlib writes full-colour PNGs; a plot has few colours, and the same image with a
256-colour palette is about a third of the size and looks the same (antialiased edges and
colour maps included). myst-nb writes each figure of a lesson once, to
``jupyter_execute/<hash>.png``, and keeps that file across builds; after the lessons are
read (``env-updated``) and before Sphinx copies the images into the site, every such PNG
that is not a palette image yet is converted in place, if that makes it smaller (in as many
processes as the build has jobs, :mod:`.parallel`). Images with transparency are left as
they are; the PNG's resolution (its ``pHYs`` pixels per inch) is kept. The downloadable
notebooks keep the originals.

Sharp figures without layout shift: the course style (:func:`looplab.plot.use_course_style`)
saves figures at 2x, 200 pixels per inch, and matplotlib records that in the PNG. When the
pages are resolved, every PNG image of a page gets its display size, ``width`` x ``height``
in CSS pixels = its pixels x :data:`DISPLAY_DPI` / its pixels per inch (half its pixels for
a 2x figure; its pixels for a PNG without a resolution). The HTML writer puts that size in
the ``style`` of the ``<img>``; :mod:`.markup` turns it into ``width``/``height`` attributes,
which reserve the figure's place before it loads and still let CSS shrink it to the column.
The size is read from the file itself, not from myst-nb's output metadata, so it is right for
any PNG, whatever wrote it.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from docutils import nodes
from PIL import Image
from sphinx.application import Sphinx
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

#: CSS pixels per inch of figure size: ``looplab.plot.DISPLAY_DPI`` (a unit test keeps them
#: equal; the extension does not import ``looplab``, which would load torch into Sphinx).
DISPLAY_DPI = 100
#: Modes of PNGs that have few colours already (palette, grey, black and white).
_PALETTE_MODES = ("P", "L", "1")


def display_size(path: Path) -> tuple[int, int]:
    """The CSS size of a PNG: its pixels scaled by :data:`DISPLAY_DPI` over its pixels per inch."""
    with Image.open(path) as image:
        width, height = image.size
        dpi = image.info.get("dpi")
    factor = DISPLAY_DPI / float(dpi[0]) if dpi and float(dpi[0]) > 0 else 1.0
    return max(1, round(width * factor)), max(1, round(height * factor))


def quantize_png(path: Path) -> int:
    """Convert one PNG to a 256-colour palette in place when that is smaller; return bytes saved."""
    with Image.open(path) as image:
        if image.mode in _PALETTE_MODES:
            return 0
        image.load()
        if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema() != (255, 255):
            return 0
        rgb = image.convert("RGB")
        dpi = image.info.get("dpi")
    palette = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    extra = {"dpi": tuple(round(float(d)) for d in dpi)} if dpi else {}
    palette.save(buffer, format="PNG", optimize=True, **extra)
    stat = path.stat()
    before = stat.st_size
    if buffer.tell() >= before:
        return 0
    path.write_bytes(buffer.getvalue())
    # The same figure in fewer bytes: keep its modification time, or Sphinx would take the
    # pages that show it (their dependency is newer than their doctree) as changed next build.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return before - buffer.tell()


def _is_palette(path: Path) -> bool:
    with Image.open(path) as image:  # reads the header only
        return image.mode in _PALETTE_MODES


def quantize_all(paths: list[Path], processes: int) -> list[int]:
    """:func:`quantize_png` of every path, in ``processes`` processes (the build's jobs)."""
    if processes <= 1 or len(paths) <= 1:
        return [quantize_png(path) for path in paths]
    context = multiprocessing.get_context("fork")  # as Sphinx's own parallel build
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        return list(pool.map(quantize_png, paths))


def _on_env_updated(app: Sphinx, env: Any) -> list[str]:
    if app.builder.format != "html":
        return []
    folder = Path(app.outdir).parent / "jupyter_execute"
    todo = [png for png in sorted(folder.rglob("*.png")) if not _is_palette(png)]
    saved = sum(quantize_all(todo, max(1, app.parallel)))
    if saved:
        LOGGER.info(f"figures: {saved / 1024:.0f} kB saved by 256-colour palettes")
    return []


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    for image in doctree.findall(nodes.image):
        path = Path(app.srcdir, image["uri"])
        if path.suffix.lower() != ".png" or not path.is_file():
            continue
        width, height = display_size(path)
        image["width"], image["height"] = f"{width}px", f"{height}px"


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    # Sphinx copies only the images of the pages it wrote; in a partial rebuild, older
    # copies in _images/ may predate the conversion.
    if exception is None and app.builder.format == "html":
        for png in (Path(app.outdir) / "_images").glob("*.png"):
            quantize_png(png)


def setup(app: Sphinx) -> None:
    """Convert after reading (the sources of the site's images) and after the build (the copies);
    give every PNG on a page its display size."""
    app.connect("env-updated", _on_env_updated)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("build-finished", _on_build_finished)
