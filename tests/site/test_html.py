"""Checks of the built HTML itself, without a browser.

- Internal links: every ``href``/``src`` of every page that stays on the site (relative,
  or absolute to the published address) names a file that exists, and its ``#fragment``
  an element of that page. (Broken cross-references are also build warnings, which fail
  ``make book``; this catches what Sphinx does not see, such as raw HTML and theme links.)
- Every ``<img>`` has non-empty alt text.
- Every page has a meta description and a social card (Open Graph title and description,
  Twitter card); the sitemap lists every page.
- Every glossary term a lesson uses is linked to the glossary from that lesson.
- Every icon the pages show has its glyph in the cut-down icon fonts.
- Every page links one stylesheet, the bundle of all (tools/sphinx_ext/stylesheets.py), and
  every file the bundle names exists.
- Highlighted code has no span that the theme's Pygments stylesheet draws like plain code
  text, and no two neighbouring spans of one class (tools/sphinx_ext/highlight.py).
- Every formula arrives typeset (MathJax's output, written by the build) with no TeX shown as
  text, the page's own stylesheet for it names fonts the site has, and no page loads a MathJax
  script.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from fontTools.ttLib import TTFont

from tests.site.pages import (
    MISSING,
    SITE,
    article,
    base_url,
    lesson_pages,
    pages,
    params,
    resolve,
    site_built,
    soup,
    text_of,
)
from tools.sphinx_ext import icons, stylesheets

pytestmark = pytest.mark.site

LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "source": "src",
    "iframe": "src",
}
GENERATED_PAGES = {"search.html", "genindex.html", "py-modindex.html"}


@cache
def ids(page: str) -> frozenset[str]:
    """Every ``id`` and ``name`` anchor of a page."""
    found: set[str] = set()
    for tag in soup(page).find_all(True):
        for attribute in ("id", "name"):
            value = tag.get(attribute)
            if isinstance(value, str):
                found.add(value)
    return frozenset(found)


def site_target(page: str, url: str) -> tuple[str, str] | None:
    """The site file and fragment ``url`` points to, also for absolute links to the published site."""
    base = base_url()
    if base and url.startswith(base):
        return resolve("", url[len(base) :])
    return resolve(page, url)


@pytest.mark.parametrize("page", params(pages()))
def test_internal_links_resolve(page: str) -> None:
    broken = []
    for name, attribute in LINK_ATTRIBUTES.items():
        for tag in soup(page).find_all(name):
            url = tag.get(attribute)
            if not isinstance(url, str) or not url or (name == "a" and url == "#"):
                continue
            target = site_target(page, url)
            if target is None:
                continue
            path, fragment = target
            file = SITE / path
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"<{name} {attribute}={url!r}>: no file {path}")
            elif (
                fragment and file.suffix == ".html" and fragment not in ids(file.relative_to(SITE).as_posix())
            ):
                broken.append(f"<{name} {attribute}={url!r}>: no #{fragment} in {path}")
    assert broken == [], "\n".join(broken)


@pytest.mark.parametrize("page", params(pages()))
def test_images_have_alt_text(page: str) -> None:
    missing = [
        str(img.get("src")) for img in soup(page).find_all("img") if not str(img.get("alt") or "").strip()
    ]
    assert missing == [], f"<img> without alt text: {missing}"


def meta_content(page: str, key: str, name: str) -> str:
    """The content of the page's ``<meta key="name">``, or an empty string."""
    for tag in soup(page).find_all("meta"):
        if tag.get(key) == name:
            return str(tag.get("content", "")).strip()
    return ""


@pytest.mark.parametrize("page", params(pages()))
def test_meta_description_and_social_card(page: str) -> None:
    description = meta_content(page, "name", "description")
    assert len(description) >= 50, f"meta description missing or too short: {description!r}"
    assert meta_content(page, "property", "og:title"), "no og:title"
    assert meta_content(page, "property", "og:description"), "no og:description"
    assert meta_content(page, "name", "twitter:card"), "no twitter:card"
    html_tag = soup(page).find("html")
    assert isinstance(html_tag, Tag) and html_tag.get("lang"), "<html> has no lang"


def test_sitemap_lists_every_page() -> None:
    if not site_built():
        pytest.skip(MISSING)
    sitemap = SITE / "sitemap.xml"
    assert sitemap.is_file(), "no sitemap.xml"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text or "" for loc in ET.parse(sitemap).getroot().findall("s:url/s:loc", namespace)]
    base = base_url()
    listed = {url[len(base) :] for url in urls if url.startswith(base)}
    assert len(listed) == len(urls), f"sitemap URLs outside {base}"
    assert listed <= set(pages()), f"sitemap lists missing pages: {sorted(listed - set(pages()))}"
    assert set(pages()) - GENERATED_PAGES <= listed, (
        f"not in sitemap: {sorted(set(pages()) - GENERATED_PAGES - listed)}"
    )


# --- glossary --------------------------------------------------------------------------


@cache
def glossary() -> tuple[str, dict[str, str]]:
    """The glossary page and its terms (term id -> term), found by the glossary's markup."""
    for page in pages():
        terms = {
            str(dt["id"]): re.sub(r"[#¶]$", "", text_of(dt)).strip()
            for dt in soup(page).select("dl.glossary dt[id]")
        }
        if terms:
            return page, terms
    return "", {}


def term_pattern(term: str) -> re.Pattern[str]:
    """The term as a whole word or phrase, case-insensitive, also in the plural."""
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"\b" + r"\s+".join(words) + r"(?:s|es)?\b", re.IGNORECASE)


def prose(page: str) -> str:
    """The running text of a lesson: paragraphs and list items, without code, formulas and page titles."""
    copy = BeautifulSoup(str(article(page)), "html.parser")
    # The title inside a link to another page ({doc}) is that page's wording, not this page's.
    for skipped in copy.select(
        "pre, code, .math, .highlight, .cell_input, a.reference.internal:has(span.doc)"
    ):
        skipped.decompose()
    return " ".join(text_of(block) for block in copy.find_all(["p", "li", "dd"]))


def linked_terms(page: str, glossary_page: str) -> set[str]:
    found = set()
    for a in article(page).find_all("a", href=True):
        target = resolve(page, str(a["href"]))
        if target is not None and target[0] == glossary_page and target[1]:
            found.add(target[1])
    return found


def used_terms(text: str, terms: dict[str, str]) -> set[str]:
    """Ids of the terms ``text`` uses; longer terms first, so "gradient descent" is not also "gradient"."""
    used = set()
    for term_id, term in sorted(terms.items(), key=lambda item: -len(item[1])):
        pattern = term_pattern(term)
        if pattern.search(text):
            used.add(term_id)
            text = pattern.sub(" ", text)
    return used


@pytest.mark.parametrize("page", params(lesson_pages()))
def test_glossary_terms_used_are_linked(page: str) -> None:
    glossary_page, terms = glossary()
    if not terms:
        pytest.skip("the site has no glossary")
    unlinked = used_terms(prose(page), terms) - linked_terms(page, glossary_page)
    names = sorted(terms[term_id] for term_id in unlinked)
    assert names == [], f"glossary terms this lesson uses but never links with {{term}}: {names}"


# --- stylesheets -----------------------------------------------------------------------


@pytest.mark.parametrize("page", params(pages()))
def test_page_links_the_stylesheet_bundle_only(page: str) -> None:
    links = [str(tag.get("href")) for tag in soup(page).find_all("link", rel="stylesheet")]
    assert len(links) == 1 and urlsplit(links[0]).path.endswith(stylesheets.BUNDLE), links


def test_stylesheet_bundle_names_files_that_exist() -> None:
    if not site_built():
        pytest.skip(MISSING)
    bundle = SITE / stylesheets.BUNDLE
    text = bundle.read_text(encoding="utf-8")
    assert "@import" not in text
    named = stylesheets.stylesheet_urls(text)
    urls = {url for url in named if not re.match(r"^(data:|[a-z]+://|#)", url)}
    assert urls, "the bundle names no file (the icon fonts at least)"
    missing = sorted(url for url in urls if not (bundle.parent / url.split("?")[0].split("#")[0]).is_file())
    assert missing == [], f"files the stylesheet bundle names but the site lacks: {missing}"


# --- highlighted code ------------------------------------------------------------------


@cache
def plain_code_classes() -> frozenset[str]:
    """Token classes the site's ``pygments.css`` draws exactly like unmarked code text in
    both colour modes (the theme writes one set of rules per mode)."""
    rules: dict[tuple[str, str], str] = {}
    css = (SITE / "_static" / "pygments.css").read_text(encoding="utf-8")
    for mode, token, body in re.findall(
        r'html\[data-theme="(\w+)"\] \.highlight(?: \.(\w+))? \{([^}]*)\}', css
    ):
        rules[mode, token] = " ".join(body.replace("background:", "").split())
    modes = {mode for mode, _ in rules}
    assert modes == {"light", "dark"}, f"pygments.css has rules for {sorted(modes)}"
    tokens = {token for _, token in rules if token}

    def plain(token: str, mode: str) -> bool:
        base = re.search(r"color: (#\w+)", rules[mode, ""])
        return base is not None and rules.get((mode, token)) == f"color: {base.group(1)}"

    return frozenset(token for token in tokens if all(plain(token, mode) for mode in modes))


@pytest.mark.parametrize("page", params(lesson_pages()))
def test_highlighted_code_has_a_span_only_where_the_colour_changes(page: str) -> None:
    plain = plain_code_classes()
    assert {"n", "p"} <= plain, "names and punctuation are drawn like plain code text"
    blocks = [str(pre) for pre in soup(page).select("div.highlight pre")]
    assert blocks, "a lesson page has highlighted code"
    classes = [c for block in blocks for c in re.findall(r'<span class="([^"]+)">', block)]
    assert classes, "the code is highlighted"
    needless = sorted({c for c in classes if c in plain})
    assert needless == [], f"spans drawn like plain text: {needless}"
    repeated = [
        m.group(1)
        for block in blocks
        for m in re.finditer(r'<span class="([^"]+)">[^<]*</span><span class="\1">', block)
    ]
    assert repeated == [], f"neighbouring spans of one class: {sorted(set(repeated))}"


# --- formulas --------------------------------------------------------------------------


@pytest.mark.parametrize("page", params(pages()))
def test_formulas_arrive_typeset(page: str) -> None:
    document = soup(page)
    problems = [
        f"<script src={tag['src']!r}>: pages load no MathJax"
        for tag in document.find_all("script", src=True)
        if "mathjax" in str(tag["src"]).lower()
    ]
    formulas = document.select(".math")
    for formula in formulas:
        mathml = formula.find("mjx-assistive-mml")
        if formula.find("mjx-container") is None or formula.find("mjx-merror") is not None:
            problems.append(f"formula not typeset: {formula.get_text()[:60]!r}")
        elif mathml is None:
            problems.append(f"formula without MathML for screen readers: {formula.get_text()[:60]!r}")
        elif "\\" in mathml.get_text():
            # MathJax prints a macro it does not know in text mode (\text, \texttt) as it is.
            problems.append(f"formula shows TeX as text: {mathml.get_text()[:60]!r}")
    styles = " ".join(style.get_text() for style in document.select("head style"))
    if formulas and "mjx-container" not in styles:
        problems.append("formulas but no MathJax stylesheet in <head>")
    for url in sorted(set(stylesheets.stylesheet_urls(styles))):
        target = resolve(page, url)
        if target is not None and not (SITE / target[0]).is_file():
            problems.append(f"stylesheet names a missing font: {url}")
    assert problems == [], "\n".join(problems)


# --- icons -----------------------------------------------------------------------------


def test_every_icon_has_its_glyph() -> None:
    if not site_built():
        pytest.skip(MISSING)
    css = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (SITE / "_static").rglob("*.css"))
    table = icons.icon_codepoints(css)
    fonts = sorted((SITE / "_static" / icons.FONT_DIR).glob("*.woff"))
    assert fonts, "no cut-down icon fonts in the site"
    glyphs: set[int] = set()
    for font in fonts:
        glyphs |= set(TTFont(str(font)).getBestCmap())
    used = icons.used_icon_classes([(SITE / page).read_text(encoding="utf-8") for page in pages()])
    missing = sorted(name for name in used if name in table and table[name] not in glyphs)
    assert missing == [], f"icons without a glyph in {icons.FONT_DIR}/: {missing}"


def test_no_request_to_other_hosts_in_markup() -> None:
    """Scripts, styles, images and fonts all come from the site itself (links to other sites are fine)."""
    if not site_built():
        pytest.skip(MISSING)
    foreign = []
    for page in pages():
        for name, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for tag in soup(page).find_all(name):
                url = str(tag.get(attribute) or "")
                rel: list[str] = list(tag.get_attribute_list("rel"))
                if name == "link" and not {"stylesheet", "preload", "icon", "modulepreload"} & set(rel):
                    continue
                if urlsplit(url).netloc:
                    foreign.append(f"{page}: <{name} {attribute}={url!r}>")
    assert foreign == [], "\n".join(foreign)
