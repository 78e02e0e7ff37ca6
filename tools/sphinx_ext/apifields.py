"""The sections of every function on the API page in one order: Parameters, Returns, Return type, Raises.

napoleon turns a docstring's ``Args:``, ``Returns:`` and ``Raises:`` into fields in the
order the docstring has them, and ``autodoc_typehints = "description"`` then appends the
fields the docstring left out (the parameters' types, the return type) at the end, so a
function documented with only ``Raises:`` showed Raises before Parameters. This handler,
connected after autodoc's, sorts the fields of each description by kind before Sphinx
groups them; fields of one kind keep their order.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

#: The first word of a field name (``param x``, ``rtype``) and the place of its section.
ORDER = {
    **dict.fromkeys(["param", "parameter", "arg", "argument", "key", "keyword", "kwarg", "kwparam"], 0),
    **dict.fromkeys(["type", "vartype"], 0),
    **dict.fromkeys(["returns", "return"], 1),
    "rtype": 2,
    **dict.fromkeys(["raises", "raise", "except", "exception"], 3),
}
LAST = max(ORDER.values()) + 1


def rank(field_name: str) -> int:
    """The place of a field (``"param x"``, ``"raises ValueError"``) among the sections."""
    words = field_name.split()
    return ORDER.get(words[0].lower(), LAST) if words else LAST


def sort_fields(content: nodes.Element) -> None:
    """Sort the fields of every field list directly inside ``content`` by :func:`rank`."""
    for field_list in content.children:
        if not isinstance(field_list, nodes.field_list):
            continue
        fields = list(field_list.children)
        fields.sort(key=lambda field: rank(field[0].astext()) if isinstance(field, nodes.field) else LAST)
        field_list.children = []
        field_list.extend(fields)


def _on_object_description(app: Sphinx, domain: str, objtype: str, content: Any) -> None:
    if domain == "py":
        sort_fields(content)


def setup(app: Sphinx) -> None:
    """Sort the fields after autodoc has added the type hints (priority 500)."""
    app.connect("object-description-transform", _on_object_description, priority=900)
