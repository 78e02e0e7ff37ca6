"""Where the course's pages, lessons and reference notebooks are.

The table of contents (``_toc.yml``) is the single list of pages; a *lesson*
is a page that holds code cells. Used by ``make golden``, ``make bench`` and
the tests, so they all agree on what the lessons are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "golden"
IMAGE_MIME_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")


def _walk(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "file" in node:
            yield str(node["file"])
        for key in ("root",):
            if key in node:
                yield str(node[key])
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []):
                yield from _walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def toc_pages() -> list[Path]:
    """Every page in ``_toc.yml``, in reading order, as a path to its ``.md`` file."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [ROOT / f"{name}.md" for name in _walk(toc)]


def is_lesson(path: Path) -> bool:
    """A lesson is a MyST notebook: a page with at least one executable code cell."""
    return "```{code-cell}" in path.read_text(encoding="utf-8")


def lessons() -> list[Path]:
    """The lesson files of the table of contents, in reading order."""
    return [page for page in toc_pages() if page.is_file() and is_lesson(page)]


def golden_path(lesson: Path) -> Path:
    """The reference notebook of a lesson: ``book/x/y.md`` -> ``tests/golden/x/y.ipynb``."""
    relative = lesson.resolve().relative_to(ROOT / "book")
    return GOLDEN_DIR / relative.with_suffix(".ipynb")
