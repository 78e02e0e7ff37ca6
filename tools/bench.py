"""Measure the course's performance budgets (``make bench``); prints Markdown tables.

1. Execution time of every lesson, each run fresh in its own kernel
   (``tools.golden.execute_lesson``). Budget: 20 s per lesson on a 2-core CPU.
2. A clean build of the whole site in a temporary directory (no execution cache) as
   ``make book`` does it (lessons executed in parallel by ``tools/execute.py``, then Sphinx),
   the sum of the lessons' execution times and the ratio of the two (parallel execution at
   work shows as a ratio well under 1), an unchanged rebuild of the same directory, and the
   times of nbval and of the site checks. Budgets (2 cores): clean build of the whole course
   at most 150 s, unchanged rebuild at most 10 s.
3. The weight of every page of that build: the gzip-compressed bytes of the HTML (which
   carries its typeset formulas and their stylesheet) and of the stylesheets (with their
   ``@import``), scripts and images it loads. Fonts are not counted (the icon fonts are a
   few kB, MathJax's depend on the symbols shown); the browser checks in ``tests/site``
   measure the real transfer of each page, fonts included, against the 900 KiB budget.
4. How many printed cells change when the lessons run under generic CPU kernels
   (``make portability``; target: at most 3 in the whole course).

Usage: ``python -m tools.bench [--skip-lessons] [--skip-portability] [--skip-build [--site DIR]]``
(with ``--skip-build`` the page weights are those of an existing site, ``_build/html`` unless
``--site`` names another).
"""

from __future__ import annotations

import argparse
import gzip
import os
import posixpath
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tools.course import ROOT, lessons
from tools.execute import WORKERS, fill_cache
from tools.golden import execute_lesson
from tools.kernels import PINNED_KERNEL
from tools.portability import TARGET as PORTABILITY_TARGET
from tools.portability import check_lessons

LESSON_BUDGET_S = 20.0
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}
PAGE_BUDGET_KIB = 900.0
_ASSET = re.compile(
    r"<(?:link[^>]*rel=\"(?:stylesheet|icon)\"[^>]*href|script[^>]*\ssrc|img[^>]*\ssrc)=\"([^\"]+)\"",
    re.IGNORECASE,
)
_IMPORT = re.compile(r"@import\s+(?:url\()?[\"']?([^\"')]+)[\"']?\)?")


def gzip_size(path: Path) -> int:
    """Bytes of ``path`` once gzip-compressed (images are sent as they are)."""
    data = path.read_bytes()
    if path.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2"}:
        return len(data)
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def _local(site: Path, base: str, url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("data:"):
        return None
    path = site / posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    return path if path.is_file() else None


def page_assets(site: Path, page: Path) -> Iterator[Path]:
    """The stylesheets (and their imports), scripts and images ``page`` loads."""
    base = page.parent.relative_to(site).as_posix()
    for url in _ASSET.findall(page.read_text(encoding="utf-8")):
        asset = _local(site, base, url)
        if asset is None:
            continue
        yield asset
        if asset.suffix == ".css":
            css_base = asset.parent.relative_to(site).as_posix()
            for imported in _IMPORT.findall(asset.read_text(encoding="utf-8", errors="replace")):
                found = _local(site, css_base, imported)
                if found is not None:
                    yield found


def page_weights(site: Path) -> list[tuple[str, int, int, int]]:
    """(page, html, css+js, images) gzip bytes for every HTML page of ``site``."""
    rows = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site)
        if any(part.startswith(("_", ".")) for part in relative.parts[:-1]):
            continue
        assets = set(page_assets(site, page))
        images = sum(
            gzip_size(a) for a in assets if a.suffix.lower() in {".png", ".jpg", ".jpeg", ".svg", ".gif"}
        )
        code = sum(gzip_size(a) for a in assets) - images
        rows.append((relative.as_posix(), gzip_size(page), code, images))
    return rows


def timed_build(output: Path) -> tuple[float, float, int]:
    """Build the site into ``output`` as ``make book`` does; return its seconds, the sum of
    the lesson execution times and the exit status."""
    start = time.perf_counter()
    lesson_times, _ = fill_cache(output / "_build" / ".jupyter_cache")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(ROOT), "--path-output", str(output)]
    status = subprocess.run([*command, "-n", "--keep-going"], cwd=ROOT, capture_output=True).returncode
    return time.perf_counter() - start, sum(lesson_times.values()), status


def timed_command(command: list[str], **env: str) -> tuple[float, int]:
    """Run a command from the repository root; return its seconds and exit status."""
    start = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env})
    seconds = time.perf_counter() - start
    if run.returncode:  # say what failed: the last lines of the command's report
        tail = run.stdout.splitlines()[-15:]
        print("\n".join(["", f"{' '.join(command[-3:])} exited {run.returncode}:", *tail, ""]))
    return seconds, run.returncode


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-lessons", action="store_true", help="do not execute the lessons")
    parser.add_argument("--skip-build", action="store_true", help="weigh --site instead of building")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="default: _build/html")
    parser.add_argument("--skip-portability", action="store_true", help="do not run make portability's check")
    args = parser.parse_args(argv)

    if not args.skip_lessons:
        print("| Lesson | Execution (s) | Within 20 s |\n|---|---:|:-:|")
        for lesson in lessons():
            _, seconds = execute_lesson(lesson)
            ok = "yes" if seconds <= LESSON_BUDGET_S else "**no**"
            print(f"| {lesson.relative_to(ROOT)} | {seconds:.1f} | {ok} |", flush=True)
        print()

    if not args.skip_portability:
        results = check_lessons(lessons())
        changed = sum(len(result.changes) for result in results)
        printed = sum(result.printed_cells for result in results)
        within = "yes" if changed <= PORTABILITY_TARGET else "**no**"
        print("| Portability (make portability) | Cells | Within target |\n|---|---:|:-:|")
        print(f"| printed cells that change under generic CPU kernels, of {printed} | {changed} | {within} |")
        print(flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        site = args.site
        if not args.skip_build:
            clean, executed, status = timed_build(Path(tmp))
            again, _, status_again = timed_build(Path(tmp))
            site = Path(tmp) / "_build" / "html"
            pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-n", str(WORKERS)]
            nbval, nbval_status = timed_command(
                [
                    *pytest,
                    "--nbval",
                    f"--nbval-kernel-name={PINNED_KERNEL}",
                    "--dist",
                    "loadfile",
                    "tests/golden",
                ]
            )
            checks, checks_status = timed_command(
                [*pytest, "-m", "site", "--ignore=tests/golden"], SITE_HTML=str(site)
            )
            print("| Build and checks (2 cores) | Time (s) | Budget | Exit status |\n|---|---:|---:|:-:|")
            print(
                f"| clean build (no cache): lessons in parallel, then Sphinx | {clean:.0f} | 150 | {status} |"
            )
            print(f"| sum of the lessons' execution times | {executed:.0f} | | |")
            print(f"| clean build / sum of lesson times | {clean / max(executed, 1e-9):.2f} | | |")
            print(f"| unchanged rebuild | {again:.1f} | 10 | {status_again} |")
            print(f"| nbval (make nbval) | {nbval:.0f} | | {nbval_status} |")
            print(f"| site checks (make site) | {checks:.0f} | | {checks_status} |\n", flush=True)
        if not (site / "index.html").is_file():
            print(f"no site in {site}: run `make book` first")
            return 1
        print("| Page | HTML | CSS + JS | Images | Total (KiB, gzip) |")
        print("|---|---:|---:|---:|---:|")
        for page, html, code, images in page_weights(site):
            total = (html + code + images) / 1024
            flag = "" if total <= PAGE_BUDGET_KIB else " **over budget**"
            sizes = " | ".join(f"{size / 1024:.0f}" for size in (html, code, images))
            print(f"| {page} | {sizes} | {total:.0f}{flag} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
