"""Unit tests of the site's Sphinx extension (tools/sphinx_ext), without building the site."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from docutils.core import publish_doctree
from fontTools.ttLib import TTFont
from matplotlib.figure import Figure
from PIL import Image
from sphinx.errors import ExtensionError

from tools.course import ROOT
from tools.sphinx_ext import downloads, icons, images, markup, meta, parallel, sitemap, stylesheets

# --- downloads --------------------------------------------------------------------------


def test_wheel_filename_follows_pep_427() -> None:
    assert downloads.wheel_filename("looplab", "0.1.0") == "looplab-0.1.0-py3-none-any.whl"
    assert downloads.wheel_filename("my-pkg.name", "2.0") == "my_pkg_name-2.0-py3-none-any.whl"


def test_project_metadata_reads_pyproject() -> None:
    name, version, dependencies = downloads.project_metadata(ROOT)
    assert name == "looplab"
    assert version.count(".") >= 1
    assert any(d.startswith("torch") for d in dependencies)


def test_project_root_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    assert downloads.project_root(ROOT / "book") == ROOT
    with pytest.raises(FileNotFoundError, match="no pyproject.toml"):
        downloads.project_root(Path("/"))


def test_build_wheel_builds_the_package_and_reuses_it(tmp_path: Path) -> None:
    wheel = downloads.build_wheel(ROOT, tmp_path)
    name, version, _ = downloads.project_metadata(ROOT)
    assert wheel.name == downloads.wheel_filename(name, version)
    with zipfile.ZipFile(wheel) as archive:
        members = set(archive.namelist())
    assert {"looplab/__init__.py", "looplab/py.typed"} <= members
    assert not any("__pycache__" in m for m in members)
    stamp = wheel.stat().st_mtime_ns
    assert downloads.build_wheel(ROOT, tmp_path) == wheel
    assert wheel.stat().st_mtime_ns == stamp, "an up-to-date wheel is built again"
    assert not (ROOT / "build").exists()


def test_imported_distributions_skip_the_standard_library_and_magics() -> None:
    cells = [
        "import os\nimport numpy as np\nfrom sklearn.datasets import load_digits\nimport helpers_of_mine",
        "%matplotlib inline",
    ]
    found = downloads.imported_distributions(cells)
    assert "helpers_of_mine" not in found
    assert "numpy" in found
    assert "scikit-learn" in found
    assert "os" not in found


def test_install_cell_names_wheel_extras_repository_and_setup() -> None:
    text = downloads.install_cell_source(
        title="1.1 A lesson",
        page_url="https://example.org/book/a.html",
        wheel_url="https://example.org/wheels/looplab-0.1.0-py3-none-any.whl",
        repo_url="https://github.com/o/r",
        setup_url="https://example.org/book/setup.html",
        extras=["scikit-learn"],
    )
    assert (
        "python -m pip install jupyterlab https://example.org/wheels/looplab-0.1.0-py3-none-any.whl" in text
    )
    assert "scikit-learn" in text
    assert f"pip install torch --index-url {downloads.TORCH_CPU_INDEX}" in text
    assert text.index("source .venv/bin/activate") < text.index("jupyter lab")
    assert "git+https://github.com/o/r" in text
    assert "(https://example.org/book/setup.html)" in text
    bare = downloads.install_cell_source(
        title="t", page_url="p", wheel_url="w.whl", repo_url="", setup_url="", extras=[]
    )
    assert "git+" not in bare and "Setup page" not in bare


def test_notebook_for_download_puts_the_install_cell_first_once() -> None:
    notebook: dict[str, Any] = {
        "cells": [{"cell_type": "code", "id": "a", "metadata": {}, "source": "1", "outputs": []}],
        "metadata": {"jupytext": {}, "source_map": [1], "kernelspec": {"name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    once = downloads.notebook_for_download(notebook, "install")
    twice = downloads.notebook_for_download(once, "install again")
    assert [c["id"] for c in twice["cells"]] == [downloads.INSTALL_CELL_ID, downloads.PIN_CELL_ID, "a"]
    assert "pin_numerics()" in twice["cells"][1]["source"] and twice["cells"][1]["cell_type"] == "code"
    without_ids = {**notebook, "cells": [{"cell_type": "markdown", "metadata": {}, "source": "x"}]}
    assert downloads.notebook_for_download(without_ids, "i")["cells"][2]["id"] == "cell-0"
    assert twice["cells"][0]["source"] == "install again"
    assert twice["metadata"] == {"kernelspec": downloads.READER_KERNELSPEC}
    assert twice["nbformat_minor"] == 5
    assert notebook["metadata"]["source_map"] == [1], "the input notebook was modified"


# --- meta -------------------------------------------------------------------------------


def test_first_paragraph_skips_titles_and_boxes() -> None:
    doctree = publish_doctree(
        "Title\n=====\n\n.. note::\n\n   Boxed.\n\nThe   first\nparagraph.\n\nSecond.\n"
    )
    assert meta.first_paragraph(doctree) == "The first paragraph."
    assert meta.first_paragraph(publish_doctree("Title\n=====\n")) == ""


def test_shorten_cuts_at_a_word_boundary() -> None:
    assert meta.shorten("short  text") == "short text"
    long = "word " * 60
    cut = meta.shorten(long, limit=50)
    assert len(cut) <= 50 and cut.endswith("…") and not cut.endswith(" …")
    assert cut[:-1].split()[-1] == "word"


def test_has_description_finds_an_existing_meta_description() -> None:
    assert meta.has_description('<meta name="description" content="x" />')
    assert not meta.has_description('<meta property="og:description" content="x" />')


# --- icons ------------------------------------------------------------------------------

CSS = (
    '.fa-github:before{content:"\\f09b"}.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}'
    'div.admonition>.admonition-title:after{content:"\\f303"}:root{--pst-icon-x:"\\f05a";--pst-icon-y:"\uf0eb"}'
    '.x:before{content:"\\2014"}'
)


def test_icon_codepoints_maps_every_selector_of_a_rule() -> None:
    assert icons.icon_codepoints(CSS) == {"fa-github": 0xF09B, "fa-bars": 0xF0C9, "fa-navicon": 0xF0C9}


def test_direct_codepoints_are_icon_code_points_outside_class_rules() -> None:
    assert icons.direct_codepoints(CSS) == {0xF303, 0xF05A, 0xF0EB}


def test_used_icon_classes_come_from_markup_and_scripts() -> None:
    texts = ['<i class="fa-solid fa-bars"></i>', 'el.className = "fab fa-github";']
    assert icons.used_icon_classes(texts) == {"fa-solid", "fa-bars", "fa-github"}


def test_icon_font_faces_and_subset_of_the_theme_fonts(tmp_path: Path) -> None:
    spec = importlib.util.find_spec("pydata_sphinx_theme")
    assert spec is not None and spec.origin is not None
    theme = Path(spec.origin).parent / "theme" / "pydata_sphinx_theme" / "static"
    css_path = theme / "styles" / "pydata-sphinx-theme.css"
    faces = icons.icon_font_faces(css_path.read_text(encoding="utf-8"), css_path)
    by_family = {(f.family, f.weight) for f in faces}
    assert ("Font Awesome 6 Free", "900") in by_family
    assert ("Font Awesome 6 Brands", "400") in by_family
    solid = next(f for f in faces if f.weight == "900")
    assert solid.ttf.is_file()
    target = tmp_path / "solid.woff"
    assert icons.subset_font(solid.ttf, target, {0xF0C9, 0xF09B})
    assert set(TTFont(str(target)).getBestCmap()) == {0xF0C9}, "the brand icon is not in the solid face"
    assert target.stat().st_size < solid.ttf.stat().st_size / 20
    assert not icons.subset_font(solid.ttf, tmp_path / "none.woff", {0x0378})
    rule = icons.font_face_css(solid, "course-icons/solid.woff")
    assert 'font-family:"Font Awesome 6 Free"' in rule and "font-weight:900" in rule


# --- images -----------------------------------------------------------------------------


def _plot_png(path: Path, alpha: int = 255, dpi: int = 100) -> None:
    """A small matplotlib figure (a shaded surface and a curve), as lessons draw them."""
    figure = Figure(figsize=(3, 2), dpi=dpi)
    axes = figure.subplots()
    grid = np.linspace(-2, 2, 60)
    axes.contourf(grid, grid, np.add.outer(grid**2, 2 * grid**2), levels=30)
    axes.plot(grid, np.sin(3 * grid), color="#E69F00")
    axes.set_xlabel("w")
    figure.savefig(path, dpi=dpi, transparent=alpha < 255)


def test_quantize_png_makes_a_smaller_palette_image_once(tmp_path: Path) -> None:
    png = tmp_path / "figure.png"
    _plot_png(png)
    os.utime(png, ns=(1_000_000_000, 1_000_000_000))  # written long before the page was read
    before = png.stat().st_size
    saved = images.quantize_png(png)
    assert saved == before - png.stat().st_size > 0
    assert png.stat().st_mtime_ns == 1_000_000_000, "a rebuild would take the page as changed"
    with Image.open(png) as image:
        assert image.mode == "P" and image.size == (300, 200)
    assert images.quantize_png(png) == 0


def test_quantize_png_keeps_the_resolution_and_display_size_halves_a_2x_figure(tmp_path: Path) -> None:
    png = tmp_path / "figure.png"
    _plot_png(png, dpi=200)
    with Image.open(png) as image:
        assert image.size == (600, 400)
    assert images.display_size(png) == (300, 200)
    assert images.quantize_png(png) > 0
    with Image.open(png) as image:
        assert image.mode == "P" and round(image.info["dpi"][0]) == 200
    assert images.display_size(png) == (300, 200)


def test_display_size_of_a_png_without_resolution_is_its_pixels(tmp_path: Path) -> None:
    png = tmp_path / "plain.png"
    Image.new("RGB", (123, 45), "white").save(png)
    assert images.display_size(png) == (123, 45)


def test_display_dpi_matches_the_course_style() -> None:
    from looplab.plot import DISPLAY_DPI, SAVE_DPI

    assert images.DISPLAY_DPI == DISPLAY_DPI and SAVE_DPI == 2 * DISPLAY_DPI


def test_quantize_all_in_two_processes_writes_what_one_process_writes(tmp_path: Path) -> None:
    serial, forked = tmp_path / "serial", tmp_path / "forked"
    for folder in (serial, forked):
        folder.mkdir()
        for index in range(3):
            _plot_png(folder / f"{index}.png", dpi=100 + 50 * index)
    paths = [sorted(folder.glob("*.png")) for folder in (serial, forked)]
    saved = images.quantize_all(paths[0], 1)
    assert all(s > 0 for s in saved)
    assert images.quantize_all(paths[1], 2) == saved
    assert [p.read_bytes() for p in paths[1]] == [p.read_bytes() for p in paths[0]]


def test_quantize_png_leaves_transparent_images_alone(tmp_path: Path) -> None:
    png = tmp_path / "transparent.png"
    _plot_png(png, alpha=0)
    data = png.read_bytes()
    assert images.quantize_png(png) == 0
    assert png.read_bytes() == data


# --- markup -----------------------------------------------------------------------------


def test_repair_body_fixes_citation_roles_repeated_ids_and_lazy_figures() -> None:
    body = (
        '<img src="top.png" alt="a"/><h2>Intro</h2>'
        '<div role="list" class="citation-list"><div class="citation" id="id2" role="doc-biblioentry">'
        '<section id="exercise-content"><p>x</p></section><section id="solution-content"></section>'
        '<img src="fig.png" alt="b"/><img loading="eager" src="keep.png" alt="c"/>'
    )
    repaired = markup.repair_body(body)
    assert '<div class="citation" id="id2" role="listitem">' in repaired
    assert 'id="exercise-content"' not in repaired and '<section class="exercise-content">' in repaired
    assert '<section class="solution-content">' in repaired
    assert '<img src="top.png"' in repaired
    assert '<img loading="lazy" decoding="async" src="fig.png"' in repaired
    assert '<img loading="eager" src="keep.png"' in repaired


def test_repair_body_turns_an_image_size_style_into_attributes() -> None:
    body = (
        '<h2>Demo</h2><img alt="a" src="fig.png" style="width: 455px; height: 175px;" />'
        '<img alt="b" src="other.png" style="width: 50%;" />'
    )
    repaired = markup.repair_body(body)
    assert (
        '<img loading="lazy" decoding="async" alt="a" src="fig.png" width="455" height="175" />' in repaired
    )
    assert 'style="width: 50%;"' in repaired  # not a pixel size: left alone


def test_notebook_json_round_trip_keeps_outputs() -> None:
    notebook = {
        "cells": [{"cell_type": "code", "id": "c", "metadata": {}, "source": "", "outputs": [{"x": 1}]}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    result = downloads.notebook_for_download(notebook, "md")
    assert json.loads(json.dumps(result))["cells"][2]["outputs"] == [{"x": 1}]


# --- sitemap ----------------------------------------------------------------------------


def test_sitemap_xml_lists_each_page_once_at_the_base_url() -> None:
    xml = sitemap.sitemap_xml("https://example.org/course", ["b.html", "a&b.html", "b.html"])
    assert xml.count("<url>") == 2
    assert "<loc>https://example.org/course/a&amp;b.html</loc>" in xml
    assert xml.index("a&amp;b.html") < xml.index("/b.html")


def test_drop_unused_icon_rules_keeps_used_icons_and_other_rules() -> None:
    css = CSS + "\n/*# sourceMappingURL=theme.css.map*/"
    trimmed = icons.drop_unused_icon_rules(css, {"fa-navicon"})
    assert ".fa-bars:before,.fa-navicon:before" in trimmed
    assert "fa-github" not in trimmed
    assert "admonition-title:after" in trimmed and ".x:before" in trimmed
    assert "sourceMappingURL" not in trimmed


# --- parallel ---------------------------------------------------------------------------


def test_build_jobs_auto_is_one_per_core_and_nothing_is_serial() -> None:
    assert parallel.build_jobs("auto", 2) == 2
    assert parallel.build_jobs("auto", None) == 1
    assert parallel.build_jobs(None, 8) == 1
    assert parallel.build_jobs(3, 2) == 3
    assert parallel.build_jobs("4", 2) == 4
    for wrong in (0, -1, True, "many", 1.5):
        with pytest.raises(ValueError, match="course_build_jobs"):
            parallel.build_jobs(wrong, 2)


@pytest.mark.parametrize("name", parallel.READ_SAFE)
def test_extensions_declared_read_safe_still_declare_nothing(name: str) -> None:
    # When an extension starts declaring (safe or not), its own word holds: drop it from READ_SAFE.
    from unittest.mock import MagicMock

    metadata = importlib.import_module(name).setup(MagicMock()) or {}
    assert "parallel_read_safe" not in metadata


# --- stylesheets ------------------------------------------------------------------------


def _site(tmp_path: Path) -> Path:
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "styles" / "theme.css").write_text('@import "../basic.css";\n', encoding="utf-8")
    (static / "basic.css").write_text("div { background: url(file.png) }", encoding="utf-8")
    (static / "styles" / "pydata-sphinx-theme.css").write_text(
        '.a { background: url("../img/a.svg") } .b { background: url(data:image/png;base64,xx) }\n'
        "/*# sourceMappingURL=pydata-sphinx-theme.css.map */",
        encoding="utf-8",
    )
    (static / "course.css").write_text("@import url('styles/theme.css'); p { color: red }", encoding="utf-8")
    return tmp_path


def test_bundle_inlines_imports_once_and_rebases_relative_urls(tmp_path: Path) -> None:
    site = _site(tmp_path)
    names = [*stylesheets.THEME_STYLESHEETS, "_static/course.css"]
    stylesheets.write_bundle(site, names)
    text = (site / stylesheets.BUNDLE).read_text(encoding="utf-8")
    # In order, basic.css where theme.css imports it, and only there.
    order = [text.index(f"/* {name} */") for name in ["_static/styles/theme.css", "_static/basic.css"]]
    order += [text.index(f"/* {name} */") for name in names[1:]]
    assert order == sorted(order) and text.count("/* _static/basic.css */") == 1
    assert "@import" not in text and "sourceMappingURL" not in text
    assert 'url("file.png")' in text and 'url("img/a.svg")' in text
    assert "url(data:image/png;base64,xx)" in text and "p { color: red }" in text


def test_bundle_version_changes_with_any_stylesheet(tmp_path: Path) -> None:
    site = _site(tmp_path)
    names = [*stylesheets.THEME_STYLESHEETS, "_static/course.css"]
    before = stylesheets.bundle_version(site, names)
    assert stylesheets.bundle_version(site, names) == before
    (site / "_static" / "course.css").write_text("p { color: blue }", encoding="utf-8")
    assert stylesheets.bundle_version(site, names) != before


def test_bundle_of_a_missing_stylesheet_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExtensionError, match="_static/nowhere.css is not in the site"):
        stylesheets.write_bundle(_site(tmp_path), ["_static/nowhere.css"])


def test_stylesheet_urls_read_a_quoted_data_url_whole() -> None:
    # Temml's stylesheet masks with an SVG that names a marker by url(#a) inside its data URL.
    css = (
        """a { mask: url("data:image/svg+xml,<svg a='url(%23a)'/>") } b { src: url(f.woff) url('g h.png') }"""
    )
    assert stylesheets.stylesheet_urls(css) == [
        "data:image/svg+xml,<svg a='url(%23a)'/>",
        "f.woff",
        "g h.png",
    ]
