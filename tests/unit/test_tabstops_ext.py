"""The tab stops of scrolling boxes: written into the markup, and the theme's measuring removed."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from tools.sphinx_ext import tabstops

#: The end of pydata-sphinx-theme 0.17's minified script, shortened.
_THEME_END = (
    'function I(){const e=()=>{document.querySelectorAll(["pre",".cell_output > .output"].join(", "))'
    ".forEach(e=>{e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1})};e()}"
    'o(k),"complete"===document.readyState?I():window.addEventListener("load",I)})();'
)
_THEME_SPEC = importlib.util.find_spec("pydata_sphinx_theme")
assert _THEME_SPEC is not None and _THEME_SPEC.origin is not None
_INSTALLED_SCRIPT = (
    Path(_THEME_SPEC.origin).parent / "theme/pydata_sphinx_theme/static/scripts/pydata-sphinx-theme.js"
)


def test_every_code_block_and_table_container_gets_a_tab_stop() -> None:
    body = (
        '<pre><span>x = 1</span></pre><pre tabindex="-1">y</pre><pre id="c3">z</pre>'
        '<div class="pst-scrollable-table-container"><table></table></div><p>text</p><pretext>'
    )
    marked = tabstops.add_tab_stops(body)
    assert marked.count('tabindex="0"') == 3
    assert '<pre tabindex="0"><span>' in marked
    assert '<pre tabindex="-1">y</pre>' in marked  # a tab stop already chosen is kept
    assert '<pre tabindex="0" id="c3">z</pre>' in marked
    assert '<div class="pst-scrollable-table-container" tabindex="0"><table>' in marked
    assert marked.endswith("<p>text</p><pretext>")


def test_the_statement_that_starts_the_measuring_is_removed_once() -> None:
    edited = tabstops.without_measuring(_THEME_END)
    assert 'addEventListener("load"' not in edited
    assert edited.endswith("o(k)," + tabstops.REPLACEMENT + "})();")
    assert edited.startswith("function I(){")  # the function stays, it is just never called
    assert tabstops.without_measuring(edited) == edited  # a rebuild over an edited copy


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("(()=>{})();", "found 0 times"),
        (_THEME_END + _THEME_END, "found 2 times"),
        (_THEME_END.replace("scrollWidth", "offsetWidth"), "does not set tab stops"),
    ],
)
def test_a_script_that_changed_stops_the_build(script: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        tabstops.without_measuring(script)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js checks the edited script's syntax")
def test_the_installed_themes_script_stays_valid_javascript(tmp_path: Path) -> None:
    edited = tabstops.without_measuring(_INSTALLED_SCRIPT.read_text(encoding="utf-8"))
    assert edited.count(tabstops.REPLACEMENT) == 1
    copy = tmp_path / "pydata-sphinx-theme.js"
    copy.write_text(edited, encoding="utf-8")
    subprocess.run(["node", "--check", str(copy)], check=True, capture_output=True)
