"""Pass 1, Liquid: the tags Jekyll runs before Markdown, converted where their meaning is
known, else kept verbatim with a warning. Never dropped.

Code regions come from the Markdown parser's tokens (fenced and indented code, at any
depth), so Liquid in code stays code: ``{% raw %}`` is unwrapped there as Jekyll
unwraps it, and any other tag is kept as written, with a warning.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import PurePosixPath

from .base import MARKDOWN_EXTENSIONS, Log, short
from .parsing import code_lines, code_span, fence_for, parse
from .site import POST_SCHEME, Site

_LIQUID = re.compile(
    r"\{%-?\s*(?P<tag>[A-Za-z_]\w*)(?P<args>(?:[^%]|%(?!\}))*?)-?%\}"
    r"|\{\{-?(?P<expr>(?:[^}]|\}(?!\}))*?)-?\}\}",
    re.DOTALL,
)
# Block tags: kept verbatim together with their end tag. (highlight: when it can't be converted.)
_LIQUID_BLOCKS = frozenset(
    {"if", "unless", "for", "case", "capture", "comment", "tablerow", "highlight"}
)
_INLINE_TARGET = re.compile(r"\]\(\s*<?[^\s()<>]*$")
_DEFINITION_TARGET = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?[^\s<>]*$")
_SITE_VARIABLE = re.compile(r"\s*site\.(?P<name>url|baseurl)\s*")
_URL_FILTER = re.compile(
    r"\s*(?P<q>[\"'])(?P<path>[^\"']*)(?P=q)\s*\|\s*(?P<filter>relative_url|absolute_url)\s*"
)
_ENDRAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")


class Emitter:
    """Output text, and for each output line the post line it came from."""

    def __init__(self, first_line: int) -> None:
        self.parts: list[str] = []
        self.origins = [first_line]
        self.tail = ""  # the current output line so far

    def add(self, text: str, origin: int, *, verbatim: bool) -> None:
        pieces = text.split("\n")
        for k in range(1, len(pieces)):
            self.origins.append(origin + k if verbatim else origin)
        self.tail = self.tail + pieces[0] if len(pieces) == 1 else pieces[-1]
        self.parts.append(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


class Liquid:
    """Liquid, which Jekyll runs before Markdown: converted where the meaning is known
    (``raw``, ``highlight``, links to posts and to the site), else kept verbatim in a
    literal block, with a warning. Never dropped."""

    def __init__(self, body: str, first_line: int, site: Site, log: Log) -> None:
        self.body = body
        self.first_line = first_line
        self.site = site
        self.log = log
        self.newlines = [i for i, ch in enumerate(body) if ch == "\n"]
        self.code = code_lines(parse(body))
        self.code_regions: list[tuple[int, int]] = []  # converted {% highlight %} bodies
        self.out = Emitter(first_line)
        #: Output lines that open a code block the importer wrote itself: their
        #: ``{code-block}`` is meant, not MyST syntax that a post happened to contain.
        self.own_fences: set[int] = set()

    def line_at(self, offset: int) -> int:
        return self.first_line + bisect_right(self.newlines, offset - 1)

    def in_code(self, offset: int) -> bool:
        """Whether *offset* is in a code block of the post (Markdown's, not Liquid's)."""
        return bisect_right(self.newlines, offset - 1) in self.code

    def own_line(self, start: int, end: int) -> bool:
        """Whether body[start:end] stands alone on its line(s), outside any container."""
        line_start = self.body.rfind("\n", 0, start) + 1
        line_end = self.body.find("\n", end)
        prefix = self.body[line_start:start]
        suffix = self.body[end : len(self.body) if line_end < 0 else line_end]
        return not prefix.strip() and len(prefix) <= 3 and not suffix.strip()

    def scan(self) -> list[re.Match[str]]:
        """The Liquid tags and outputs, in order. A ``raw`` body is not scanned, as Liquid
        doesn't: ``{% raw %}{{{% endraw %}`` is a ``{{`` in the page."""
        tokens: list[re.Match[str]] = []
        pos = 0
        while (match := _LIQUID.search(self.body, pos)) is not None:
            tokens.append(match)
            pos = match.end()
            if match["tag"] == "raw" and (end := _ENDRAW.search(self.body, pos)) is not None:
                endraw = _LIQUID.match(self.body, end.start())
                assert endraw is not None
                tokens.append(endraw)
                pos = endraw.end()
        return tokens

    def run(self) -> Emitter:
        tokens = self.scan()
        pos = 0
        for index, match in enumerate(tokens):
            if match.start() < pos:
                if self.in_code_region(match.start()):
                    self.log.warning(
                        self.line_at(match.start()),
                        f"Liquid {short(match.group())!r} in a code block is kept verbatim "
                        "(Jekyll would have run it)",
                    )
                continue
            self.copy(pos, match.start())
            pos = self.convert(match, tokens[index + 1 :])
        self.copy(pos, len(self.body))
        return self.out

    def in_code_region(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.code_regions)

    def copy(self, start: int, end: int) -> None:
        if end > start:
            self.out.add(self.body[start:end], self.line_at(start), verbatim=True)

    def insert(self, text: str, offset: int) -> None:
        self.out.add(text, self.line_at(offset), verbatim=False)

    def matching_end(
        self, match: re.Match[str], rest: Sequence[re.Match[str]]
    ) -> re.Match[str] | None:
        name = match["tag"]
        depth = 1
        for other in rest:
            if other["tag"] == name and name not in ("raw", "comment"):
                depth += 1
            elif other["tag"] == f"end{name}":
                depth -= 1
                if depth == 0:
                    return other
        return None

    def convert(self, match: re.Match[str], rest: Sequence[re.Match[str]]) -> int:
        """Emit the conversion of the Liquid at *match*; return where the copy resumes."""
        line = self.line_at(match.start())
        tag = match["tag"]
        if tag == "raw":
            endraw = self.matching_end(match, rest)
            if endraw is not None:
                self.copy(match.end(), endraw.start())
                self.log.note(line, "{% raw %} converted: its text is kept as written")
                return endraw.end()
        if self.in_code(match.start()):
            self.copy(match.start(), match.end())
            self.log.warning(
                line,
                f"Liquid {short(match.group())!r} in a code block is kept verbatim "
                "(Jekyll would have run it)",
            )
            return match.end()
        if tag == "highlight":
            converted = self.highlight(match, rest)
            if converted is not None:
                return converted
        substitute = self.link_target(match)
        if substitute is not None:
            self.insert(substitute, match.start())
            return match.end()
        end = match.end()
        if tag in _LIQUID_BLOCKS:
            closing = self.matching_end(match, rest)
            if closing is not None:
                end = closing.end()
        self.verbatim(match.start(), end)
        return end

    def highlight(self, match: re.Match[str], rest: Sequence[re.Match[str]]) -> int | None:
        closing = self.matching_end(match, rest)
        args = match["args"].split()
        if (
            closing is None
            or not args
            or args[1:] not in ([], ["linenos"])
            or not self.own_line(match.start(), match.end())
            or not self.own_line(closing.start(), closing.end())
        ):
            return None
        language = args[0]
        line = self.line_at(match.start())
        code = self.body[match.end() : closing.start()]
        fence = fence_for(code)
        if args[1:]:
            self.own_fences.add(len(self.out.origins) - 1)
            self.insert(f"{fence}{{code-block}} {language}\n:linenos:", match.start())
        else:
            self.insert(f"{fence}{language}", match.start())
        self.copy(match.end(), closing.start())
        self.insert(fence, closing.start())
        self.code_regions.append((match.end(), closing.start()))
        self.log.note(line, f"{{% highlight {language} %}} converted to a code block")
        return closing.end()

    def link_target(self, match: re.Match[str]) -> str | None:
        """The text of Liquid that names a post or a site URL inside a link's target."""
        inline = bool(_INLINE_TARGET.search(self.out.tail))
        if not inline and not _DEFINITION_TARGET.search(self.out.tail):
            return None
        line = self.line_at(match.start())
        site = self.site.url
        if match["expr"] is not None:
            variable = _SITE_VARIABLE.fullmatch(match["expr"])
            if variable:
                value = (site.origin if variable["name"] == "url" else site.path) if site else ""
                self.log.note(line, f"{{{{ site.{variable['name']} }}}} in a link converted")
                return value
            url_filter = _URL_FILTER.fullmatch(match["expr"])
            if url_filter:
                path = "/" + url_filter["path"].lstrip("/")
                base = (site.path if site else "") + path
                if url_filter["filter"] == "absolute_url" and site:
                    base = site.origin + base
                self.log.note(line, f"Liquid {url_filter['filter']} in a link converted")
                return base
            return None
        if not inline or match["tag"] not in ("post_url", "link"):
            return None
        target = match["args"].strip().strip("\"'")
        name = PurePosixPath(target).name
        stem = name.rsplit(".", 1)[0] if name.rsplit(".", 1)[-1] in MARKDOWN_EXTENSIONS else name
        if match["tag"] == "link" and "_posts/" not in target:
            return None
        case_id = self.site.stems.get(stem.casefold())
        if case_id is None:
            self.log.warning(line, f"{{% {match['tag']} {target} %}} names no post of this import")
            return None
        self.log.note(line, f"{{% {match['tag']} {target} %}} converted to a case reference")
        return POST_SCHEME + case_id

    def verbatim(self, start: int, end: int) -> None:
        region = self.body[start:end]
        line = self.line_at(start)
        if self.own_line(start, end):
            fence = fence_for(region)
            self.insert(f"{fence}text\n", start)
            self.copy(start, end)
            self.insert(f"\n{fence}", end)
        elif "\n" in region and not self.out.tail.lstrip().startswith((">", "-", "*", "+")):
            fence = fence_for(region)
            self.insert(f"\n{fence}text\n", start)
            self.copy(start, end)
            self.insert(f"\n{fence}\n", end)
        else:
            # Set apart from a backtick next to it, which would join the span's fence.
            before = " " if self.out.tail.endswith("`") else ""
            after = " " if self.body.startswith("`", end) else ""
            self.insert(f"{before}{code_span(region)}{after}", start)
        self.log.warning(
            line,
            f"Liquid {short(region)!r} kept verbatim in a literal block "
            "(convert it by hand: Jekyll ran it, Sphinx shows it)",
        )
