"""Doctree snapshots of the ``case`` directive, before post-transforms (sphinx-design's way).

Each snippet is written twice, ``tests/roots/test-snippets-rst/<name>.rst`` and
``tests/roots/test-snippets-myst/<name>.md``, and both must give the ONE expected tree in
``tests/test_snippets/<name>.xml``: the two syntaxes cannot drift apart. The tree is
the document as the environment stores it (``env.get_doctree``), so builder-specific
post-transforms are not in it. Regenerate with ``pytest tests/test_snippets.py
--force-regen`` and review the diff.

Normalised so that one file holds on Sphinx 8.1 to 9 and docutils 0.20 to 0.22: the
document's own attributes (its path, Sphinx's translation counter) are dropped, and
boolean attributes are written as 0/1 (docutils < 0.22 prints ``True``/``False``).
"""

from __future__ import annotations

import pytest
from docutils import nodes
from helpers import line_of, warnings_of

SNIPPETS = ["full", "minimal", "page", "unsafe"]


def snapshot(doctree: nodes.document) -> str:
    """*doctree* (a fresh copy from the environment: changed in place) as text."""
    doctree.attributes = {}
    for element in doctree.findall(nodes.Element):
        for name, value in list(element.attributes.items()):
            if name in {"source", "line"}:
                del element.attributes[name]
            elif isinstance(value, bool):
                element.attributes[name] = int(value)
    return doctree.pformat()


@pytest.mark.parametrize("syntax", ["rst", "myst"])
@pytest.mark.parametrize("name", SNIPPETS)
def test_snippet_doctree(module_build, file_regression, name: str, syntax: str) -> None:
    app = module_build(f"snippets-{syntax}")
    file_regression.check(
        snapshot(app.env.get_doctree(name)), basename=name, extension=".xml", encoding="utf-8"
    )


@pytest.mark.parametrize("syntax", ["rst", "myst"])
def test_snippets_warn_only_where_they_mean_to(module_build, syntax: str) -> None:
    """The unsafe source is the one warning (at its line); every other snippet is clean."""
    app = module_build(f"snippets-{syntax}")
    name = f"unsafe.{'rst' if syntax == 'rst' else 'md'}"
    assert [(w.file, w.line, w.type) for w in warnings_of(app)] == [
        (name, line_of(f"snippets-{syntax}", name, "javascript:alert(1)"), "caselog.unsafe_url")
    ]
