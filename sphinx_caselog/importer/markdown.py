"""Pass 2, blocks: a post's body after Liquid, as the parts of one ``case`` directive.

From markdown-it's tokens (their ``map``s give each block's lines): the leading block
quote is the quote; ``## Context and Discussion`` and other sections are the context,
their headings rubrics (each with a label, so that ``#fragment`` links keep their
target); ``## Source`` and ``## See also`` items become options. Code and raw HTML are
copied as they are; a paragraph is rewritten as a whole by :class:`.inline.Inline`,
line for line, so that every message keeps its line.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from .base import Log, short
from .inline import HTML_LINK, Inline, single_link, source_entry
from .liquid import Emitter
from .parsing import (
    anchors,
    footnotes,
    header_id,
    headings,
    known_language,
    parse,
    rubric_lines,
    section_part,
)
from .site import Site

# Block quote, list and footnote markers (MyST has footnotes), nested in any order:
# what a line's content follows.
_CONTAINER_PREFIX = re.compile(
    r"(?:[ \t]*(?:>|(?:[*+-]|[0-9]{1,9}[.)])(?=[ \t]|$)|\[\^[^\]\s]+\]:))*[ \t]*"
)
_FOOTNOTE_DEFINITION = re.compile(
    r"(?:[ \t]*(?:>|(?:[*+-]|[0-9]{1,9}[.)])(?=[ \t])))*[ \t]*\[\^([^\]\s]+)\]:"
)
_LIST_MARKER = re.compile(r"[ \t]*(?:[*+-]|[0-9]{1,9}[.)])[ \t]*")


class Markdown:
    """The post body after Liquid: quote, context, sources and see-also, as MyST lines."""

    def __init__(
        self,
        emitted: Emitter,
        case_id: str,
        site: Site,
        log: Log,
        own_fences: frozenset[int] = frozenset(),
    ) -> None:
        self.own_fences = own_fences
        self.lines = emitted.text.split("\n")
        self.origins = emitted.origins
        self.site = site
        self.log = log
        self.tokens = parse(emitted.text)
        self.headings = headings(self.tokens, case_id, rubric_lines(self.tokens))
        #: The labels written before rubrics (the only targets a page may hold), and the
        #: number of rubrics written without one: what the page is checked against.
        self.targets_written: list[str] = []
        self.unlabelled = 0
        self.replaced: dict[int, list[str]] = {}  # line index → its replacement lines
        self.verbatim: set[int] = set()  # code lines: copied as they are
        self.rewritten: dict[int, str] = {}  # line index → the line, inline syntax rewritten
        self.paragraph_of: dict[int, tuple[int, int]] = {}  # line index → its paragraph
        # kramdown shows a footnote reference with no definition as text and hides a
        # definition with no reference; MyST fails on the first and warns on the second.
        self.footnotes, self.referenced = footnotes(self.tokens)
        self.rewriter = Inline(site, log, self.origin, self.footnotes, anchors(self.headings))
        self.inline = self.rewriter.inline
        self.prepare()

    def origin(self, index: int) -> int:
        return self.origins[min(index, len(self.origins) - 1)]

    # -- block structure ---------------------------------------------------------------

    def prepare(self) -> None:
        """Mark code and raw HTML lines, and rewrite headings, breaks and fence info."""
        for index, token in enumerate(self.tokens):
            if token.map is None:
                continue
            start, end = token.map
            if token.type in ("fence", "code_block"):
                self.verbatim.update(range(start, end))
                if token.type == "fence":
                    self.fence_info(token)
            elif token.type == "html_block":
                self.verbatim.update(range(start, end))
                for line in range(start, end):
                    self.html_links(line)
            elif token.type == "hr":
                lead = _container(self.lines[start])
                self.replaced[start] = _set_apart(lead, f"{lead}\\* \\* \\*")
                self.log.note(
                    self.origin(start),
                    "a thematic break (---) became '* * *': a case can't hold a transition",
                )
            elif token.type == "heading_open" and token.level > 0:
                self.nested_heading(token, self.tokens[index + 1])
            elif token.type == "paragraph_open":
                # Rewritten when first rendered: a Source or See also item that becomes
                # an option is never rendered, so its links are never reported.
                for line in range(start, end):
                    self.paragraph_of[line] = (start, end)

    def fence_info(self, token: Token) -> None:
        """Neutralise a fence marked as a directive; report a language Sphinx won't know."""
        assert token.map is not None
        words = token.info.split()
        if token.map[0] in self.own_fences:
            words = words[1:]  # "{code-block} LANG", written by the Liquid pass
        elif words and words[0].startswith("{"):
            line = self.lines[token.map[0]]
            head = line[: line.index(token.markup) + len(token.markup)]
            self.replaced[token.map[0]] = [head]
            self.log.warning(
                self.origin(token.map[0]),
                f"code block marked {token.info.strip()!r}: the mark is dropped, so MyST shows "
                "it as code (as Jekyll did) instead of running it as a directive",
            )
            return
        if words and not known_language(words[0]):
            self.log.warning(
                self.origin(token.map[0]),
                f"Pygments doesn't know the language {words[0]!r}: Sphinx will warn",
            )

    def nested_heading(self, token: Token, inline: Token) -> None:
        """A heading in a quote or a list: bold text, as a case can't hold sections."""
        assert token.map is not None
        start, end = token.map
        lead = _container(self.lines[start])
        prefix = _CONTAINER_PREFIX.match(self.lines[start])
        marker = prefix.group() if prefix else lead  # keeps a list item's marker
        text = self.inline(inline.content, start)
        self.replaced[start] = _set_apart(lead, f"{marker}**{text}**") if text else [lead.rstrip()]
        for line in range(start + 1, end):  # a setext heading's other lines
            self.replaced[line] = []
        self.log.note(self.origin(start), "a heading inside a quote or list became bold text")

    def html_links(self, index: int) -> None:
        for match in HTML_LINK.finditer(self.lines[index]):
            self.log.warning(
                self.origin(index),
                f"raw HTML links to the site path {match['url']!r}: kept as written, "
                "it will point into the new site",
            )

    # -- inline rewriting --------------------------------------------------------------

    def rewrite_lines(self, start: int, end: int) -> None:
        """Rewrite body lines start..end as one inline content (a paragraph)."""
        prefixes = []
        for index in range(start, end):
            match = _CONTAINER_PREFIX.match(self.lines[index])
            prefix = self.lines[index][: match.end()] if match else ""
            footnote = _FOOTNOTE_DEFINITION.match(prefix)
            if footnote and footnote[1] not in self.referenced:
                # kramdown hid a definition nothing refers to; as text, nothing is lost.
                bracket = footnote.start(1) - 2
                prefix = f"{prefix[:bracket]}\\{prefix[bracket:]}"
                self.log.note(
                    self.origin(index),
                    f"footnote [^{footnote[1]}] is never referenced: its definition is text",
                )
            prefixes.append(prefix)
        content = "\n".join(
            self.lines[index][len(prefix) :]
            for index, prefix in zip(range(start, end), prefixes, strict=True)
        )
        pieces = self.inline(content, start).split("\n")
        assert len(pieces) == end - start, "a rewrite must keep the line breaks"
        for index, prefix, piece in zip(range(start, end), prefixes, pieces, strict=True):
            self.rewritten[index] = prefix + piece

    def render(self, index: int) -> list[str]:
        """Line *index* of the body, as MyST lines."""
        if index in self.replaced:
            return self.replaced[index]
        if index in self.verbatim:
            return [self.lines[index]]
        if index not in self.rewritten:
            definition = (
                None
                if index in self.paragraph_of
                else self.rewriter.definition(self.lines[index], index)
            )
            if definition is not None:
                self.rewritten[index] = definition
            else:
                # A paragraph is rewritten as a whole; a line of none (a table row) alone.
                self.rewrite_lines(*self.paragraph_of.get(index, (index, index + 1)))
        return [self.rewritten[index]]

    def render_range(self, start: int, end: int, skip: frozenset[int] = frozenset()) -> list[str]:
        return [text for i in range(start, end) if i not in skip for text in self.render(i)]

    # -- the case's parts ------------------------------------------------------------------

    def top_blocks(self) -> list[tuple[int, Token]]:
        return [
            (i, t)
            for i, t in enumerate(self.tokens)
            if t.level == 0 and t.nesting >= 0 and t.map is not None
        ]

    def rubric(self, heading: Token, inline: Token) -> list[str]:
        """A heading the page keeps, as a rubric, with the label that links to it use."""
        assert heading.map is not None
        found = self.headings.get(heading.map[0])
        content, explicit = header_id(inline.content)
        if explicit:
            self.log.note(
                self.origin(heading.map[0]),
                f"the heading id {{#{explicit}}} is the target of links to #{explicit}",
            )
        text = self.inline(" ".join(content.split()), heading.map[0])
        if not text:
            return []  # an empty heading shows nothing
        if found is None:
            self.unlabelled += 1
            return [f":::{{rubric}} {text}", ":::"]
        self.targets_written.append(found.label)
        return [f"({found.label})=", f":::{{rubric}} {text}", ":::"]

    def leading_quote(self) -> tuple[list[range], int]:
        """The lines of each block quote that opens the body, and the line after them.

        None when something else comes first (a link definition, which makes no token,
        counts). A quote with no text is left out: it shows nothing, and a case whose
        quote is empty can't be built (Sphinx unwraps an empty quote, classes and all).
        """
        lines: list[range] = []
        end = 0
        for _, token in self.top_blocks():
            if token.type != "blockquote_open" or token.map is None:
                break
            if not end and any(line.strip() for line in self.lines[: token.map[0]]):
                return [], 0
            quote = range(token.map[0], token.map[1])
            if any(self.lines[i].strip(" \t>") for i in quote):
                lines.append(quote)
            else:
                self.log.note(self.origin(token.map[0]), "an empty block quote is left out")
            end = token.map[1]
        return lines, end

    def convert(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """(quote lines, context lines, source lines, see-also entries)."""
        quote_lines, quote_end = self.leading_quote()
        # Sections: from each level-1 or level-2 heading to the next one.
        starts: list[tuple[int, int | None]] = [(quote_end, None)]  # (line, heading token)
        for index, token in self.top_blocks():
            if token.type == "heading_open" and token.tag in ("h1", "h2") and token.map:
                starts.append((token.map[0], index))
        context: list[list[str]] = []
        sources: list[str] = []
        see_also: list[str] = []
        for number, (start, heading_index) in enumerate(starts):
            end = starts[number + 1][0] if number + 1 < len(starts) else len(self.lines)
            if heading_index is None:
                context.append(self.section_lines(start, end))
                continue
            heading = self.tokens[heading_index]
            inline = self.tokens[heading_index + 1]
            assert heading.map is not None
            body_start = heading.map[1]
            part = section_part(heading, inline)
            if part == "context":
                context.append(self.section_lines(body_start, end))
            elif part in ("sources", "see-also"):
                kept = self.list_section(part, body_start, end, sources, see_also)
                if kept:
                    context.append([*self.rubric(heading, inline), "", *kept])
            else:
                self.log.note(
                    self.origin(heading.map[0]),
                    f"section {inline.content.strip()!r} kept in the context under its own heading",
                )
                rubric = self.rubric(heading, inline)
                context.append([*rubric, "", *self.section_lines(body_start, end)])
        lines: list[str] = []
        for chunk in map(_trim, context):
            if chunk:
                lines.extend([*([""] if lines else []), *chunk])
        quote: list[str] = []
        for block in quote_lines:  # kept apart: adjacent '>' lines would make one quote
            quote.extend([*([""] if quote else []), *(t for i in block for t in self.render(i))])
        return _trim(quote), lines, sources, see_also

    def section_lines(self, start: int, end: int) -> list[str]:
        """A section's lines; its own headings (h3 and below) become rubrics."""
        out: list[str] = []
        skip: set[int] = set()
        headings = {
            t.map[0]: (t, self.tokens[i + 1])
            for i, t in enumerate(self.tokens)
            if t.type == "heading_open" and t.level == 0 and t.map and start <= t.map[0] < end
        }
        for index in range(start, end):
            if index in skip:
                continue
            if index in headings:
                heading, inline = headings[index]
                assert heading.map is not None
                skip.update(range(heading.map[0], heading.map[1]))
                following = heading.map[1]
                out.extend(
                    [
                        *([""] if out and out[-1].strip() else []),
                        *self.rubric(heading, inline),
                        *([""] if following < end and self.lines[following].strip() else []),
                    ]
                )
                continue
            out.extend(self.render(index))
        return out

    def list_section(
        self, part: str, start: int, end: int, sources: list[str], see_also: list[str]
    ) -> list[str]:
        """Take the Source or See also items that map to options; the rest stays as context."""
        taken: set[int] = set()
        items = [
            t
            for t in self.tokens
            if t.type == "list_item_open" and t.level == 1 and t.map and start <= t.map[0] < end
        ]
        for item in items:
            assert item.map is not None
            first, last = item.map
            while last > first + 1 and not self.lines[last - 1].strip():
                last -= 1
            raw = " ".join(
                [_LIST_MARKER.sub("", self.lines[first], count=1).strip()]
                + [line.strip() for line in self.lines[first + 1 : last]]
            ).strip()
            if part == "sources":
                entry, reason = source_entry(raw)
            else:
                entry, reason = self.see_also_entry(raw, first)
            if entry is None:
                self.log.warning(
                    self.origin(first),
                    f"{'source' if part == 'sources' else 'see-also'} item {short(raw)!r} "
                    f"{reason}: kept in the context",
                )
                continue
            target = sources if part == "sources" else see_also
            if entry not in target:
                target.append(entry)
            taken.update(range(first, last))
        kept = self.render_range(start, end, frozenset(taken))
        return kept if any(line.strip() for line in kept) else []

    def see_also_entry(self, raw: str, index: int) -> tuple[str | None, str]:
        """A ``:see-also:`` entry for a See also item, or None and the reason."""
        link = single_link(raw)
        if link is None:
            return None, "is not a single link"
        url = link[1]
        tag = self.site.tag_for(url)
        if tag is not None:
            name, known = tag
            if "," in name:
                return None, "names a tag with a comma, which :see-also: can't hold"
            if not known:
                self.log.note(
                    self.origin(index),
                    f"see-also tag {name!r} ({url}) is no tag of an imported post: "
                    "kept as the tag name",
                )
            return f"tag:{name}", ""
        return self.site.post_for(url), "links to no imported post and no tag page"


def _container(line: str) -> str:
    """The start of *line* that puts it in a block quote (or indents it in a list item)."""
    match = re.match(r"(?:[ \t]*>)*[ \t]*", line)
    return match.group() if match else ""


def _set_apart(lead: str, line: str) -> list[str]:
    """*line* between blank lines of its container: a replacement for a heading or a
    break must neither join the paragraph before it nor take the next line as a
    setext underline."""
    return [lead.rstrip(), line, lead.rstrip()]


def _trim(lines: list[str]) -> list[str]:
    """Without leading and trailing blank lines."""
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    end = len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]
