"""The course site's Sphinx extension: what configuration alone cannot do.

- :mod:`.downloads` builds ``looplab``'s wheel into the site (``wheels/``) and
  offers every lesson's executed notebook in the page's download menu, with a
  first cell that says how to install ``looplab``; :mod:`.notebook_text` turns the
  notebook's MyST markup into what a notebook shows (links, equation numbers, exercises,
  solutions at the end).
- :mod:`.meta` gives every page a meta description (its first paragraph) unless it
  has one.
- :mod:`.sitemap` writes ``sitemap.xml`` with every page (also after partial builds).
- :mod:`.lessons` fills the lesson tables of the welcome and execution-statistics pages
  (reading time from the prose, run time and status from this build's execution data).
- :mod:`.search` shows a sentence of the article under each search result.
- :mod:`.pagenotfound` points sphinx-notfound-page's 404 page at the published address.
- :mod:`.apifields` puts the sections of every function of the API page in one order.
- :mod:`.images` reduces lesson figures to 256-colour PNGs (a third of the bytes).
- :mod:`.mathjax` typesets every formula at build time (MathJax in Node.js): pages load no MathJax.
- :mod:`.highlight` writes highlighted code with one span per run of tokens that look
  the same (no span for tokens drawn like plain text): about two thirds fewer elements.
- :mod:`.icons` cuts the theme's icon fonts down to the icons the site uses.
- :mod:`.markup` repairs two bits of generated markup that accessibility
  checkers reject (citation roles, repeated ids of sphinx-exercise) and lets
  figures load lazily.
- :mod:`.tabstops` gives every code block and table a keyboard tab stop in the markup,
  in place of the theme's script, which measured every box and laid out the whole page.
- :mod:`.pdf` puts the PDF book (``make pdf``) on the site when it has been built.
- :mod:`.stylesheets` bundles every page's stylesheets into one file (one request to paint).
- :mod:`.parallel` reads and writes the pages in parallel (``course_build_jobs``), as
  ``sphinx-build -j`` does; Jupyter Book's command line has no such option.

Enabled in ``_config.yml`` under ``sphinx: local_extensions``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from tools.sphinx_ext import (
    apifields,
    downloads,
    highlight,
    icons,
    images,
    lessons,
    markup,
    mathjax,
    meta,
    pagenotfound,
    parallel,
    pdf,
    search,
    sitemap,
    stylesheets,
    tabstops,
)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the handlers of the modules."""
    downloads.setup(app)
    meta.setup(app)
    sitemap.setup(app)
    lessons.setup(app)
    search.setup(app)
    pagenotfound.setup(app)
    apifields.setup(app)
    images.setup(app)
    mathjax.setup(app)
    highlight.setup(app)
    icons.setup(app)
    markup.setup(app)
    tabstops.setup(app)
    pdf.setup(app)
    parallel.setup(app)
    stylesheets.setup(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
