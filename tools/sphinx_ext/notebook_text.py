"""Downloaded notebooks read like the page: MyST markup becomes what it means in a notebook.

A lesson is a MyST notebook, so the executed notebook myst-nb writes still holds the page's
markup as text: ``{term}`…```, ``{eq}`…```, ``(label)=`` targets, ``$$ … $$ (label)`` and
`````{exercise-start}`` fences. Jupyter renders none of it. :func:`reader_cells` rewrites the
Markdown cells of that notebook, and only those (code cells, their outputs and metadata are
kept as they are):

- ``{term}``, ``{doc}``, ``{ref}``/``{numref}`` and citations become links to the published
  pages (``html.baseurl``); a citation reads "Kingma and Ba (2015)" (``{cite:t}``) or
  "(Kingma and Ba, 2015)" (``{cite}``, ``{cite:p}``) and links to its bibliography entry.
- ``{eq}`label``` becomes the equation's number, "(3)", on the page's own numbering (and a
  link for an equation of another page); a labelled display formula keeps its LaTeX and shows
  that number with ``\\tag{3}``. Numbers, titles and anchors all come from Sphinx's
  environment (:class:`Targets`), so they are the page's, not counted again here.
- ``(label)=`` targets and ``:label:``/``:class:`` options vanish; admonitions become a
  blockquote with a bold title; dropdowns a ``<details>`` block (collapsed in JupyterLab,
  Notebook, VS Code and on GitHub).
- An exercise becomes a heading "Exercise n" and its text, in place. Its **solution moves to
  the end of the exercises' section (before the next second-level heading, such as "Summary"),
  under "Solutions"**, with its Markdown and code cells in their order. Why moved, not hidden:
  a solution spans several cells (text, code, outputs), which one Markdown ``<details>`` block
  cannot hold, and the ``jupyter.source_hidden`` metadata is honoured by JupyterLab alone (VS
  Code, Colab and GitHub's viewer show the cells open). Moving them hides the answers in every
  viewer, leaves room under each exercise for the reader's own attempt, and runs the same code
  in the same order: the exercises' section has no code after its solutions, and
  :func:`reader_cells` refuses (warns, which fails the ``-W`` build) a notebook in which
  moving would reorder code.

Why not a converter: sphinx-tojupyter (QuantEcon's, 0.6.0) is a separate Sphinx builder
(``-b jupyter``), so it needs a second full build beside Jupyter Book's HTML build; it skips
myst-nb's ``cell_output`` containers (its own "TODO: Support output nodes for pre-executed
notebooks"), so the notebooks would lose the outputs the page shows unless it re-executed every
lesson itself (with dask.distributed and nbdime as new dependencies); and its solution handling
drops ``:class: solution`` code blocks, not sphinx-exercise's gated solutions. Rewriting the
executed notebook keeps myst-nb's outputs and costs no build time; the syntax handled is the
small set the lessons use, and anything else is reported as a build warning rather than left
raw.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

#: How a problem is reported: the Sphinx logger's ``warning`` in the build (fatal with ``-W``).
Warn = Callable[[str], None]

ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
}
SOLUTIONS_HEADING = "## Solutions"

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<marker>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
_TARGET = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")
_MATH_FENCE = re.compile(r"^\s*\$\$(?:\s*\((?P<label>[^()\s]+)\))?\s*$")
#: A role, or an inline code span (kept as it is: code is never rewritten).
_ROLE_OR_CODE = re.compile(
    r"\{(?P<name>[a-z][\w:-]*)\}`(?P<content>[^`]*)`|(?P<code>`+)[^`].*?(?P=code)", re.DOTALL
)
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


@dataclass(frozen=True)
class Citation:
    """A bibliography entry: its author-year parts and where the bibliography page shows it."""

    authors: str
    year: str
    docname: str
    anchor: str


@dataclass(frozen=True)
class Targets:
    """What the references of one page point to, taken from Sphinx's environment."""

    base_url: str
    docname: str
    #: equation label -> (page, number on that page)
    equations: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    #: glossary term, lower case -> (page, anchor)
    terms: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: reference label -> (page, anchor, title)
    labels: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    #: page -> title
    titles: Mapping[str, str] = field(default_factory=dict)
    citations: Mapping[str, Citation] = field(default_factory=dict)
    #: exercise label -> its number on the page
    exercises: Mapping[str, int] = field(default_factory=dict)

    def url(self, docname: str, anchor: str = "") -> str:
        """The published address of a page (and an anchor in it)."""
        page = f"{self.base_url.rstrip('/')}/{docname}.html" if self.base_url else f"{docname}.html"
        return f"{page}#{anchor}" if anchor else page


def _split_explicit(content: str) -> tuple[str, str]:
    """``text <target>`` -> (text, target); ``target`` -> ("", target)."""
    match = _EXPLICIT.match(content.strip())
    if match and match["text"]:
        return " ".join(match["text"].split()), match["target"].strip()
    return "", content.strip()


def _doc_name(target: str, docname: str) -> str:
    path = target.removesuffix(".md").removesuffix(".ipynb")
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), path))


def _link(text: str, url: str) -> str:
    return f"[{text}]({url})"


def cite_text(keys: Iterable[str], targets: Targets, *, textual: bool, warn: Warn) -> str:
    """Author-year text of citations, each linked to its bibliography entry."""
    parts = []
    for key in keys:
        entry = targets.citations.get(key)
        if entry is None:
            warn(f"{targets.docname}: no bibliography entry for citation {key!r}")
            parts.append(key)
            continue
        url = targets.url(entry.docname, entry.anchor)
        if textual:
            parts.append(f"{_link(entry.authors, url)} ({entry.year})")
        else:
            parts.append(_link(f"{entry.authors}, {entry.year}", url))
    return "; ".join(parts) if textual else f"({'; '.join(parts)})"


def convert_role(name: str, content: str, targets: Targets, warn: Warn) -> str:
    """The Markdown a notebook shows for one MyST role."""
    text, target = _split_explicit(content)
    if name == "term":
        found = targets.terms.get(target.lower())
        if found is None:
            warn(f"{targets.docname}: no glossary term {target!r}")
            return text or target
        return _link(text or target, targets.url(*found))
    if name == "doc":
        doc = _doc_name(target, targets.docname)
        if doc not in targets.titles:
            warn(f"{targets.docname}: no page {target!r}")
            return text or target
        return _link(text or targets.titles[doc], targets.url(doc))
    if name == "eq":
        equation = targets.equations.get(target)
        if equation is None:
            warn(f"{targets.docname}: no equation {target!r}")
            return text or target
        page, number = equation
        shown = text or f"({number})"
        return shown if page == targets.docname else _link(shown, targets.url(page, f"equation-{target}"))
    if name in ("ref", "numref"):
        label = targets.labels.get(target.lower()) or targets.labels.get(target)
        if label is None:
            warn(f"{targets.docname}: no label {target!r}")
            return text or target
        page, anchor, title = label
        return _link(text or title, targets.url(page, anchor))
    if name == "cite" or name.startswith("cite:"):
        keys = [k.strip() for k in target.split(",") if k.strip()]
        return cite_text(keys, targets, textual=name in ("cite:t", "cite:ts", "cite:ct"), warn=warn)
    if name == "math":
        return f"${content}$"
    if name in ("sub", "sup"):
        return f"<{name}>{content}</{name}>"
    if name == "abbr":
        return text or target
    warn(f"{targets.docname}: no notebook form for the role {{{name}}}")
    return text or target


def convert_inline(text: str, targets: Targets, warn: Warn) -> str:
    """Replace every role in ``text``; inline code spans are left as they are."""

    def replace(match: re.Match[str]) -> str:
        if match["code"]:
            return match[0]
        return convert_role(match["name"], match["content"], targets, warn)

    return _ROLE_OR_CODE.sub(replace, text)


@dataclass
class Segment:
    """Markdown of one region: the lesson itself (``solution`` empty) or one exercise's solution."""

    text: str
    solution: str = ""


def _closing(lines: list[str], start: int, marker: str) -> int:
    """Index of the line that closes a fence opened with ``marker`` (or the end of the text)."""
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
            return index
    return len(lines)


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's ``:key: value`` options (or a ``---`` YAML block) and the rest of its body."""
    options: dict[str, str] = {}
    if body and body[0].strip() == "---":
        end = next((i for i in range(1, len(body)) if body[i].strip() == "---"), 0)
        for line in body[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        return options, body[end + 1 :]
    index = 0
    while index < len(body) and (match := _OPTION.match(body[index].strip())):
        options[match["key"]] = match["value"]
        index += 1
    return options, body[index:]


class _Converter:
    """Converts the Markdown of one notebook, cell by cell, remembering the open solution."""

    def __init__(self, targets: Targets, warn: Warn) -> None:
        self.targets = targets
        self.warn = warn
        self.solution = ""

    def segments(self, text: str) -> list[Segment]:
        """A Markdown cell's text, converted and cut where a solution starts or ends."""
        done: list[Segment] = []
        current: list[str] = []
        pending: list[str] = []  # plain lines: roles may run over a line break

        def take() -> None:
            if pending:
                current.extend(convert_inline("\n".join(pending), self.targets, self.warn).split("\n"))
                pending.clear()

        def flush(new_solution: str) -> None:
            take()
            body = "\n".join(current).strip("\n")
            if body.strip():
                done.append(Segment(body, self.solution))
            current.clear()
            self.solution = new_solution

        lines = text.split("\n")
        index = 0
        while index < len(lines):
            line = lines[index]
            fence = _FENCE.match(line)
            directive = _DIRECTIVE.match(fence["info"].strip()) if fence else None
            if fence or _TARGET.match(line) or line.strip() == "$$":
                take()
            if fence and directive:
                end = _closing(lines, index + 1, fence["marker"])
                options, body = _options(lines[index + 1 : end])
                name, argument = directive["name"], directive["argument"].strip()
                if name == "solution-start":
                    flush(argument or "?")
                elif name == "solution-end":
                    flush("")
                else:
                    current.extend(self.directive(name, argument, options, body))
                index = end + 1
            elif fence:  # plain code: kept as it is
                end = _closing(lines, index + 1, fence["marker"])
                current.extend(lines[index : end + 1])
                index = end + 1
            elif _TARGET.match(line):
                index += 1
            elif _MATH_FENCE.match(line) and line.strip() == "$$":
                end = next(
                    (i for i in range(index + 1, len(lines)) if _MATH_FENCE.match(lines[i])), len(lines)
                )
                current.extend(self.display_math(lines[index + 1 : end], self._label_at(lines, end)))
                index = end + 1
            else:
                pending.append(line)
                index += 1
        flush(self.solution)
        return done

    @staticmethod
    def _label_at(lines: list[str], index: int) -> str:
        match = _MATH_FENCE.match(lines[index]) if index < len(lines) else None
        return (match["label"] or "") if match else ""

    def display_math(self, body: list[str], label: str) -> list[str]:
        """A display formula: its LaTeX, and the page's number of a labelled one as ``\\tag``."""
        lines = ["$$", *body]
        if label:
            equation = self.targets.equations.get(label)
            if equation is None:
                self.warn(f"{self.targets.docname}: no number for equation {label!r}")
            else:
                lines.append(f"\\tag{{{equation[1]}}}")
        return [*lines, "$$"]

    def body(self, lines: list[str]) -> list[str]:
        """A directive's content, converted like the rest of the cell (solutions cannot nest)."""
        segments = self.segments("\n".join(lines))
        return "\n\n".join(s.text for s in segments).split("\n") if segments else []

    def directive(self, name: str, argument: str, options: dict[str, str], body: list[str]) -> list[str]:
        """The Markdown a notebook shows for one directive (not the solution fences)."""
        if name in ("exercise-start", "exercise"):
            label = options.get("label", "")
            number = self.targets.exercises.get(label)
            if number is None:
                self.warn(f"{self.targets.docname}: no number for exercise {label!r}")
            title = f"### Exercise {number if number is not None else ''}".rstrip()
            if argument:
                title += f" ({convert_inline(argument, self.targets, self.warn)})"
            note = "*The solution follows the exercises, under Solutions.*"
            content = self.body(body)
            return [title, "", *content, *([""] if content else []), note] if name == "exercise" else [title]
        if name == "exercise-end":
            return ["", "*The solution follows the exercises, under Solutions.*"]
        if name in ADMONITIONS or name == "admonition":
            title = (
                convert_inline(argument, self.targets, self.warn)
                if name == "admonition"
                else ADMONITIONS[name]
            )
            content = self.body(body)
            return [f"> **{title}**", ">", *[f"> {line}".rstrip() for line in content]]
        if name == "dropdown":
            summary = convert_inline(argument, self.targets, self.warn) or "Details"
            return ["<details>", f"<summary>{summary}</summary>", "", *self.body(body), "", "</details>"]
        if name == "math":
            return self.display_math(body, options.get("label", ""))
        self.warn(f"{self.targets.docname}: no notebook form for the directive {{{name}}}")
        return self.body(body)


def _text(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def reader_cells(cells: list[dict[str, Any]], targets: Targets, warn: Warn) -> list[dict[str, Any]]:
    """The cells of an executed lesson as a reader's notebook shows them (see the module's docstring).

    Markdown cells are converted (and split where a solution starts or ends); code cells are
    kept whole. Cells of solutions follow the lesson under :data:`SOLUTIONS_HEADING`, one
    "Solution to Exercise n" heading each, in their order.
    """
    converter = _Converter(targets, warn)
    main: list[dict[str, Any]] = []
    solutions: dict[str, list[dict[str, Any]]] = {}
    solution_code: list[str] = []  # the code of the solutions so far
    # Lesson code cells that follow a solution and could not run before it: (index in main, id).
    held_back: list[tuple[int, str]] = []
    after_last_solution = 0  # index in main of the first cell after the last solution
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            if converter.solution:
                solutions.setdefault(converter.solution, []).append(cell)
                after_last_solution = len(main)
                if cell.get("cell_type") == "code":
                    solution_code.append(_text(cell))
            else:
                if cell.get("cell_type") == "code" and not may_run_before(_text(cell), solution_code):
                    held_back.append((len(main), str(cell.get("id"))))
                main.append(cell)
            continue
        for part, segment in enumerate(converter.segments(_text(cell))):
            new = {**cell, "source": segment.text}
            if part:
                new["id"] = f"{cell.get('id', 'md')}-{part}"
            if segment.solution:
                solutions.setdefault(segment.solution, []).append(new)
                after_last_solution = len(main)
            else:
                main.append(new)
    if converter.solution:
        warn(f"{targets.docname}: a solution of {converter.solution!r} has no solution-end")
    if not solutions:
        return main
    # The solutions close the section that holds the exercises: they go before the next
    # second-level heading after the last solution (or at the end), so that code of later
    # sections (a self-check, say) still runs after them, as on the page.
    insert_at = next(
        (
            index
            for index in range(after_last_solution, len(main))
            if main[index].get("cell_type") == "markdown" and _text(main[index]).lstrip().startswith("## ")
        ),
        len(main),
    )
    for index, cell_id in held_back:
        if index < insert_at:
            warn(
                f"{targets.docname}: code cell {cell_id} follows a solution and is not only"
                " definitions the solutions leave alone; moving the solutions would change it"
            )
    block = [_markdown("solutions", SOLUTIONS_HEADING)]
    for label, solution in solutions.items():
        number = targets.exercises.get(label)
        heading = f"### Solution to Exercise {number}" if number is not None else f"### Solution ({label})"
        block += [_markdown(f"solution-{label}", heading), *solution]
    return [*main[:insert_at], *block, *main[insert_at:]]


def _assigned(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def may_run_before(code: str, solutions: list[str]) -> bool:
    """Whether a lesson cell that follows ``solutions`` on the page may run before them.

    True when there are no such solutions, or when the cell only defines things (imports,
    functions, classes: nothing runs, no random number is drawn) under names the solutions do
    not bind themselves, so running it earlier changes neither it nor them.
    """
    if not solutions:
        return True
    try:
        tree = ast.parse(code)
        bound_by_solutions = set().union(*(_assigned(ast.parse(s)) for s in solutions))
    except SyntaxError:
        return False
    definitions = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    if not all(isinstance(node, definitions) for node in tree.body):
        return False
    return not (_assigned(tree) & bound_by_solutions)


def _markdown(cell_id: str, source: str) -> dict[str, Any]:
    return {
        "cell_type": "markdown",
        "id": re.sub(r"[^\w-]", "-", cell_id)[:64],
        "metadata": {},
        "source": source,
    }


def targets_from_env(env: Any, docname: str, base_url: str) -> Targets:
    """The :class:`Targets` of ``docname`` from a Sphinx build environment."""
    data = env.domaindata  # what the std, math and cite domains recorded while reading
    std = data["std"]
    terms = {
        name.lower(): (doc, anchor)
        for (kind, name), (doc, anchor) in std["objects"].items()
        if kind == "term"
    }
    labels = {
        label: (doc, anchor, str(title)) for label, (doc, anchor, title) in std["labels"].items() if doc
    }
    equations = {label: (doc, int(number)) for label, (doc, number) in data["math"]["objects"].items()}
    exercise_numbers = getattr(env, "toc_fignumbers", {}).get(docname, {}).get("exercise", {})
    exercises = {label: int(number[0]) for label, number in exercise_numbers.items() if number}
    citations: dict[str, Citation] = {}
    if "cite" in data:
        for citation in data["cite"].get("citations", []):
            citations[citation.key] = Citation(
                authors=author_names(citation.entry.persons.get("author", [])),
                year=str(citation.entry.fields.get("year", "n.d.")),
                docname=citation.bibliography_key.docname,
                anchor=citation.citation_id,
            )
    titles = {doc: title.astext() for doc, title in env.titles.items()}
    return Targets(base_url, docname, equations, terms, labels, titles, citations, exercises)


@cache
def _text_backend() -> Any:
    """pybtex's plain-text backend, looked up once.

    ``Text.render_as("text")`` looks the backend up among the entry points of every installed
    distribution on each call (13 ms); the build renders thousands of author names.
    """
    from pybtex.plugin import find_plugin  # type: ignore[import-untyped]

    return find_plugin("pybtex.backends", "text")()


def author_names(persons: list[Any]) -> str:
    """ "Polyak", "Kingma and Ba", "He et al." from pybtex persons (LaTeX accents decoded)."""
    from pybtex.richtext import Text  # type: ignore[import-untyped]

    backend = _text_backend()
    names = [
        str(Text.from_latex(" ".join([*p.prelast_names, *p.last_names])).render(backend)) for p in persons
    ]
    if not names:
        return "Anonymous"
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."
