"""Downloads a reader takes away from the site: lesson notebooks and looplab's wheel.

- At the start of an HTML build, ``looplab`` is built into a wheel at
  ``wheels/looplab-<version>-py3-none-any.whl`` in the site, so the install
  instruction of the Setup page and of every notebook names a file that exists.
- For every page myst-nb executed, the executed notebook (outputs included, from
  myst-nb's execution cache when it took them from there) is written to
  ``_sources/<page>.ipynb`` with a first Markdown cell that says how to install
  what it needs; sphinx-book-theme then lists it as ``.ipynb`` in the page's
  download menu (the theme only does so itself when launch buttons are
  configured).
- The notebook's Markdown reads like the page (:mod:`.notebook_text`): roles become links,
  equation numbers and author-year citations, exercises headings, and solutions move to the end
  under "Solutions".
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat
from jupyter_cache import get_cache
from sphinx.application import Sphinx
from sphinx.util import logging

from tools.sphinx_ext.notebook_text import reader_cells, targets_from_env

LOGGER = logging.getLogger(__name__)

WHEEL_DIR = "wheels"
#: PyTorch's index of CPU-only wheels (the default on Linux is the much larger CUDA build).
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
#: The id of the first cell of every downloadable notebook.
INSTALL_CELL_ID = "install-looplab"
#: The id of the second cell: the course's numerical environment, before any PyTorch operation.
PIN_CELL_ID = "pin-numerics"
PIN_CELL_SOURCE = (
    "# The course's CPU settings, so that your printed numbers match the page's\n"
    "# (looplab.numerics in the API reference says what each one does).\n"
    "from looplab.numerics import pin_numerics\n"
    "\n"
    "pin_numerics()"
)
#: The kernel a downloaded notebook asks for: the reader's ordinary Python 3.
READER_KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
#: Fixed timestamp inside the wheel, so an unchanged package gives an identical file.
SOURCE_DATE_EPOCH = "315532800"


def project_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` that holds ``pyproject.toml``."""
    for directory in (start, *start.parents):
        if (directory / "pyproject.toml").is_file():
            return directory
    raise FileNotFoundError(f"no pyproject.toml at or above {start}")


def project_metadata(root: Path) -> tuple[str, str, list[str]]:
    """Name, version and dependencies of the package, as ``pyproject.toml`` declares them."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["name"]), str(project["version"]), [str(d) for d in project.get("dependencies", [])]


def wheel_filename(name: str, version: str) -> str:
    """The file name of a pure-Python wheel (PEP 427: dashes in the name become underscores)."""
    return f"{re.sub(r'[-_.]+', '_', name)}-{version}-py3-none-any.whl"


def build_wheel(root: Path, dest: Path) -> Path:
    """Build the package at ``root`` into ``dest`` and return the wheel's path.

    The sources are copied to a temporary directory first, so the build leaves
    no ``build/`` or ``*.egg-info`` behind in the repository. Skipped when the
    wheel in ``dest`` is newer than every source file.
    """
    name, version, _ = project_metadata(root)
    target = dest / wheel_filename(name, version)
    sources = [root / "pyproject.toml", *(p for p in (root / "src").rglob("*") if p.is_file())]
    sources = [p for p in sources if "__pycache__" not in p.parts and ".egg-info" not in str(p)]
    if target.is_file() and target.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        return target
    dest.mkdir(parents=True, exist_ok=True)
    for stale in dest.glob("*.whl"):
        stale.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "project"
        shutil.copytree(
            root / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
        )
        for extra in ("pyproject.toml", "README.md", "LICENSE"):
            if (root / extra).is_file():
                shutil.copy2(root / extra, work / extra)
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        command += ["--no-index", "--wheel-dir", str(dest), str(work)]
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PIP_NO_INPUT": "1"}
        subprocess.run(command, check=True, env=env, cwd=tmp, capture_output=True, text=True)
    if not target.is_file():
        raise RuntimeError(f"building the wheel did not produce {target.name}: {sorted(dest.iterdir())}")
    return target


@cache
def _packages_distributions() -> dict[str, list[str]]:
    return {module: list(dists) for module, dists in metadata.packages_distributions().items()}


def imported_distributions(code_cells: list[str]) -> set[str]:
    """Distributions (as pip names them) whose modules the code imports, standard library excluded."""
    modules: set[str] = set()
    for source in code_cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:  # IPython magics: not plain Python
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    known = _packages_distributions()
    found: set[str] = set()
    for module in modules - set(sys.stdlib_module_names):
        found.update(known.get(module, []))  # a module of no installed distribution: not pip's
    return found


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def install_cell_source(
    *, title: str, page_url: str, wheel_url: str, repo_url: str, setup_url: str, extras: list[str]
) -> str:
    """The Markdown of a notebook's first cell: what it is and how to install what it needs."""
    packages = " ".join(["jupyterlab", wheel_url, *extras])
    lines = [
        f"**{title}** is a lesson of *Learn the Training Loop with PyTorch* ([read it online]({page_url})).",
        "This notebook was executed when the site was built, so the outputs below are the ones on the page.",
        "",
        "To run it yourself, create a virtual environment and activate it, install PyTorch's CPU build",
        "(on Linux a plain `pip install torch` brings the CUDA build, several GB; on macOS and Windows the",
        "default is already the right one), then JupyterLab and the course package `looplab`:",
        "",
        "```bash",
        "python3 -m venv .venv && source .venv/bin/activate   # Windows: .venv\\Scripts\\activate",
        f"python -m pip install torch --index-url {TORCH_CPU_INDEX}",
        f"python -m pip install {packages}",
        "jupyter lab",
        "```",
        "",
        "Start `jupyter lab` from the activated environment (activate it again in each new terminal),",
        "then run the cells from the top.",
    ]
    if repo_url:
        lines += [
            "",
            f'Or install `looplab` from the repository: `python -m pip install "looplab @ git+{repo_url}"`.',
        ]
    if setup_url:
        lines += ["", f"The [Setup page]({setup_url}) has the details (a smaller CPU-only PyTorch, Windows)."]
    return "\n".join(lines)


def notebook_for_download(notebook: dict[str, Any], install_markdown: str) -> dict[str, Any]:
    """A copy of an executed notebook for readers.

    The install cell comes first, then a code cell that puts the course's pinned
    numerical environment in force (:func:`looplab.numerics.pin_numerics`) before the
    lesson's first PyTorch operation. Build-only metadata is removed, and the kernel is
    the reader's ordinary ``python3`` (the build ran the lesson in ``looplab-pinned``).
    """
    result: dict[str, Any] = json.loads(json.dumps(notebook))
    for key in ("jupytext", "source_map"):
        result["metadata"].pop(key, None)
    result["metadata"]["kernelspec"] = dict(READER_KERNELSPEC)
    cells = [c for c in result["cells"] if c.get("id") not in (INSTALL_CELL_ID, PIN_CELL_ID)]
    first = {"cell_type": "markdown", "id": INSTALL_CELL_ID, "metadata": {}, "source": install_markdown}
    pin: dict[str, Any] = {
        "cell_type": "code",
        "id": PIN_CELL_ID,
        "metadata": {},
        "source": PIN_CELL_SOURCE,
        "outputs": [],
        "execution_count": None,
    }
    for index, cell in enumerate(cells):  # nbformat 4.5 wants an id on every cell
        cell.setdefault("id", f"cell-{index}")
    result["cells"] = [first, pin, *cells]
    result["nbformat"], result["nbformat_minor"] = 4, max(5, int(result.get("nbformat_minor", 5)))
    return result


def executed_notebook(path: Path, mystnb_config: Any) -> dict[str, Any]:
    """The executed notebook myst-nb wrote for a page, with its outputs.

    When myst-nb takes a lesson's outputs from its execution cache, the notebook it
    writes to ``jupyter_execute/`` lacks them; they are merged in from the same cache.
    """
    notebook: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    has_outputs = any(cell.get("outputs") for cell in notebook["cells"])
    cache_path = getattr(mystnb_config, "execution_cache_path", "")
    if has_outputs or not cache_path or not Path(cache_path).is_dir():
        return notebook
    try:
        _, merged = get_cache(cache_path).merge_match_into_notebook(nbformat.from_dict(notebook))
    except KeyError:
        LOGGER.warning(f"no cached outputs for {path.name}: its notebook download has none")
        return notebook
    result: dict[str, Any] = json.loads(nbformat.writes(merged))
    return result


def _site_url(app: Sphinx, path: str) -> str:
    base = str(app.config.html_baseurl or "")
    return (base.rstrip("/") + "/" + path) if base else path


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    root = project_root(Path(app.srcdir))
    wheel = build_wheel(root, Path(app.outdir) / WHEEL_DIR)
    LOGGER.info(f"looplab wheel: {WHEEL_DIR}/{wheel.name}")


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    root = project_root(Path(app.srcdir))
    name, version, dependencies = project_metadata(root)
    notebook = executed_notebook(executed, getattr(app.env, "mystnb_config", None))
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    provided = {name, "ipython", "ipykernel", *(_requirement_name(d) for d in dependencies)}
    extras = sorted(d for d in imported_distributions(code) if d.lower().replace("_", "-") not in provided)
    setup_docs = sorted(d for d in app.env.found_docs if d.rsplit("/", 1)[-1] == "setup")
    markdown = install_cell_source(
        title=app.env.titles[pagename].astext(),
        page_url=_site_url(app, f"{pagename}.html"),
        wheel_url=_site_url(app, f"{WHEEL_DIR}/{wheel_filename(name, version)}"),
        repo_url=str(app.config.html_theme_options.get("repository_url", "")),
        setup_url=_site_url(app, f"{setup_docs[0]}.html") if setup_docs else "",
        extras=extras,
    )
    targets = targets_from_env(app.env, pagename, str(app.config.html_baseurl or ""))
    notebook["cells"] = reader_cells(notebook["cells"], targets, LOGGER.warning)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    notebook = notebook_for_download(notebook, markdown)
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> None:
    """Connect the handlers; the page handler runs before the theme builds its download menu."""
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_html_page_context, priority=450)
