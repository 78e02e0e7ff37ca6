"""Sphinx's parallel build (``sphinx-build -j``) for ``jupyter-book build``, which has no ``-j``.

Jupyter Book 1.x calls Sphinx with one process and its command line passes no number of
jobs on. ``course_build_jobs`` (``_config.yml``, ``sphinx: config:``; a number or
``"auto"``, one per core) sets the number of processes the HTML build reads and writes
pages with, as ``-j`` sets it for ``sphinx-build``; the PDF book (LaTeX builder) stays serial.

Sphinx reads in parallel only when every extension declares that it can. Two extensions
that Jupyter Book loads declare nothing, and Sphinx then reads serially (with a warning,
which ``-W`` makes an error). None of them keeps data per document, the only thing a
parallel read has to merge, so they are declared safe here (:data:`READ_SAFE`):

- ``sphinx_multitoc_numbering`` (loaded by sphinx-external-toc) replaces the section
  numbering of Sphinx's toctree collector, which runs once after all pages are read, in the
  main process;
- ``sphinx_jupyterbook_latex`` sets build-wide values when the builder starts and adds
  transforms that act on the document being read (and only for LaTeX).

Any other extension that declares nothing, or declares itself unsafe, still makes Sphinx
read serially, and warn. The site built in parallel is the same, file for file, as the site
built serially.
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.parallel import parallel_available

LOGGER = logging.getLogger(__name__)

#: Extensions without a ``parallel_read_safe`` declaration that are safe to read in parallel.
READ_SAFE = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def build_jobs(value: object, cores: int | None) -> int:
    """The number of processes ``course_build_jobs`` asks for: ``"auto"`` is one per core,
    nothing (``None``) one."""
    if value is None:
        return 1
    if value == "auto":
        return max(1, cores or 1)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ValueError(f'course_build_jobs must be a positive number or "auto", not {value!r}')


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html" or not parallel_available:
        return
    jobs = build_jobs(app.config.course_build_jobs, os.cpu_count())
    if jobs <= 1:
        return
    for name in READ_SAFE:
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True
    app.parallel = jobs


def setup(app: Sphinx) -> None:
    """Add ``course_build_jobs`` (default: serial, as ``jupyter-book build`` is)."""
    # The default is None, not 1: Jupyter Book passes _config.yml to Sphinx as overrides,
    # and Sphinx would read an override of an integer setting as a number ("auto" is none).
    app.add_config_value("course_build_jobs", None, "", types=(int, str, type(None)))
    app.connect("builder-inited", _on_builder_inited)
