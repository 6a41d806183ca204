"""What the ``case`` and ``caselist`` directives share: where they are, how they warn,
and the checks every option goes through before it is read."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..locating import DirectiveLines, real_lineno
from ..urls import excerpt
from ..warnings_ import CaselogWarning

# C0 and C1 controls, less tab and newlines: pasted from word processors and PDFs,
# they make HTML ill-formed and stop LaTeX ("Unicode character ^^A").
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class AnyOption(dict[str, Any]):
    """An option spec that accepts every name.

    docutils and MyST reject unknown options with their own message and type;
    accepting them here lets ``run`` report them as ``caselog.option``.
    """

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class CaselogDirective(SphinxDirective):
    """What our directives share: options found on their source lines, located warnings."""

    option_spec: ClassVar[dict[str, Any]]

    # -- locating -----------------------------------------------------------------

    #: the file the directive is written in (absolute), and its first line there
    source_path: str = ""
    line: int = 0

    def locate(self) -> None:
        """Where the directive really is, before anything warns or records it.

        ``self.lineno`` is a line of the whole input: in rST, past an ``include``,
        it counts the included lines too; only ``get_source_info`` maps it to the
        file and the line in it (docutils names an included file relative to the
        working directory). MyST reports a nested directive at its enclosing
        block's line: the file's lines tell the real one.
        """
        source, line = self.get_source_info()
        self.source_path = str(Path(source).resolve()) if source else ""
        argument = self.arguments[0].strip() if self.arguments else ""
        self.line = real_lineno(self.file_lines(), line or self.lineno, self.name, argument)

    def set_source_info(self, node: nodes.Node) -> None:
        """Our nodes carry the real file and line, so warnings located at them are right."""
        node.source, node.line = self.source_path or None, self.line

    def file_lines(self) -> list[str]:
        """The lines of the file the directive is in (read once per document)."""
        source = self.source_path
        cache = cast(
            "dict[str, list[str]]", self.env.temp_data.setdefault("caselog_source_lines", {})
        )
        if source not in cache:
            try:
                cache[source] = Path(source).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                cache[source] = []
        return cache[source]

    @cached_property
    def located(self) -> DirectiveLines:
        """The directive's lines in its file; for generated text with no file,
        ``block_text`` is the best there is."""
        lines = self.file_lines()[self.line - 1 :] if self.line else []
        if not lines or self.name not in lines[0]:
            lines = self.block_text.splitlines()
        return DirectiveLines(lines, self.line, self.content[0] if self.content else None)

    def option_line(self, name: str) -> int:
        return self.located.option_line(name)

    def warn(self, warning: CaselogWarning, message: str, option: str | None = None) -> None:
        self.warn_at(warning, message, self.option_line(option) if option else self.line)

    def warn_at(self, warning: CaselogWarning, message: str, line: int) -> None:
        """Warn at *line* of the file the directive is in (an included file, maybe)."""
        source = self.source_path
        warning(message, location=f"{source}:{line}" if source else (self.env.docname, line))

    def read_options(self, known: tuple[str, ...]) -> None:
        """Warn about what the parser passed over in silence (an option given twice, an
        unknown option) and remove control characters, before any option is read."""
        self.check_repeats()
        self.clean_options()
        for name in self.options:
            if name not in known:
                self.warn(
                    CaselogWarning.OPTION,
                    f"unknown option :{name}: (known: {', '.join(known)})",
                    name,
                )

    def check_repeats(self) -> None:
        for name, line in self.located.repeated_options():
            self.warn_at(
                CaselogWarning.OPTION,
                f"option :{name}: is given again; only this last value is kept. "
                "Give it once (several sources: 'source: |' in a '---' YAML block)",
                line,
            )

    def clean_options(self) -> None:
        """Remove control characters from every option value and the argument, once."""
        for name, value in self.options.items():
            if isinstance(value, str) and _CONTROL.search(value):
                self.options[name] = _CONTROL.sub("", value)
                self.warn(
                    CaselogWarning.OPTION,
                    f"control characters removed from :{name}: ({excerpt(repr(value), 60)})",
                    name,
                )
        if self.arguments and _CONTROL.search(self.arguments[0]):
            self.arguments[0] = _CONTROL.sub("", self.arguments[0])
            self.warn(CaselogWarning.OPTION, "control characters removed from the title")

    def split_option(self, name: str, sep: str = ",") -> list[str]:
        return [item.strip() for item in self.options.get(name, "").split(sep) if item.strip()]
