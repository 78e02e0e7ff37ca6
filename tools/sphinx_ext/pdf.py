"""The PDF book on the site: ``book.pdf`` beside ``index.html`` when ``make pdf`` has built it.

``make pdf`` writes ``<build>/latex/book.pdf``; ``make book`` alone does not. When that file
exists when a build starts, the build gets the tag ``course_pdf``, so the welcome page's
``{only} html and course_pdf`` paragraph with the download link is printed, and an HTML build
copies the PDF to ``<build>/html/book.pdf``. Without it, the paragraph is left out and the
site links to no missing file. ``pages.yml`` runs ``make pdf`` before ``make book``.

The tag is set when the configuration is read, before the HTML builder records the build's
tags, so a PDF that appears (or goes) makes the next ``make book`` rewrite every page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

TAG = "course_pdf"
SITE_NAME = "book.pdf"


def built_pdf(html_outdir: Path) -> Path:
    """Where ``make pdf`` leaves the PDF for a site built into ``html_outdir``."""
    return html_outdir.parent / "latex" / SITE_NAME


def _on_config_inited(app: Sphinx, _config: Config) -> None:
    if built_pdf(Path(app.outdir)).is_file():
        app.tags.add(TAG)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    pdf = built_pdf(Path(app.outdir))
    if exception is None and app.builder.format == "html" and pdf.is_file():
        shutil.copyfile(pdf, Path(app.outdir) / SITE_NAME)


def setup(app: Sphinx) -> None:
    """Offer the PDF on the site when it has been built."""
    app.connect("config-inited", _on_config_inited)
    app.connect("build-finished", _on_build_finished)
