"""Checks of the front matter's sources: README, lesson guide, wheel description, Setup, welcome, glossary.

What a newcomer reads first has to say the right things: the README gives the published
address and a lesson guide that exists and covers what authors need; the wheel's long
description is written for someone who installed ``looplab``; the Setup page gives the CPU
build of PyTorch, activates the environment before ``jupyter lab`` and shows how to build
the site; the welcome page's course map has every lesson of the table of contents and no
hand-written times; the glossary is one alphabetical list with nothing addressed to authors.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata

import yaml

from tools.course import ROOT, lessons
from tools.link_terms import glossary_terms

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
BASE = CONFIG["html"]["baseurl"]
GUIDE = ROOT / "docs" / "lesson-guide.md"
SETUP = (ROOT / "book" / "setup.md").read_text(encoding="utf-8")
WELCOME = (ROOT / "book" / "welcome.md").read_text(encoding="utf-8")
GLOSSARY = ROOT / "book" / "reference" / "glossary.md"
CPU_INDEX = "--index-url https://download.pytorch.org/whl/cpu"


def test_readme_starts_with_the_published_address_and_links_the_lesson_guide() -> None:
    assert BASE in "\n".join(README.splitlines()[:5]), "the site's address is not at the top of the README"
    assert "(docs/lesson-guide.md)" in README, "the README does not link docs/lesson-guide.md"
    assert GUIDE.is_file()


def test_lesson_guide_covers_what_authors_need() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", guide, re.MULTILINE)
    for topic in [
        "Sections",
        "Labels",
        "Glossary terms",
        "Citations",
        "numerical environment",
        "portability",
    ]:
        assert any(topic.lower() in heading.lower() for heading in headings), f"no section on {topic!r}"
    for command in [
        "make portability LESSONS=",
        "make golden LESSONS=",
        "make link-terms",
        "{cite}",
        "{term}",
    ]:
        assert command in guide, f"the lesson guide does not mention {command!r}"
    excluded = CONFIG["exclude_patterns"]
    assert CONFIG["only_build_toc_files"] or any("docs" in pattern for pattern in excluded)


def test_wheel_long_description_is_for_a_reader_who_installed_looplab() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    readme = project["readme"]
    assert readme != "README.md", "the wheel's long description is the developers' README"
    text = (ROOT / readme).read_text(encoding="utf-8")
    assert readme.startswith("src/"), "the site's wheel build copies only src/ and pyproject.toml"
    assert BASE in text and "import looplab" in text
    for developer_word in ["make ", "requirements.lock", "nbval", "_toc.yml"]:
        assert developer_word not in text, f"the wheel's description talks to developers: {developer_word!r}"


def test_setup_page_gives_the_cpu_build_activation_and_the_site_build() -> None:
    for tool in ("python -m pip", "uv pip"):
        assert f"{tool} install torch {CPU_INDEX}" in SETUP, f"no CPU-build command for {tool}"
    assert re.search(r"default is right", SETUP), (
        "the Setup page does not say when the default torch is right"
    )
    run = SETUP[SETUP.index("## Run a lesson") :]
    assert re.search(r"source \.venv/bin/activate\n(?:[^\n]*\n)?jupyter lab", run), (
        "activate before jupyter lab"
    )
    build = SETUP[SETUP.index("## Build the site yourself") :]
    for needed in ["`git`", "`make`", "`python3`", "git clone ", "make book", "make serve"]:
        assert needed in build, f"'Build the site yourself' does not mention {needed}"


def test_course_map_has_every_lesson_and_no_written_times() -> None:
    block = re.search(r"```\{lesson-map\}\n(.*?)```", WELCOME, re.DOTALL)
    assert block, "the welcome page has no course map"
    mapped = [line.split("|")[0].strip() for line in block[1].splitlines() if line.strip()]
    in_toc = ["/" + str(path.relative_to(ROOT).with_suffix("")) for path in lessons()]
    assert set(in_toc) <= set(mapped), (
        f"lessons missing from the course map: {sorted(set(in_toc) - set(mapped))}"
    )
    assert len(mapped) == len(set(mapped)), "a lesson appears twice in the course map"
    assert not re.search(r"\b\d+\s*(?:min|minutes|seconds|s)\b", WELCOME.replace(block[0], "")), (
        "the welcome page writes a time by hand; the build computes them"
    )
    assert "still being written" not in WELCOME


def _sort_key(term: str) -> str:
    return unicodedata.normalize("NFKD", term).casefold()


def test_glossary_is_one_alphabetical_list_for_readers() -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    terms = glossary_terms(GLOSSARY)
    assert terms == sorted(terms, key=_sort_key), "glossary terms out of alphabetical order"
    for heading, block in re.findall(
        r"^## ([^\n]+)\n\n```\{glossary\}\n(.*?)```", text, re.MULTILINE | re.DOTALL
    ):
        for term in re.findall(r"^(\S.*)$", block, re.MULTILINE):
            assert _sort_key(term)[0].upper() == heading, f"{term!r} is under {heading!r}"
    assert len(re.findall(r"^## ", text, re.MULTILINE)) == len(
        re.findall(r"^```\{glossary\}", text, re.MULTILINE)
    )
    for authors_only in [r"\{term\}", r"\bauthors?\b", r"\bintroduced in\b", r"\bmodule keeps\b"]:
        assert not re.search(authors_only, text, re.IGNORECASE), (
            f"the glossary addresses authors: {authors_only}"
        )
