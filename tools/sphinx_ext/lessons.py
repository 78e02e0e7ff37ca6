"""Tables about the lessons, filled in by the build: reading time, run time, execution status.

Two directives, both replaced by a table once every page has been read and executed:

- ``lesson-map`` (welcome page): one row per lesson named in the directive's content,
  ``docname | docname, docname`` (the lesson, then the lessons it needs first), with the
  time the lesson takes to read (from the word count of its prose) and to run (myst-nb's
  execution data of this build, cached or fresh)::

      ```{lesson-map}
      /book/module1/1-2-linear-regression-by-hand | /book/module1/1-1-what-is-a-training-loop
      ```

- ``lesson-execution-table`` (execution statistics): every executed page in the order of
  the table of contents, by title, with when it ran, whether it came from the cache, how
  long it ran and whether it succeeded, in words (myst-nb's own ``nb-exec-table`` shows
  file paths and an emoji that a screen without emoji fonts draws as a box).

Prose is every word outside code cells, their outputs, code blocks and display math;
reading time assumes :data:`WORDS_PER_MINUTE`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

WORDS_PER_MINUTE = 200
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SKIPPED = (nodes.literal_block, nodes.math_block, nodes.raw, nodes.comment, nodes.system_message)
_ENV_WORDS = "course_prose_words"
_ENV_TABLES = "course_lesson_tables"


def prose_words(doctree: nodes.Node) -> int:
    """The number of words of running text in ``doctree``, code and its output left out."""
    count = 0
    for text in doctree.findall(nodes.Text):
        if not any(_is_code(parent) for parent in _ancestors(text)):
            count += len(_WORD.findall(str(text)))
    return count


def _ancestors(node: nodes.Node) -> Iterable[nodes.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _is_code(node: nodes.Node) -> bool:
    if isinstance(node, _SKIPPED):
        return True
    return isinstance(node, nodes.Element) and "cell" in node.get("classes", [])


def reading_time(words: int) -> str:
    """Minutes to read ``words`` words, rounded to a whole minute: ``"about 12 min"``."""
    if words < 0:
        raise ValueError(f"words must be at least 0, got {words}")
    return f"about {max(1, round(words / WORDS_PER_MINUTE))} min"


def run_time(seconds: float | None) -> str:
    """A run time in words: ``"under 1 s"``, ``"about 4 s"``, ``"about 15 s"``, ``"not run"``."""
    if seconds is None:
        return "not run"
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"seconds must be a finite number at least 0, got {seconds}")
    if seconds < 1:
        return "under 1 s"
    return f"about {math.floor(seconds + 0.5)} s"


def status(data: dict[str, Any]) -> str:
    """``"succeeded"`` or ``"failed: <error>"`` from myst-nb's execution data."""
    if data.get("succeeded"):
        return "succeeded"
    return f"failed: {data['error']}" if data.get("error") else "failed"


def source(method: str) -> str:
    """Where myst-nb took the run from, in words."""
    return {"cache": "execution cache", "direct": "executed in this build"}.get(method, method)


def parse_map(lines: Sequence[str]) -> list[tuple[str, list[str]]]:
    """The ``lesson | needed, needed`` lines of a ``lesson-map`` directive, blank lines skipped."""
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        lesson, bar, needs = line.partition("|")
        if not bar or not lesson.strip().startswith("/"):
            raise ValueError(f"line {number} of lesson-map is not '/docname | /docname, ...': {line!r}")
        rows.append((lesson.strip(), [need.strip() for need in needs.split(",") if need.strip()]))
    return rows


class LessonTableNode(nodes.General, nodes.Element):  # type: ignore[misc]
    """Where a lesson table goes; replaced once every page has been read."""


class LessonMap(SphinxDirective):
    """``lesson-map``: lessons, what each needs, reading and run time."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        """A placeholder holding the parsed rows."""
        try:
            rows = parse_map(self.content)
        except ValueError as error:
            raise self.error(str(error)) from error
        _tables(self.env).add(self.env.docname)
        return [LessonTableNode(kind="map", rows=rows)]


class LessonExecutionTable(SphinxDirective):
    """``lesson-execution-table``: every executed page with its run."""

    def run(self) -> list[nodes.Node]:
        """A placeholder for the table."""
        _tables(self.env).add(self.env.docname)
        return [LessonTableNode(kind="execution", rows=[])]


def _tables(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, _ENV_TABLES):
        setattr(env, _ENV_TABLES, set())
    tables: set[str] = getattr(env, _ENV_TABLES)
    return tables


def _words(env: BuildEnvironment) -> dict[str, int]:
    if not hasattr(env, _ENV_WORDS):
        setattr(env, _ENV_WORDS, {})
    words: dict[str, int] = getattr(env, _ENV_WORDS)
    return words


def _exec_data(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {}
    for docname, metadata in getattr(env, "nb_metadata", {}).items():
        if metadata.get("exec_data"):
            data[docname] = metadata["exec_data"]
    return data


def _table(header: Sequence[str], rows: Sequence[Sequence[nodes.Node | str]]) -> nodes.table:
    table = nodes.table(classes=["colwidths-auto", "lesson-table"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)
    head = nodes.thead()
    group += head
    head += nodes.row("", *(nodes.entry("", nodes.paragraph(text=name)) for name in header))
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            paragraph = nodes.paragraph()
            paragraph += nodes.Text(cell) if isinstance(cell, str) else cell
            row += nodes.entry("", paragraph)
        body += row
    return table


def _link(env: BuildEnvironment, fromdoc: str, docname: str, short: bool = False) -> nodes.Node:
    title = env.titles[docname].astext() if docname in env.titles else docname
    if short:
        number = title.split(" ", 1)[0]
        title = number if re.fullmatch(r"\d+\.\d+", number) else title
    link = pending_xref(
        refdoc=fromdoc,
        reftarget="/" + docname,
        reftype="doc",
        refdomain="std",
        refexplicit=True,
        refwarn=True,
        classes=["xref", "doc"],
    )
    link += nodes.inline(text=title)
    return link


def _toc_order(env: BuildEnvironment, docnames: Iterable[str]) -> list[str]:
    flat: list[str] = []

    def walk(docname: str) -> None:
        flat.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    order = {name: index for index, name in enumerate(flat)}
    return sorted(docnames, key=lambda name: (order.get(name, len(order)), name))


class LessonTables(SphinxPostTransform):
    """Fill every placeholder with its table (before references are resolved)."""

    default_priority = 8

    def run(self, **kwargs: Any) -> None:
        """Replace the placeholders of this page."""
        env = self.env
        here = env.docname
        executions = _exec_data(env)
        for node in list(self.document.findall(LessonTableNode)):
            if node["kind"] == "map":
                rows: list[list[nodes.Node | str]] = []
                for lesson, needs in node["rows"]:
                    docname = lesson.lstrip("/")
                    needed = nodes.inline()
                    for index, need in enumerate(needs):
                        if index:
                            needed += nodes.Text(", ")
                        needed += _link(env, here, need.lstrip("/"), short=True)
                    rows.append(
                        [
                            _link(env, here, docname),
                            needed if needs else "nothing",
                            reading_time(_words(env).get(docname, 0)),
                            run_time((executions.get(docname) or {}).get("runtime")),
                        ]
                    )
                table = _table(["Lesson", "Needs first", "Reading", "Running"], rows)
            else:
                rows = []
                for docname in _toc_order(env, executions):
                    data = executions[docname]
                    when = datetime.fromtimestamp(data["mtime"], UTC).strftime("%Y-%m-%d %H:%M UTC")
                    rows.append(
                        [
                            _link(env, here, docname),
                            when,
                            source(str(data.get("method", ""))),
                            run_time(data.get("runtime")),
                            status(data),
                        ]
                    )
                table = _table(["Lesson", "Executed", "Taken from", "Run time", "Status"], rows)
            node.replace_self(table)


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    _words(app.env)[app.env.docname] = prose_words(doctree)


def _on_purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _words(env).pop(docname, None)
    _tables(env).discard(docname)


def _on_merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname in docnames:
        if docname in _words(other):
            _words(env)[docname] = _words(other)[docname]
        if docname in _tables(other):
            _tables(env).add(docname)


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    # Run times and word counts of other pages change with every build: rewrite the tables.
    return sorted(_tables(env) & set(env.found_docs))


def setup(app: Sphinx) -> None:
    """Register the directives, the word count and the table filler."""
    app.add_node(LessonTableNode)
    app.add_directive("lesson-map", LessonMap)
    app.add_directive("lesson-execution-table", LessonExecutionTable)
    app.add_post_transform(LessonTables)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-purge-doc", _on_purge)
    app.connect("env-merge-info", _on_merge)
    app.connect("env-updated", _on_env_updated)
