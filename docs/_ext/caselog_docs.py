"""Docs-only directives that generate reference tables from the package's declarations.

The configuration table comes from the ``CaselogConfig`` dataclass and the
warnings table from the ``CaselogWarning`` enum, so the docs cannot drift.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx_caselog.config import config_rows
from sphinx_caselog.warnings_ import CaselogWarning


class _Table(SphinxDirective):
    headers: tuple[str, ...] = ()

    def rows(self) -> list[tuple[str, ...]]:
        raise NotImplementedError

    def cell(self, text: str, literal: bool) -> nodes.entry:
        if literal:
            return nodes.entry("", nodes.paragraph("", "", nodes.literal(text, text)))
        inline, messages = self.parse_inline(text, lineno=self.lineno)
        return nodes.entry("", nodes.paragraph("", "", *inline), *messages)

    def run(self) -> list[nodes.Node]:
        table = nodes.table(classes=["caselog-reference-table"])
        group = nodes.tgroup(cols=len(self.headers))
        table += group
        group.extend(nodes.colspec(colwidth=1) for _ in self.headers)
        head = nodes.thead()
        head += nodes.row("", *(nodes.entry("", nodes.paragraph(h, h)) for h in self.headers))
        body = nodes.tbody()
        for row in self.rows():
            body += nodes.row(
                "",
                *(self.cell(text, literal=i < self.literal_columns) for i, text in enumerate(row)),
            )
        group += head
        group += body
        return [table]

    literal_columns = 1


class ConfigTable(_Table):
    """``caselog-config-table``: one row per ``caselog_*`` value."""

    headers = ("Name", "Type", "Default", "Description")
    literal_columns = 3

    def rows(self) -> list[tuple[str, ...]]:
        return config_rows()


class WarningsTable(_Table):
    """``caselog-warnings-table``: one row per warning subtype."""

    headers = ("Subtype", "Emitted for")

    def rows(self) -> list[tuple[str, ...]]:
        return [(f"caselog.{w.subtype}", w.help) for w in CaselogWarning]


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("caselog-config-table", ConfigTable)
    app.add_directive("caselog-warnings-table", WarningsTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
