"""Icon fonts cut down to the icons the site shows.

The theme draws its icons (buttons, admonition markers) with the Font Awesome web
fonts, which hold some 2,000 icons: 270 kB for the two faces a page loads, a third of
the page-weight budget. After the build, each face is subset to the icons the site
uses and written as WOFF to ``_static/course-icons/``; ``_static/course-icons.css``,
linked after the theme's stylesheet, points the same font families at the subsets.

"The icons the site uses" are the ``fa-*`` classes in the built HTML and the theme's
scripts, plus every icon code point the stylesheets write directly (admonition and
exercise markers, escaped like ``"\\f303"`` or as the character itself). A glyph
missing from a subset would make the browser fall back to the full font: the browser
checks in ``tests/site`` fail when a page requests one of the theme's original icon
fonts, and a static check finds every icon class of every page in the subsets.

The theme's stylesheet, which every page loads before it can show anything, also
carries one rule per icon (a quarter of its size); the rules of unused icons are
dropped from the site's copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from sphinx.application import Sphinx
from sphinx.util import logging

from tools.sphinx_ext import stylesheets

LOGGER = logging.getLogger(__name__)

CSS_NAME = "course-icons.css"
FONT_DIR = "course-icons"
THEME_CSS = Path("_static/styles/pydata-sphinx-theme.css")

_ICON_RULE = re.compile(
    r'((?:\.fa-[a-z0-9-]+:(?:before|after)\s*,?\s*)+)\{\s*content:\s*"\\([0-9a-fA-F]+)"\s*;?\s*\}'
)
_ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
_ESCAPED_CHAR = re.compile(r'"\\([0-9a-fA-F]{2,6})"')
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")


@dataclass(frozen=True)
class FontFace:
    """One ``@font-face`` of the theme's icon fonts."""

    family: str
    weight: str
    style: str
    ttf: Path


def icon_codepoints(css: str) -> dict[str, int]:
    """Icon class (``fa-github``) to code point, from the ``.fa-x:before{content:...}`` rules of ``css``."""
    table: dict[str, int] = {}
    for selectors, code in _ICON_RULE.findall(css):
        for name in re.findall(r"\.(fa-[a-z0-9-]+):", selectors):
            table[name] = int(code, 16)
    return table


def _private_use(codepoint: int) -> bool:
    return 0xE000 <= codepoint <= 0xF8FF or codepoint >= 0xF0000


def direct_codepoints(css: str) -> set[int]:
    """Icon code points ``css`` writes outside the per-class icon rules, escaped or as characters."""
    rest = _ICON_RULE.sub("", css)
    escaped = {int(code, 16) for code in _ESCAPED_CHAR.findall(rest)}
    literal = {ord(char) for char in rest}
    return {codepoint for codepoint in escaped | literal if _private_use(codepoint)}


def used_icon_classes(texts: list[str]) -> set[str]:
    """Every ``fa-*`` token in the given HTML and JavaScript texts."""
    names: set[str] = set()
    for text in texts:
        names.update(_ICON_CLASS.findall(text))
    return names


def icon_font_faces(css: str, css_path: Path) -> list[FontFace]:
    """The ``@font-face`` rules of ``css`` (at ``css_path``) that load a Font Awesome TrueType file."""
    faces = []
    for block in _FONT_FACE.findall(css):
        fields = dict(
            (key.strip(), value.strip())
            for key, _, value in (d.partition(":") for d in block.split(";"))
            if key
        )
        ttf = re.search(r"url\(([^)]*fontawesome[^)]*\.ttf)\)", block)
        if ttf is None:
            continue
        family = fields.get("font-family", "").replace("\\", "").strip("\"'")
        faces.append(
            FontFace(
                family=family,
                weight=fields.get("font-weight", "400"),
                style=fields.get("font-style", "normal"),
                ttf=(css_path.parent / ttf.group(1).strip("\"'")).resolve(),
            )
        )
    return faces


def drop_unused_icon_rules(css: str, used: set[str]) -> str:
    """``css`` without the ``.fa-x:before`` rules of icons not in ``used`` (and its source-map link)."""

    def keep(rule: re.Match[str]) -> str:
        names = re.findall(r"\.(fa-[a-z0-9-]+):", rule.group(1))
        return rule.group(0) if used.intersection(names) else ""

    return re.sub(r"/\*# sourceMappingURL=[^*]*\*/\s*$", "", _ICON_RULE.sub(keep, css))


def subset_font(source: Path, target: Path, codepoints: set[int]) -> bool:
    """Write the glyphs of ``codepoints`` that ``source`` has to ``target`` (WOFF); False if it has none."""
    font = subset.load_font(str(source), subset.Options())
    available = set(font.getBestCmap())
    wanted = codepoints & available
    if not wanted:
        return False
    options = subset.Options()
    options.flavor = "woff"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)
    return True


def font_face_css(face: FontFace, url: str) -> str:
    """An ``@font-face`` rule that points ``face``'s family, weight and style at ``url``."""
    return (
        f'@font-face{{font-family:"{face.family}";font-style:{face.style};font-weight:{face.weight};'
        f'font-display:block;src:url({url}) format("woff")}}\n'
    )


def write_icon_subsets(outdir: Path) -> list[Path]:
    """Subset the theme's icon fonts in the built site at ``outdir``; return the fonts written."""
    theme_css_path = outdir / THEME_CSS
    static = outdir / "_static"
    # Not the bundle of all stylesheets (stylesheets.py), a copy written after this.
    css_files = [p for p in static.rglob("*.css") if p.name not in (CSS_NAME, Path(stylesheets.BUNDLE).name)]
    css_text = {p: p.read_text(encoding="utf-8", errors="replace") for p in css_files}
    table: dict[str, int] = {}
    for text in css_text.values():
        table.update(icon_codepoints(text))
    scripts = [p for p in static.rglob("*.js") if "mathjax" not in p.parts and p.name != "fontawesome.js"]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in [*outdir.rglob("*.html"), *scripts]]
    used = used_icon_classes(texts)
    wanted = {table[name] for name in used if name in table}
    for text in css_text.values():
        wanted |= direct_codepoints(text)
    written: list[Path] = []
    rules = [
        "/* Generated by tools/sphinx_ext/icons.py: the icon fonts, cut to the icons the site uses. */\n"
    ]
    for face in icon_font_faces(css_text.get(theme_css_path, ""), theme_css_path):
        target = static / FONT_DIR / face.ttf.with_suffix(".woff").name
        if face.ttf.is_file() and subset_font(face.ttf, target, wanted):
            written.append(target)
            rules.append(font_face_css(face, f"{FONT_DIR}/{target.name}"))
    (static / CSS_NAME).write_text("".join(rules), encoding="utf-8")
    if theme_css_path.is_file():
        theme_css_path.write_text(drop_unused_icon_rules(css_text[theme_css_path], used), encoding="utf-8")
    return written


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.add_css_file(CSS_NAME, priority=900)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        fonts = write_icon_subsets(Path(app.outdir))
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 1024:.0f} kB" for p in fonts)
        LOGGER.info(f"icon fonts subset: {sizes}")


def setup(app: Sphinx) -> None:
    """Link the icon stylesheet on every page and write it (with the fonts) after the build."""
    app.connect("builder-inited", _on_builder_inited)
    app.connect("build-finished", _on_build_finished)
