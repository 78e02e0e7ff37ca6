"""Pages written again when the code that shapes them changes.

Sphinx writes a page again when its source or an HTML setting changes, not when an
extension's code does. :func:`add_code_version` registers an HTML setting whose default
value is a digest of the given files, so that a change to them makes Sphinx write every
page again and no page keeps the old output.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx


def code_version(*files: Path) -> str:
    """A short digest of the contents of ``files``, in order."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def add_code_version(app: Sphinx, name: str, *files: Path) -> None:
    """Register the HTML setting ``name`` with the digest of ``files`` as its value."""
    app.add_config_value(name, code_version(*files), "html", types=frozenset({str}))
