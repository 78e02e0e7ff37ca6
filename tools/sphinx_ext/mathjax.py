"""MathJax from its loader, in parts, instead of the one combined file.

sphinx-mathjax-offline serves MathJax from the site, and in its ``setup()`` points
``mathjax_path`` at the combined ``tex-chtml.js`` (1.1 MB, 260 kB gzip), whatever
``_config.yml`` says. The course's pages load MathJax's loader (``startup.js``) instead,
which fetches the parts named in ``mathjax3_config.loader.load``: TeX input, HTML output
and the hidden MathML that screen readers read. That is 165 kB gzip in five shorter
scripts, easier on a phone's main thread. (The combined file's right-click menu is
left out; add ``ui/menu`` to the list to have it.) ``course_mathjax_path`` names the file.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config


def _use_loader(app: Sphinx, config: Config) -> None:
    if config.course_mathjax_path:
        config.mathjax_path = config.course_mathjax_path


def setup(app: Sphinx) -> None:
    """Add ``course_mathjax_path`` and apply it once every extension has set its defaults."""
    app.add_config_value("course_mathjax_path", "", "html", types=frozenset({str}))
    app.connect("config-inited", _use_loader, priority=900)
