"""``python -m sphinx_caselog`` is the ``sphinx-caselog`` command."""

from sphinx_caselog.cli import main

raise SystemExit(main())
