"""Unit tests of the build's front-matter helpers: lesson tables, 404 prefix, API field order, favicon."""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from PIL import Image

from tools import favicon
from tools.sphinx_ext import apifields, lessons, pagenotfound


def test_reading_time_rounds_to_whole_minutes_and_is_never_zero() -> None:
    assert lessons.reading_time(0) == "about 1 min"
    assert lessons.reading_time(2900) == "about 14 min"
    assert lessons.reading_time(3100) == "about 16 min"
    with pytest.raises(ValueError, match="at least 0"):
        lessons.reading_time(-1)


def test_run_time_in_words() -> None:
    assert lessons.run_time(None) == "not run"
    assert lessons.run_time(0.4) == "under 1 s"
    assert lessons.run_time(9.5) == "about 10 s"
    assert lessons.run_time(14.49) == "about 14 s"
    with pytest.raises(ValueError, match="finite"):
        lessons.run_time(float("nan"))


def test_status_and_source_in_words() -> None:
    assert lessons.status({"succeeded": True}) == "succeeded"
    assert lessons.status({"succeeded": False, "error": "CellExecutionError"}) == "failed: CellExecutionError"
    assert lessons.source("cache") == "execution cache"
    assert lessons.source("direct") == "executed in this build"


def test_parse_map_reads_lessons_and_their_needs() -> None:
    rows = lessons.parse_map(["/a/one |", "", "/a/two | /a/one", "/a/three | /a/one, /a/two"])
    assert rows == [("/a/one", []), ("/a/two", ["/a/one"]), ("/a/three", ["/a/one", "/a/two"])]
    with pytest.raises(ValueError, match="line 1"):
        lessons.parse_map(["/a/one"])
    with pytest.raises(ValueError, match="line 2"):
        lessons.parse_map(["/a/one |", "a/two | /a/one"])


def test_prose_words_leave_out_code_and_math() -> None:
    doctree = publish_doctree("Three short words.\n\n.. code-block:: python\n\n   x = one + two + three\n")
    assert lessons.prose_words(doctree) == 3
    cell = nodes.container(classes=["cell"])
    cell += nodes.paragraph(text="printed output words")
    doctree += cell
    doctree += nodes.math_block(text="a + b = c")
    assert lessons.prose_words(doctree) == 3


def test_urls_prefix_is_the_path_of_the_base_url() -> None:
    assert pagenotfound.urls_prefix("https://x.github.io/course/") == "/course/"
    assert pagenotfound.urls_prefix("https://x.github.io/course") == "/course/"
    assert pagenotfound.urls_prefix("https://example.org/") == "/"
    assert pagenotfound.urls_prefix("") == "/"
    assert 'href="/course/index.html"' in pagenotfound.body("/course/")


def test_sort_fields_puts_parameters_returns_return_type_raises_in_order() -> None:
    fields = nodes.field_list()
    for name in ["raises ValueError", "param x", "rtype", "returns", "param y", "note"]:
        fields += nodes.field("", nodes.field_name(text=name), nodes.field_body())
    content = nodes.container()
    content += fields
    apifields.sort_fields(content)
    assert [field[0].astext() for field in fields] == [
        "param x",
        "param y",
        "returns",
        "rtype",
        "raises ValueError",
        "note",
    ]


def test_favicon_draws_a_multi_size_ico(tmp_path: Path) -> None:
    path = favicon.write(tmp_path / "favicon.ico")
    with Image.open(path) as icon:
        assert icon.format == "ICO"
        assert set(icon.info["sizes"]) == set(favicon.SIZES)
    with pytest.raises(ValueError, match="at least 16"):
        favicon.draw(8)
