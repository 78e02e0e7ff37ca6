"""The parallel pre-execution of ``make book`` fills the cache that the site build reads.

A probe lesson is executed by ``tools.execute.fill_cache`` into an empty cache; a Sphinx
build with myst-nb in cache mode, configured as ``_config.yml`` configures Jupyter Book,
must then take the lesson from that cache instead of executing it again.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_numerics_paths import LESSON, PINNED_LINE, sphinx_build
from tools.execute import book_config, fill_cache, read_as_the_build, uncached
from tools.kernels import PINNED_KERNEL


def test_lessons_are_read_with_the_build_kernel(tmp_path: Path) -> None:
    lesson = tmp_path / "probe.md"
    lesson.write_text(LESSON, encoding="utf-8")
    notebook = read_as_the_build(lesson, book_config())
    assert notebook.metadata["kernelspec"]["name"] == PINNED_KERNEL
    assert uncached(tmp_path / "cache", [lesson], book_config()) == [lesson]


def test_the_build_uses_the_filled_cache(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    lesson = source / "index.md"
    lesson.write_text(LESSON, encoding="utf-8")
    cache = tmp_path / "cache"
    times, failures = fill_cache(cache, [lesson])
    assert not failures and list(times) == [str(lesson)]
    assert uncached(cache, [lesson], book_config()) == []
    config = book_config()
    (source / "conf.py").write_text(
        "extensions = ['myst_nb']\n"
        f"myst_enable_extensions = {sorted(config['extensions'])!r}\n"
        f"nb_kernel_rgx_aliases = {config['aliases']!r}\n"
        f"nb_execution_mode = 'cache'\nnb_execution_cache_path = {str(cache)!r}\n",
        encoding="utf-8",
    )
    log = sphinx_build(source, tmp_path / "html")
    assert "Using cached notebook" in log and "Executing notebook" not in log, log[-3000:]
    assert PINNED_LINE in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
