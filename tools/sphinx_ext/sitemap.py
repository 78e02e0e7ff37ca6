"""``sitemap.xml``: the address of every page of the book, for search engines.

sphinx-sitemap lists only the pages written by the current build, so after an
incremental ``make book`` its sitemap misses every unchanged page. This one is written
from the environment's full list of documents after each HTML build, at the published
address (``html_baseurl``). Generated pages (search, indices) are not listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from sphinx.application import Sphinx

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(base_url: str, links: Iterable[str]) -> str:
    """The sitemap of ``links`` (paths relative to ``base_url``), sorted."""
    base = base_url.rstrip("/") + "/"
    entries = "".join(f"  <url><loc>{escape(base + link)}</loc></url>\n" for link in sorted(set(links)))
    return f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{NAMESPACE}">\n{entries}</urlset>\n'


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    base = str(app.config.html_baseurl or "")
    if exception is not None or app.builder.format != "html" or not base:
        return
    links = [app.builder.get_target_uri(docname) for docname in app.env.found_docs]
    (Path(app.outdir) / "sitemap.xml").write_text(sitemap_xml(base, links), encoding="utf-8")


def setup(app: Sphinx) -> None:
    """Write the sitemap after every HTML build."""
    app.connect("build-finished", _on_build_finished)
