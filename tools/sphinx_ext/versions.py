"""Pages written again when the code that shapes them changes.

Sphinx writes a page again when its source or an HTML setting changes, not when an
extension's code does. :func:`add_code_version` registers an HTML setting whose default
value is a digest of the given files (and of the versions of the packages named), so that
a change to them makes Sphinx write every page again and no page keeps the old output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sphinx.application import Sphinx


def package_version(package: str) -> str:
    """The installed version of ``package``, or ``"none"``."""
    try:
        return version(package)
    except PackageNotFoundError:
        return "none"


def code_version(*files: Path, packages: Sequence[str] = ()) -> str:
    """A short digest of the contents of ``files`` and the versions of ``packages``."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    for package in packages:
        digest.update(f"{package}=={package_version(package)}".encode())
    return digest.hexdigest()[:16]


def add_code_version(app: Sphinx, name: str, *files: Path, packages: Sequence[str] = ()) -> None:
    """Register the HTML setting ``name`` with the digest of ``files`` and ``packages`` as its value."""
    app.add_config_value(name, code_version(*files, packages=packages), "html", types=frozenset({str}))
