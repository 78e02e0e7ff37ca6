"""Link the first use of every glossary term in a lesson (``make link-terms``).

Usage: ``python -m tools.link_terms [book/path/lesson.md ...]`` (default: every lesson).

The site checks (``tests/site/test_html.py``) require every glossary term that a
lesson's prose uses to be linked to the glossary from that lesson at least once. As
the glossary grows, a new term can make older lessons fail that check. This tool
finds, in each lesson's Markdown, the terms of ``book/reference/glossary.md`` that its
prose uses (as a word or phrase, any case, also in the plural, longest terms first,
as the check matches them) but never links, and turns the first plain use of each
into ``{term}`word <Term>```. Only running text is touched: not code cells or fenced
blocks, headings, tables, directive options, inline code, math, links or existing
roles. It prints what it changed; read the diff before committing. A term used only
where nothing can be linked (a figure caption, a link's text) is reported for a
hand edit.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tools.course import ROOT, lessons

GLOSSARY = ROOT / "book" / "reference" / "glossary.md"
# Spans of a line that must not be rewritten: roles, inline code, math, links, HTML.
_PROTECTED = re.compile(
    r"\{[\w:-]+\}`[^`]*`|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$|\[[^\]]*\]\([^)]*\)|<[^>\n]+>", re.DOTALL
)
_TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")


def glossary_terms(path: Path = GLOSSARY) -> list[str]:
    """The terms defined in the glossary's ``{glossary}`` blocks."""
    terms: list[str] = []
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```{glossary}"):
            inside = True
        elif line.startswith("```"):
            inside = False
        elif inside and line and not line.startswith(" "):
            terms.append(line.strip())
    return terms


def term_pattern(term: str) -> re.Pattern[str]:
    """The term as a whole word or phrase, any case, also in the plural (as the site check)."""
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"\b" + r"\s+".join(words) + r"(?:s|es)?\b", re.IGNORECASE)


def linked_terms(text: str, terms: list[str]) -> set[str]:
    """The glossary terms ``text`` already links with ``{term}``."""
    by_name = {term.lower(): term for term in terms}
    found = set()
    for content in _TERM_ROLE.findall(text):
        target = content.rsplit("<", 1)[1].rstrip(">") if "<" in content else content
        target = " ".join(target.split())
        if target.lower() in by_name:
            found.add(by_name[target.lower()])
    return found


_SKIPPED_BLOCKS = ("{code-cell", "{math", "{raw", "{eval-rst", "{glossary", "{bibliography")


def prose_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that are running text (paragraphs, list items, directive bodies)."""
    result = []
    fence: str | None = None  # the marker of the open fenced block
    skipping = False  # whether the open block holds code, math or other non-prose
    in_math = False
    start = 0
    if lines and lines[0].strip() == "---":  # front matter
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        opening = re.match(r"^(`{3,}|:{3,})(.*)$", stripped)
        if opening and fence is not None and opening.group(1) == fence and not opening.group(2):
            fence, skipping = None, False
            continue
        if opening and fence is None:
            fence, name = opening.group(1), opening.group(2).strip()
            skipping = not name.startswith("{") or name.startswith(_SKIPPED_BLOCKS)
            continue
        if skipping:
            continue
        if stripped.startswith("$$"):
            in_math = not (stripped.endswith("$$") and len(stripped) > 2) and not in_math
            continue
        if in_math:
            continue
        if not stripped or stripped.startswith(("#", "|", ":", "---", "+++", "<")):
            continue
        if re.fullmatch(r"\([\w-]+\)=", stripped):  # a MyST label line, "(fig-x)="
            continue
        result.append(index)
    return result


def link_first_uses(text: str, terms: list[str]) -> tuple[str, list[str], list[str]]:
    """Link the first plain use of every used but unlinked term; return the text, linked, left."""
    already = linked_terms(text, terms)
    linked: list[str] = []
    # Longest terms first, as the site check matches them: the words of "gradient descent" are not
    # also a use of "gradient".
    ordered = sorted(terms, key=len, reverse=True)
    for position, term in enumerate(ordered):
        if term in already:
            continue
        lines = text.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        prose = [(offsets[i], offsets[i + 1] - 1) for i in prose_lines(lines)]
        # Spans that must not be rewritten, on the whole text (a role may continue on the next line).
        blocked = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
        for other in ordered[:position]:
            if len(other) > len(term):
                blocked += [(m.start(), m.end()) for m in term_pattern(other).finditer(text)]
        for match in term_pattern(term).finditer(text):
            start, end = match.start(), match.end()
            if not any(a <= start and end <= b for a, b in prose):
                continue
            if any(a <= start < b or a < end <= b for a, b in blocked):
                continue
            text = text[:start] + f"{{term}}`{match.group(0)} <{term}>`" + text[end:]
            linked.append(term)
            break
    return text, linked, []


def main(argv: list[str]) -> int:
    terms = glossary_terms()
    targets = [Path(arg).resolve() for arg in argv] if argv else lessons()
    for lesson in targets:
        text = lesson.read_text(encoding="utf-8")
        new, linked, left = link_first_uses(text, terms)
        name = lesson.relative_to(ROOT)
        if new != text:
            lesson.write_text(new, encoding="utf-8")
            print(f"{name}: linked {', '.join(linked)}")
        if left:
            print(f"{name}: used but not linkable here, edit by hand: {', '.join(left)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
