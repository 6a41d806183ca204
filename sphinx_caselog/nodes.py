"""The one custom node, the case block, wrapped around standard docutils nodes.

Everything inside a :class:`case` node is a standard node (paragraph, block_quote,
container, rubric, bullet_list, reference, pending_xref), so every builder already
knows how to write it; only the outer block needs visitors (``visitors.py``).
"""

from __future__ import annotations

from docutils import nodes


class case(nodes.General, nodes.Element):
    """One case. Attributes: ``caseid``, ``kind``; ``ids`` holds the anchor.

    The directive leaves the parsed record in ``node["record"]`` for the
    recording transform, which stores it in the domain and removes it.
    """


def separator() -> nodes.inline:
    """The comma between tags: print needs it; HTML badges hide it (caselog.css)."""
    return nodes.inline(", ", ", ", classes=["caselog-sep"])


def find_part(node: nodes.Element, part: str) -> nodes.Element | None:
    """The child carrying class ``caselog-<part>`` (title, meta, sources…).

    Only the case's own children: a ``:class:`` on the case, or a container in its
    context, may carry the same class, and must not be taken for the part.
    """
    for child in node.children:
        if isinstance(child, nodes.Element) and f"caselog-{part}" in child["classes"]:
            return child
    return None


class caselist(nodes.General, nodes.Element):
    """A placeholder for a ``caselist``: ``node["filter"]`` is its CaseFilter, and
    ``node["docname"]`` the document it is in.

    Replaced after reading, for every builder, by standard nodes showing the
    cases that match (``transforms.ResolveCaseLists``): a listing must reflect
    all documents, which are only known once all are read.
    """
