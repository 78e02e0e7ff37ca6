"""Formulas typeset once, at build time, by MathJax in Node.js; readers' browsers run no MathJax.

Sphinx's MathJax renderer writes each formula as its TeX source (``\\(...\\)`` in a
``span.math``, ``\\[...\\]`` in a ``div.math``) and leaves the typesetting to MathJax in the
reader's browser. On a phone that costs a megabyte of script and, where a formula sits near
the top of a page, a visible jump of the text when the typeset formula replaces its
source (Lighthouse: layout shift and blocking time). Here the same MathJax 3 (the
components the ``sphinx-mathjax-offline`` wheel ships) runs in Node.js while the site is
built: ``typeset.js`` turns every formula of a page into MathJax's HTML output, with the
hidden MathML that screen readers read, and the page carries the stylesheet for exactly
the characters it uses. The pages load no MathJax script; only its fonts, which the build
copies into ``_static/mathjax-fonts`` (the other 24 MB of MathJax stay out of the site).

A formula MathJax cannot parse is a build warning (an error under ``-W``), with its page.
A page's typeset formulas are kept in the doctree directory, keyed by its formulas, so a
rebuild starts Node.js only for pages whose formulas changed. The renderer is registered
as ``course`` and chosen by ``html_math_renderer`` in ``_config.yml``; it writes the same
markup as Sphinx's MathJax renderer, whose visitors it reuses.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.ext import mathjax as sphinx_mathjax
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset

from tools.sphinx_ext.versions import add_code_version, code_version

logger = logging.getLogger(__name__)

RENDERER = "course"
SCRIPT = Path(__file__).with_name("typeset.js")
FONTS = "_static/mathjax-fonts"
CACHE = "course-math"

# Sphinx's MathJax markup: inline TeX between \( \) in a span, displayed TeX between \[ \]
# in a div (after the equation number's span, when it has one). The TeX is HTML-escaped.
_FORMULA = re.compile(
    r'(?P<open><span class="math notranslate nohighlight">)\\\((?P<inline>.*?)\\\)(?=</span>)'
    r'|(?P<dopen><div class="math notranslate nohighlight"[^>]*>\s*(?:<span class="eqno">.*?</span>)?)'
    r"\\\[(?P<display>.*?)\\\](?=</div>)",
    re.DOTALL,
)

Formula = tuple[str, bool]


def mathjax_dir() -> Path:
    """MathJax 3's components, as the ``sphinx-mathjax-offline`` wheel installs them."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError("the sphinx-mathjax-offline package (MathJax 3) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"


def find_formulas(body: str) -> list[Formula]:
    """Every formula of a page body, in order: its TeX and whether it is displayed."""
    return [
        (html.unescape(m["inline"] if m["inline"] is not None else m["display"]), m["inline"] is None)
        for m in _FORMULA.finditer(body)
    ]


def replace_formulas(body: str, typeset: Sequence[str]) -> str:
    """``body`` with its formulas' TeX replaced, in order, by their ``typeset`` HTML.

    A displayed formula takes keyboard focus: one wider than the column scrolls sideways,
    and a reader without a mouse must be able to scroll it.
    """
    parts = iter(typeset)

    def substitute(match: re.Match[str]) -> str:
        output = next(parts)
        if match["inline"] is not None:
            return match["open"] + output
        return match["dopen"] + output.replace("<mjx-container ", '<mjx-container tabindex="0" ', 1)

    return _FORMULA.sub(substitute, body)


class Typesetter:
    """One Node.js process running ``typeset.js``, started on first use, one page per request."""

    def __init__(self, mathjax: Path) -> None:
        self.mathjax = mathjax
        self.process: subprocess.Popen[str] | None = None
        self.owner = 0
        self.stderr: IO[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        # Sphinx's parallel writers are forked processes: each starts its own Node.js.
        if self.process is None or self.owner != os.getpid():
            node = shutil.which("node")
            if node is None:
                raise ExtensionError(
                    "the build typesets formulas with Node.js, and `node` is not on PATH "
                    "(Debian: apt-get install nodejs)"
                )
            # Node's messages, for the error if it stops; closed by close().
            self.stderr = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
            self.process = subprocess.Popen(
                [node, str(SCRIPT), str(self.mathjax)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                text=True,
                encoding="utf-8",
            )
            self.owner = os.getpid()
        return self.process

    def page(self, formulas: Sequence[Formula], fonts: str) -> dict[str, Any]:
        """MathJax's ``html`` for each formula, the page's ``css`` and parse ``errors``."""
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        request = {"formulas": [list(formula) for formula in formulas], "fonts": fonts}
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            answer = process.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            process.wait()
            assert self.stderr is not None
            self.stderr.seek(0)
            raise ExtensionError(f"MathJax (node {SCRIPT.name}) stopped: {self.stderr.read()[-2000:]}")
        result: dict[str, Any] = json.loads(answer)
        return result

    def close(self) -> None:
        """Stop this process's Node.js, if it started one."""
        if self.process is not None and self.owner == os.getpid():
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait()
            if self.stderr is not None:
                self.stderr.close()
        self.process = None
        self.stderr = None


def typeset_page(
    body: str,
    fonts: str,
    cache: Path,
    render: Callable[[Sequence[Formula], str], dict[str, Any]],
    warn: Callable[[str], None],
) -> tuple[str, str]:
    """The page body with typeset formulas, and the stylesheet they need ("" without any).

    The result is read from ``cache`` when the page's formulas, ``fonts`` and the
    typesetting code are the ones it was made from; otherwise ``render`` makes it and it is
    stored. Each formula MathJax could not parse is passed to ``warn``.
    """
    formulas = find_formulas(body)
    if not formulas:
        return body, ""
    key = hashlib.sha256(json.dumps([formulas, fonts, code_version(SCRIPT)]).encode()).hexdigest()
    stored = cache / f"{key}.json"
    if stored.is_file():
        result = json.loads(stored.read_text(encoding="utf-8"))
    else:
        result = render(formulas, fonts)
        for index, message in result["errors"]:
            warn(f"formula {formulas[index][0]!r} cannot be typeset: {message}")
        if not result["errors"]:
            cache.mkdir(parents=True, exist_ok=True)
            stored.write_text(json.dumps(result), encoding="utf-8")
    return replace_formulas(body, result["html"]), result["css"]


_typesetter: Typesetter | None = None


def _typeset(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    global _typesetter
    if app.builder.format != "html" or "body" not in context:
        return
    if getattr(app.builder, "math_renderer_name", None) != RENDERER:
        return
    if _typesetter is None:
        _typesetter = Typesetter(mathjax_dir())
    fonts = context["pathto"](FONTS, 1)
    body, css = typeset_page(
        context["body"],
        fonts,
        Path(app.doctreedir) / CACHE,
        _typesetter.page,
        lambda message: logger.warning(message, location=pagename),
    )
    context["body"] = body
    if css:
        context["metatags"] = context.get("metatags", "") + f"\n<style>{css}</style>"


def _finish(app: Sphinx, exception: BaseException | None) -> None:
    if _typesetter is not None:
        _typesetter.close()
    if exception is None and app.builder.format == "html":
        copy_asset(mathjax_dir() / "output" / "chtml" / "fonts" / "woff-v2", str(Path(app.outdir) / FONTS))


def setup(app: Sphinx) -> None:
    """Register the ``course`` math renderer (Sphinx's MathJax markup, typeset at build time)."""
    # No page keeps formulas typeset by older code.
    add_code_version(app, "course_typesetting", Path(__file__), SCRIPT)
    app.add_html_math_renderer(
        RENDERER,
        (sphinx_mathjax.html_visit_math, None),
        (sphinx_mathjax.html_visit_displaymath, None),
    )
    # Late, so that every other handler has written its part of the body first.
    app.connect("html-page-context", _typeset, priority=900)
    app.connect("build-finished", _finish)
