"""The ``sphinx-caselog`` command line (``python -m sphinx_caselog``)."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    raise SystemExit("sphinx-caselog: no subcommands yet")
