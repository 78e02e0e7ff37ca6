"""Formulas written as MathML at build time, which the reader's browser draws itself.

Sphinx's MathJax renderer writes each formula as its TeX source (``\\(...\\)`` in a
``span.math``, ``\\[...\\]`` in a ``div.math``) and leaves the typesetting to a script in
the reader's browser. Here Temml (from the npm registry, pinned in ``package-lock.json``)
runs in Node.js while the site is built: ``typeset.js`` turns every formula of a page into
a ``<math>`` element (MathML Core, which Chromium, Firefox and Safari lay out natively, and
screen readers read as mathematics). Pages load no typesetting script, and a long lesson
stays light to lay out: MathJax's HTML output took two thirds of the elements of a page
like 3.3 (Lighthouse: blocking time on a phone).

The formulas are drawn in STIX Two Math, a font with the OpenType MATH table that MathML
layout needs (stretchy delimiters, radicals, large operators). After the build, the font is
cut to the characters the site's formulas use (``_static/math-fonts``, about 25 kB), the
way :mod:`.icons` cuts the icon fonts; ``course-math.css`` is Temml's stylesheet for that
font. A static site check finds every character of every formula in the cut font.

A formula Temml cannot parse is a build warning (an error under ``-W``), with its page.
A page's MathML is kept in the doctree directory, keyed by its formulas, so a rebuild
starts Node.js only for pages whose formulas changed. The renderer is registered as
``course`` and chosen by ``html_math_renderer`` in ``_config.yml``; it writes the same
markup as Sphinx's MathJax renderer, whose visitors it reuses.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from fontTools import subset
from fontTools import version as fonttools_version
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.ext import mathjax as sphinx_mathjax
from sphinx.util import logging

from tools.sphinx_ext.versions import add_code_version, code_version

logger = logging.getLogger(__name__)

RENDERER = "course"
SCRIPT = Path(__file__).with_name("typeset.js")
#: What ``npm ci`` installs from ``package-lock.json`` (``make setup``).
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
LOCK = NODE_MODULES.with_name("package-lock.json")
TEMML = NODE_MODULES / "temml" / "dist" / "temml.cjs"
TEMML_CSS = NODE_MODULES / "temml" / "dist" / "Temml-STIX2.css"
FONT_SOURCE = NODE_MODULES / "@fontsource" / "stix-two-math" / "files" / "stix-two-math-latin-400-normal.woff"
STYLESHEET = "course-math.css"
FONT = "_static/math-fonts/STIXTwoMath.woff"
CACHE = "course-math"
#: Temml's stylesheet names this family; the OpenType features it switches on are kept.
FONT_FAMILY = "STIX2"
FONT_FEATURES = ("ssty", "ss01", "ss04")

# Sphinx's MathJax markup: inline TeX between \( \) in a span, displayed TeX between \[ \]
# in a div (after the equation number's span, when it has one). The TeX is HTML-escaped.
_FORMULA = re.compile(
    r'(?P<open><span class="math notranslate nohighlight">)\\\((?P<inline>.*?)\\\)(?=</span>)'
    r'|(?P<dopen><div class="math notranslate nohighlight"[^>]*>\s*(?:<span class="eqno">.*?</span>)?)'
    r"\\\[(?P<display>.*?)\\\](?=</div>)",
    re.DOTALL,
)
_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")

Formula = tuple[str, bool]


def find_formulas(body: str) -> list[Formula]:
    """Every formula of a page body, in order: its TeX and whether it is displayed."""
    return [
        (html.unescape(m["inline"] if m["inline"] is not None else m["display"]), m["inline"] is None)
        for m in _FORMULA.finditer(body)
    ]


def replace_formulas(body: str, mathml: Sequence[str]) -> str:
    """``body`` with its formulas' TeX replaced, in order, by their ``mathml``.

    A displayed formula takes keyboard focus: one wider than the column scrolls sideways,
    and a reader without a mouse must be able to scroll it.
    """
    parts = iter(mathml)

    def substitute(match: re.Match[str]) -> str:
        output = next(parts)
        if match["inline"] is not None:
            return match["open"] + output
        return match["dopen"] + output.replace("<math ", '<math tabindex="0" ', 1)

    return _FORMULA.sub(substitute, body)


def math_characters(page: str) -> set[int]:
    """The code points of the text inside the ``<math>`` elements of an HTML page."""
    text = "".join(html.unescape(re.sub(r"<[^>]*>", "", element)) for element in _MATH.findall(page))
    return {ord(character) for character in text}


def subset_font(source: Path, target: Path, codepoints: Iterable[int]) -> None:
    """Write ``target``: the WOFF font ``source`` with only ``codepoints`` and what drawing them needs.

    The MATH table keeps the size variants and pieces of the characters kept (tall
    parentheses, radicals, big sums), and the script-size alternates of ``FONT_FEATURES``
    stay; the name table keeps the copyright and licence (SIL Open Font License).
    """
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = [*options.layout_features, *FONT_FEATURES]
    options.name_IDs = ["*"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)


def math_stylesheet(temml_css: str, font_url: str) -> str:
    """Temml's stylesheet with its font face pointing at the site's cut of STIX Two Math.

    ``font-display: block``: a formula waits for its font (about 25 kB, one request) rather
    than appearing in a fallback font and moving the text when the font arrives.
    """
    face = (
        f"@font-face {{\n  font-family: {FONT_FAMILY};\n  font-display: block;\n"
        f'  src: url("{font_url}") format("woff");\n}}'
    )
    if len(_FONT_FACE.findall(temml_css)) != 1 or f"font-family: {FONT_FAMILY}," not in temml_css:
        raise ExtensionError(f"{TEMML_CSS} no longer has one font face named {FONT_FAMILY}")
    return _FONT_FACE.sub(lambda _: face, temml_css)


class Typesetter:
    """One Node.js process running ``typeset.js``, started on first use, one page per request."""

    def __init__(self, temml: Path) -> None:
        self.temml = temml
        self.process: subprocess.Popen[str] | None = None
        self.owner = 0
        self.stderr: IO[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        # Sphinx's parallel writers are forked processes: each starts its own Node.js.
        if self.process is None or self.owner != os.getpid():
            node = shutil.which("node")
            if node is None:
                raise ExtensionError(
                    "the build writes formulas with Node.js, and `node` is not on PATH "
                    "(Debian: apt-get install nodejs npm)"
                )
            # Node's messages, for the error if it stops; closed by close().
            self.stderr = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
            self.process = subprocess.Popen(
                [node, str(SCRIPT), str(self.temml)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                text=True,
                encoding="utf-8",
            )
            self.owner = os.getpid()
        return self.process

    def page(self, formulas: Sequence[Formula]) -> dict[str, Any]:
        """Temml's ``mathml`` for each formula and the parse ``errors``."""
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        request = {"formulas": [list(formula) for formula in formulas]}
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
            raise ExtensionError(f"Temml (node {SCRIPT.name}) stopped: {self.stderr.read()[-2000:]}")
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
    cache: Path,
    render: Callable[[Sequence[Formula]], dict[str, Any]],
    warn: Callable[[str], None],
) -> str:
    """The page body with its formulas written as MathML.

    The result is read from ``cache`` when the page's formulas and the typesetting code are
    the ones it was made from; otherwise ``render`` makes it and it is stored. Each formula
    Temml could not parse is passed to ``warn``.
    """
    formulas = find_formulas(body)
    if not formulas:
        return body
    key = hashlib.sha256(json.dumps([formulas, code_version(SCRIPT, LOCK)]).encode()).hexdigest()
    stored = cache / f"{key}.json"
    if stored.is_file():
        result = json.loads(stored.read_text(encoding="utf-8"))
    else:
        result = render(formulas)
        for index, message in result["errors"]:
            warn(f"formula {formulas[index][0]!r} cannot be typeset: {message}")
        if not result["errors"]:
            cache.mkdir(parents=True, exist_ok=True)
            stored.write_text(json.dumps(result), encoding="utf-8")
    return replace_formulas(body, result["mathml"])


def write_math_font(outdir: Path, record: Path) -> int:
    """Cut the math font to the characters of every page in ``outdir``; its size in bytes.

    Every page is read, written in this build or not, so a partial build cuts the font
    for the whole site. ``record`` keeps the characters of the last cut: the font is cut
    again only when they change.
    """
    codepoints: set[int] = set()
    for page in outdir.rglob("*.html"):
        codepoints |= math_characters(page.read_text(encoding="utf-8"))
    target = outdir / FONT
    wanted = json.dumps([sorted(codepoints), code_version(LOCK), fonttools_version, list(FONT_FEATURES)])
    if not target.is_file() or not record.is_file() or record.read_text(encoding="utf-8") != wanted:
        subset_font(FONT_SOURCE, target, codepoints)
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(wanted, encoding="utf-8")
    return target.stat().st_size


_typesetter: Typesetter | None = None


def _check_installed() -> None:
    missing = [path for path in (TEMML, TEMML_CSS, FONT_SOURCE) if not path.is_file()]
    if missing:
        raise ExtensionError(
            f"the build writes formulas with Temml and STIX Two Math from npm, and {missing[0]} "
            "is missing: run `npm ci` in the repository (make setup does)"
        )


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html" or getattr(app.builder, "math_renderer_name", None) != RENDERER:
        return
    _check_installed()
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    font_url = Path(FONT).relative_to("_static").as_posix()
    stylesheet = math_stylesheet(TEMML_CSS.read_text(encoding="utf-8"), font_url)
    target = static / STYLESHEET
    if not target.is_file() or target.read_text(encoding="utf-8") != stylesheet:
        target.write_text(stylesheet, encoding="utf-8")
    app.add_css_file(STYLESHEET)


def _typeset(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    global _typesetter
    if app.builder.format != "html" or "body" not in context:
        return
    if getattr(app.builder, "math_renderer_name", None) != RENDERER:
        return
    if _typesetter is None:
        _typesetter = Typesetter(TEMML)
    context["body"] = typeset_page(
        context["body"],
        Path(app.doctreedir) / CACHE,
        _typesetter.page,
        lambda message: logger.warning(message, location=pagename),
    )


def _finish(app: Sphinx, exception: BaseException | None) -> None:
    if _typesetter is not None:
        _typesetter.close()
    if exception is None and app.builder.format == "html":
        size = write_math_font(Path(app.outdir), Path(app.doctreedir) / CACHE / "font-characters.json")
        logger.info(f"math font cut to the site's characters: {size / 1024:.0f} KiB")


def setup(app: Sphinx) -> None:
    """Register the ``course`` math renderer (Sphinx's MathJax markup, written as MathML at build time)."""
    # No page keeps formulas written by older code or another Temml (package-lock.json).
    add_code_version(app, "course_typesetting", Path(__file__), SCRIPT, LOCK)
    app.add_html_math_renderer(
        RENDERER,
        (sphinx_mathjax.html_visit_math, None),
        (sphinx_mathjax.html_visit_displaymath, None),
    )
    app.connect("builder-inited", _on_builder_inited)
    # Late, so that every other handler has written its part of the body first.
    app.connect("html-page-context", _typeset, priority=900)
    # Before stylesheets.py bundles the stylesheets (priority 900).
    app.connect("build-finished", _finish, priority=600)
