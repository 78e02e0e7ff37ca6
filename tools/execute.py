"""Execute the lessons in parallel into the build's execution cache, before Sphinx runs.

Usage: ``python -m tools.execute CACHE_DIR`` (``make book`` runs it with
``$(BUILD_DIR)/.jupyter_cache``, the cache ``jupyter-book build`` reads).

myst-nb executes the lessons one after another while Sphinx reads them. This step
runs first and fills the same jupyter-cache with every lesson that has no cached
execution yet, :data:`WORKERS` at a time (one per core), exactly as myst-nb would: each
lesson read by myst-nb's own reader, its kernel renamed by ``nb_kernel_rgx_aliases`` of
``_config.yml`` (so it runs in ``looplab-pinned``), executed by jupyter-cache's
``single_nb_execution`` in a temporary directory with the configured timeout, and
stored with its execution time. Sphinx then finds every lesson in the cache. A clean
build costs about (sum of the lesson times) / cores + Sphinx; an unchanged lesson is
not executed again, and a changed one is executed alone.

A lesson that fails here is not cached: the build that follows executes it again and
reports the error in its usual way (and fails).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import nbformat
import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.config import NbParserConfig
from myst_nb.core.read import create_nb_reader
from myst_parser.config.main import MdParserConfig

from tools.course import ROOT, lessons

WORKERS = os.cpu_count() or 1


def book_config() -> dict[str, Any]:
    """The parts of ``_config.yml`` that decide how a lesson is read and executed."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config.get("sphinx", {}).get("config", {})
    return {
        "extensions": set(config.get("parse", {}).get("myst_enable_extensions", [])),
        "aliases": dict(sphinx.get("nb_kernel_rgx_aliases", {})),
        "timeout": int(config.get("execute", {}).get("timeout", 30)),
        "allow_errors": bool(config.get("execute", {}).get("allow_errors", False)),
    }


def read_as_the_build(lesson: Path, config: dict[str, Any]) -> nbformat.NotebookNode:
    """The notebook myst-nb makes of ``lesson`` during the build, kernel alias applied."""
    text = lesson.read_text(encoding="utf-8")
    md_config = MdParserConfig(enable_extensions=config["extensions"])
    reader = create_nb_reader(str(lesson), md_config, NbParserConfig(), text)
    if reader is None:
        raise ValueError(f"{lesson} is not a notebook myst-nb can read")
    notebook: nbformat.NotebookNode = reader.read(text)
    kernel = notebook.metadata.get("kernelspec", {}).get("name")
    for pattern, alias in config["aliases"].items():
        if kernel is not None and re.fullmatch(pattern, kernel):
            notebook.metadata["kernelspec"]["name"] = alias
            break
    return notebook


def execute(lesson: Path, config: dict[str, Any]) -> tuple[Path, str | None, float, str | None]:
    """Execute one lesson as myst-nb's cache mode does; return it as JSON (or the error)."""
    notebook = read_as_the_build(lesson, config)
    with tempfile.TemporaryDirectory() as cwd:
        result = single_nb_execution(
            notebook, cwd=cwd, timeout=config["timeout"], allow_errors=config["allow_errors"]
        )
    if result.err is not None:
        return lesson, None, result.time, f"{type(result.err).__name__}: {result.err}"
    return lesson, nbformat.writes(notebook), result.time, None


def uncached(cache_dir: Path, targets: list[Path], config: dict[str, Any]) -> list[Path]:
    """The lessons whose current code has no execution in the cache."""
    cache = get_cache(str(cache_dir))
    missing = []
    for lesson in targets:
        with suppress(KeyError):
            cache.match_cache_notebook(read_as_the_build(lesson, config))
            continue
        missing.append(lesson)
    return missing


def fill_cache(cache_dir: Path, targets: list[Path] | None = None) -> tuple[dict[str, float], list[str]]:
    """Execute every uncached lesson in parallel and store it.

    Returns the execution time of each lesson executed (by its path in the
    repository) and the failures.
    """
    config = book_config()
    todo = uncached(cache_dir, lessons() if targets is None else targets, config)
    times: dict[str, float] = {}
    failures: list[str] = []
    if not todo:
        print(f"execution cache {cache_dir}: every lesson is cached")
        return times, failures
    print(f"executing {len(todo)} lessons, {WORKERS} at a time, into {cache_dir}", flush=True)
    cache = get_cache(str(cache_dir))
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(execute, lesson, config) for lesson in todo]
        for future in futures:
            lesson, text, seconds, error = future.result()
            name = lesson.relative_to(ROOT) if lesson.is_relative_to(ROOT) else lesson
            if error is not None or text is None:
                failures.append(f"{name}: {error}")
                print(f"  {name}: failed after {seconds:.1f} s ({error}); the build will report it")
                continue
            record = cache.add_nb_to_project(str(lesson))
            cache.cache_notebook_bundle(
                CacheBundleIn(
                    nbformat.reads(text, as_version=4), record.uri, data={"execution_seconds": seconds}
                ),
                check_validity=False,
                overwrite=True,
            )
            times[str(name)] = seconds
            print(f"  {name}: {seconds:.1f} s", flush=True)
    return times, failures


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.splitlines()[2])
        return 2
    fill_cache(Path(argv[0]).resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
