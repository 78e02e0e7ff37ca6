"""What a reader takes away: each lesson's executed notebook and the course package's wheel.

- Every lesson page links its executed notebook (the theme's download menu); the notebook
  is valid, holds the outputs the page shows (figures included), and starts with a cell
  that says how to install ``looplab``, naming the wheel the site publishes.
- The site publishes exactly one wheel of ``looplab``, at the version of ``pyproject.toml``,
  with every module of ``src/looplab`` and the declared dependencies.
- Every mention of a ``looplab-*.whl`` on any page or in any notebook names that wheel, and
  the Setup page gives its address.
- Every lesson's notebook reads like the page (tools/sphinx_ext/notebook_text.py): no raw MyST
  role or directive is left in its Markdown, each exercise of the page is a visible "Exercise n"
  heading, every solution comes after the "Solutions" heading that closes the exercises, and
  its formulas carry the page's equation numbers (``\\tag{n}``; references to them read "(n)").
- The first lesson's downloaded notebook runs from top to bottom in a fresh kernel whose
  ``looplab`` comes from the published wheel (not from the repository's editable install),
  its moved solutions included.
"""

from __future__ import annotations

import json
import re
import zipfile
from email.parser import Parser
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient

from tests.site.pages import MISSING, ROOT, SITE, lesson_pages, pages, params, resolve, site_built, soup
from tools.course import lessons
from tools.sphinx_ext.downloads import INSTALL_CELL_ID, WHEEL_DIR, project_metadata, wheel_filename
from tools.sphinx_ext.notebook_text import SOLUTIONS_HEADING

pytestmark = pytest.mark.site

WHEEL_MENTION = re.compile(r"looplab-[0-9][\w.+!]*-py3-none-any\.whl")
#: MyST syntax a notebook would show as literal text: a role, a directive fence, a target, an option.
RAW_MYST = re.compile(r"\{[a-z][\w:-]*\}`|```+\{|:::+\{|^\s*\([^()\s]+\)=\s*$|^:label:", re.MULTILINE)


def published_wheel() -> Path:
    wheels = sorted((SITE / WHEEL_DIR).glob("*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {WHEEL_DIR}/, found {[w.name for w in wheels]}"
    return wheels[0]


def notebook_of(page: str) -> Path:
    """The notebook the page's download menu offers."""
    links = [
        a for a in soup(page).find_all("a", href=True) if str(a["href"]).split("?")[0].endswith(".ipynb")
    ]
    assert links, "the page offers no .ipynb download"
    target = resolve(page, str(links[0]["href"]).split("?")[0])
    assert target is not None, f"the notebook link leaves the site: {links[0]['href']}"
    return SITE / target[0]


@cache
def load_notebook(path: Path) -> dict[str, Any]:
    notebook: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return notebook


def source(cell: dict[str, Any]) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


@pytest.mark.parametrize("page", params(lesson_pages()))
def test_lesson_offers_its_executed_notebook(page: str) -> None:
    path = notebook_of(page)
    assert path.is_file(), f"the download link points to a missing file: {path}"
    nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=4))
    notebook = load_notebook(path)
    first = notebook["cells"][0]
    assert first["cell_type"] == "markdown" and first.get("id") == INSTALL_CELL_ID, "no install cell first"
    assert published_wheel().name in source(first), "the install cell does not name the published wheel"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"], "the notebook holds an error output"
    shown = len(soup(page).select("div.cell_output"))
    with_output = sum(1 for c in code if c.get("outputs"))
    assert with_output >= shown, f"{with_output} cells with outputs in the notebook, {shown} on the page"
    figures = len(soup(page).select("div.cell_output img"))
    images = sum(1 for o in outputs if any(k.startswith("image/") for k in o.get("data", {})))
    assert images >= figures, f"{images} images in the notebook, {figures} figures on the page"


def markdown_cells(notebook: dict[str, Any]) -> list[str]:
    return [source(c) for c in notebook["cells"] if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("page", params(lesson_pages()))
def test_notebook_reads_like_the_page(page: str) -> None:
    notebook = load_notebook(notebook_of(page))
    texts = markdown_cells(notebook)
    raw = sorted({f"{m.group(0).strip()!r} in {t[:60]!r}" for t in texts for m in RAW_MYST.finditer(t)})
    assert raw == [], "raw MyST syntax in the notebook's Markdown:\n" + "\n".join(raw)
    exercises = len(soup(page).select("div.exercise"))
    headings = [i for i, t in enumerate(texts) for _ in re.finditer(r"^### Exercise \d+\b", t, re.M)]
    assert len(headings) == exercises, f"{len(headings)} exercise headings, {exercises} exercises on the page"
    if exercises:
        assert texts.count(SOLUTIONS_HEADING) == 1, "no Solutions section"
        end = texts.index(SOLUTIONS_HEADING)
        assert max(headings) < end, "an exercise comes after the Solutions heading"
        solutions = [t for t in texts[end:] if re.match(r"### Solution to Exercise \d+$", t)]
        assert len(solutions) == exercises, (
            f"{len(solutions)} solutions after the heading, {exercises} exercises"
        )
        assert not [t for t in texts[:end] if t.startswith("### Solution")], "a solution before the heading"
    article = BeautifulSoup(str(soup(page).find("article")), "html.parser")
    for caption in article.select("figcaption"):  # in the notebook, captions are cell metadata
        caption.decompose()
    article_html = str(article)
    numbers = re.findall(r'<span class="eqno">\((\d+)\)', article_html)
    tags = re.findall(r"\\tag\{(\d+)\}", "\n".join(texts))
    assert tags == numbers, f"equation numbers: the page shows {numbers}, the notebook tags {tags}"
    referenced = set(re.findall(r'href="#equation-[^"]+">\((\d+)\)</a>', article_html))
    text = "\n".join(texts)
    missing = sorted(n for n in referenced if f"({n})" not in text)
    assert missing == [], f"equation references ({missing}) of the page are not numbers in the notebook"


def test_wheel_is_published_and_complete() -> None:
    if not site_built():
        pytest.skip(MISSING)
    wheel = published_wheel()
    name, version, dependencies = project_metadata(ROOT)
    assert wheel.name == wheel_filename(name, version)
    with zipfile.ZipFile(wheel) as archive:
        members = set(archive.namelist())
        info = next(m for m in members if m.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(info).decode("utf-8"))
    package = ROOT / "src" / "looplab"
    expected = {p.relative_to(package.parent).as_posix() for p in package.rglob("*.py")} | {
        "looplab/py.typed"
    }
    assert expected <= members, f"missing from the wheel: {sorted(expected - members)}"
    declared = {re.sub(r"\s+", "", d) for d in dependencies}
    assert {re.sub(r"\s+", "", d) for d in metadata.get_all("Requires-Dist") or []} >= declared


def test_install_instructions_name_the_published_wheel() -> None:
    if not site_built():
        pytest.skip(MISSING)
    wheel = published_wheel().name
    texts = {page: (SITE / page).read_text(encoding="utf-8") for page in pages()}
    texts |= {
        str(p.relative_to(SITE)): p.read_text(encoding="utf-8") for p in (SITE / "_sources").rglob("*.ipynb")
    }
    wrong = sorted(
        {f"{where}: {m}" for where, text in texts.items() for m in WHEEL_MENTION.findall(text) if m != wheel}
    )
    assert wrong == [], (
        f"install instructions name a wheel the site does not publish ({wheel}):\n" + "\n".join(wrong)
    )
    setup = [page for page in pages() if Path(page).stem == "setup"]
    if not setup:
        pytest.skip("the site has no Setup page")
    assert f"{WHEEL_DIR}/{wheel}" in texts[setup[0]], (
        f"the Setup page does not give the address of {WHEEL_DIR}/{wheel}"
    )


def first_lesson_page() -> str:
    """The first lesson in the table of contents that the site shows."""
    for lesson in lessons():
        page = lesson.relative_to(ROOT).with_suffix(".html").as_posix()
        if page in pages():
            return page
    pytest.skip("the site has no lesson")


def test_downloaded_notebook_runs_with_the_published_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not site_built():
        pytest.skip(MISSING)
    unpacked = tmp_path / "wheel"
    with zipfile.ZipFile(published_wheel()) as archive:
        archive.extractall(unpacked)
    notebook = nbformat.reads(notebook_of(first_lesson_page()).read_text(encoding="utf-8"), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import looplab\nprint(looplab.__file__)"))
    monkeypatch.setenv("PYTHONPATH", str(unpacked))
    workdir = tmp_path / "run"
    workdir.mkdir()
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    texts = [source(c) if c.cell_type == "markdown" else "" for c in notebook.cells]
    assert SOLUTIONS_HEADING in texts, "the first lesson's notebook has no Solutions section"
    moved = [c for c in notebook.cells[texts.index(SOLUTIONS_HEADING) :] if c.cell_type == "code"][:-1]
    assert moved and all(c.execution_count for c in moved), "the moved solutions did not run"
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    assert Path(printed.strip()).is_relative_to(unpacked), f"looplab was imported from {printed.strip()}"
