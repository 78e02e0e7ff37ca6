"""The course site's Sphinx extension: what configuration alone cannot do.

- :mod:`.downloads` builds ``looplab``'s wheel into the site (``wheels/``) and
  offers every lesson's executed notebook in the page's download menu, with a
  first cell that says how to install ``looplab``.
- :mod:`.meta` gives every page a meta description (its first paragraph) unless it
  has one.
- :mod:`.sitemap` writes ``sitemap.xml`` with every page (also after partial builds).
- :mod:`.images` reduces lesson figures to 256-colour PNGs (a third of the bytes).
- :mod:`.mathjax` serves MathJax from its loader, in parts (lighter than the combined file).
- :mod:`.icons` cuts the theme's icon fonts down to the icons the site uses.
- :mod:`.markup` repairs two bits of generated markup that accessibility
  checkers reject (citation roles, repeated ids of sphinx-exercise) and lets
  figures load lazily.

Enabled in ``_config.yml`` under ``sphinx: local_extensions``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from tools.sphinx_ext import downloads, icons, images, markup, mathjax, meta, sitemap


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the handlers of the modules."""
    downloads.setup(app)
    meta.setup(app)
    sitemap.setup(app)
    images.setup(app)
    mathjax.setup(app)
    icons.setup(app)
    markup.setup(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
