"""Every page's stylesheets as one file, ``_static/course.bundle.css``.

A page of the theme links twelve stylesheets (the theme's two, one of which ``@import``\\ s
Sphinx's ``basic.css``, and one per extension), and the browser paints nothing until it
has them all. Over a slow mobile connection that is several round trips before the first
paint; Lighthouse's simulation of one puts the first paint at 2.0 to 3.0 s depending on
how the requests share connections. The build concatenates them, in the order the page
would load them, into one file that every page links instead (its ``?v=`` changes with its
content, so a browser never keeps an old one). ``@import`` rules are replaced by the file
they import and relative ``url()``\\ s are rewritten for the bundle's folder. A page that
links a stylesheet the bundle lacks links that one as well, after the bundle.

The bundle holds the theme's stylesheets and those registered for every page (the
builder's ``css_files``). The layout template (``_templates/layout.html``) writes the link
from ``course_bundle`` (the bundle's path), ``course_bundle_version`` and ``course_extra_css``
(the page's other stylesheets).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

BUNDLE = "_static/course.bundle.css"
#: The stylesheets pydata-sphinx-theme links before Sphinx's list (its webpack macros).
THEME_STYLESHEETS = ("_static/styles/theme.css", "_static/styles/pydata-sphinx-theme.css")

_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s]+)["']?\s*\)?\s*;""")
# A quoted URL is read to its closing quote: a data: URL may hold quotes, brackets and url()s.
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^"')\s]*))\s*\)""")


def _url(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group is not None)


def stylesheet_urls(css: str) -> list[str]:
    """The URLs of the ``url()``\\ s of stylesheet text, in order."""
    return [_url(match) for match in _URL.finditer(css)]


def _is_relative(url: str) -> bool:
    return not re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", url, re.IGNORECASE)


def inline_stylesheet(outdir: Path, name: str, bundle_dir: str, seen: set[str] | None = None) -> str:
    """The text of stylesheet ``name`` (relative to ``outdir``) as it reads from ``bundle_dir``.

    Its ``@import``\\ s are replaced by the files they name (each once) and its relative
    ``url()``\\ s point from ``bundle_dir`` to the same files.
    """
    seen = set() if seen is None else seen
    if name in seen:
        return ""
    seen.add(name)
    path = outdir / name
    if not path.is_file():
        raise ExtensionError(f"stylesheet {name} is not in the site")
    folder = posixpath.dirname(name)
    text = path.read_text(encoding="utf-8")

    def imported(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, match[1].split("?")[0]))
        return inline_stylesheet(outdir, target, bundle_dir, seen)

    def rebased(match: re.Match[str]) -> str:
        url = _url(match)
        if not _is_relative(url):
            return match[0]
        target = posixpath.normpath(posixpath.join(folder, url))
        return f'url("{posixpath.relpath(target, bundle_dir)}")'

    # A source map comment would name a map relative to the original file.
    text = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", text)
    # The file's own rules are rebased; an imported file's rules, by its own folder.
    parts, end = [], 0
    for match in _IMPORT.finditer(text):
        parts += [_URL.sub(rebased, text[end : match.start()]), imported(match)]
        end = match.end()
    parts.append(_URL.sub(rebased, text[end:]))
    return f"/* {name} */\n{''.join(parts)}\n"


def write_bundle(outdir: Path, names: Sequence[str]) -> None:
    """Write the bundle of stylesheets ``names`` (site paths, in order) into ``outdir``."""
    bundle_dir = posixpath.dirname(BUNDLE)
    seen: set[str] = set()
    text = "".join(inline_stylesheet(outdir, name, bundle_dir, seen) for name in names)
    (outdir / BUNDLE).write_text(text, encoding="utf-8")


def bundle_version(outdir: Path, names: Sequence[str]) -> str:
    """A digest of the stylesheets as they are when pages are written, for the link's ``?v=``.

    (The bundle itself is written after the pages, once icons.py has written its
    stylesheet and cut the theme's; a change to any source stylesheet changes this.)
    """
    digest = hashlib.sha256()
    for name in names:
        path = outdir / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:12]


def _local(css: Any) -> str | None:
    """The site path of a stylesheet entry, without its query; None for another host's."""
    filename = getattr(css, "filename", css)
    if not isinstance(filename, str) or re.match(r"^[a-z]+://", filename):
        return None
    return filename.split("?")[0]


def bundled_names(app: Sphinx) -> list[str]:
    """What the bundle holds: the theme's stylesheets, then those every page links.

    sphinx-thebe's stylesheet is left out while Thebe is switched off, as the layout
    template leaves it out.
    """
    launch = (app.config.html_theme_options or {}).get("launch_buttons") or {}
    # In the order a page links them: by priority, then as registered (html-page-context).
    registered = sorted(getattr(app.builder, "css_files", []), key=lambda css: getattr(css, "priority", 500))
    names = [_local(css) for css in registered]
    return [
        *THEME_STYLESHEETS,
        *(name for name in names if name is not None and (launch.get("thebe") or "sphinx-thebe" not in name)),
    ]


class _Bundle:
    version: str | None = None


def _on_builder_inited(app: Sphinx) -> None:
    _Bundle.version = None


def _on_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html":
        return
    names = bundled_names(app)
    if _Bundle.version is None:
        _Bundle.version = bundle_version(Path(app.outdir), names)
    context["course_bundle"] = BUNDLE
    context["course_bundle_version"] = _Bundle.version
    context["course_extra_css"] = [css for css in context.get("css_files", []) if _local(css) not in names]


def _on_finished(app: Sphinx, exception: BaseException | None) -> None:
    # At the end of every build, so an edited stylesheet reaches every page even when no page
    # was written again.
    if exception is None and app.builder.format == "html":
        write_bundle(Path(app.outdir), bundled_names(app))


def setup(app: Sphinx) -> None:
    """Bundle the stylesheets of every HTML page (``course_bundle`` and its version in the page context)."""
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page)
    # After icons.py (priority 500) has written course-icons.css and cut the theme's stylesheet.
    app.connect("build-finished", _on_finished, priority=900)
