"""The one Markdown parser of the importer, and what is read from its tokens.

Both passes (Liquid, then Markdown) see a post's structure through :data:`MD`, a
CommonMark parser with the footnotes MyST reads (configured as MyST configures them):
code regions from token ``map``s, links from markdown-it's own link helpers
(``parseLinkLabel``, ``parseLinkDestination``, ``parseLinkTitle``), footnotes from
mdit-py-plugins' tokens, headings and the ids Jekyll gives them.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.autolink import AUTOLINK_RE
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from ..slugs import slugify

MD = (
    MarkdownIt("commonmark")
    .enable(["table", "strikethrough"])
    .use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
)
_HEADER_ID = re.compile(r"[ \t]*\{#(?P<id>[A-Za-z][\w:.-]*)\}[ \t]*$")


def parse(text: str) -> list[Token]:
    return MD.parse(text)


def code_lines(tokens: Sequence[Token]) -> set[int]:
    """The (0-based) lines of every code block, fenced or indented, at any depth (in a
    list item, a quote, a footnote)."""
    lines: set[int] = set()
    for token in tokens:
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines


def plain_text(markdown: str) -> str:
    """The text a reader sees in inline Markdown: markup, escapes and entities resolved."""
    out: list[str] = []
    for token in MD.parseInline(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline", "html_inline", "image"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return " ".join("".join(out).split())


def footnotes(tokens: Sequence[Token]) -> tuple[set[str], set[str]]:
    """(labels defined, labels referenced), as MyST's footnote rules read them."""
    defined = {
        str(t.meta["label"]) for t in tokens if t.type == "footnote_reference_open" and t.meta
    }
    referenced = {
        str(child.meta["label"])
        for t in tokens
        for child in t.children or []
        if child.type == "footnote_ref" and child.meta.get("label") is not None
    }
    return defined, referenced


class Link(NamedTuple):
    """An inline link or image, as written at ``src[start:end]``."""

    start: int
    end: int
    image: bool
    text: str  # the label, as written
    space: str  # between '(' and the destination
    dest: str  # the destination, as written (with its <...>)
    url: str  # the destination as a URL: <...> removed, escapes resolved
    tail: str  # from the destination to ')': the title and spaces, as written


def _skip_space(src: str, pos: int) -> int:
    while pos < len(src) and src[pos] in " \t\n":
        pos += 1
    return pos


def match_link(src: str, start: int) -> Link | None:
    """The inline link (``[text](dest "title")``) or image at *start*, read as markdown-it's
    own link rule reads it; None when there is none (a reference link is none)."""
    image = src.startswith("![", start)
    label_start = start + 1 if image else start
    if not src.startswith("[", label_start):
        return None
    state = StateInline(src, MD, {}, [])
    # Links can't hold links; images can (markdown-it's own choice for each).
    label_end = MD.helpers.parseLinkLabel(state, label_start, not image)
    if label_end < 0 or not src.startswith("(", label_end + 1):
        return None
    dest_start = _skip_space(src, label_end + 2)
    result = MD.helpers.parseLinkDestination(src, dest_start, len(src))
    if not result.ok:
        return None
    pos = result.pos
    dest, url = src[dest_start:pos], result.str
    tail_start = pos
    pos = _skip_space(src, pos)
    if pos > tail_start and (title := MD.helpers.parseLinkTitle(src, pos, len(src))).ok:
        pos = _skip_space(src, title.pos)
    if not src.startswith(")", pos):
        return None
    text = src[label_start + 1 : label_end]
    space = src[label_end + 2 : dest_start]
    return Link(start, pos + 1, image, text, space, dest, url, src[tail_start:pos])


def code_span(text: str) -> str:
    """*text* as a Markdown code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" or (text[:1] == " " == text[-1:]) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence_for(text: str, char: str = "`") -> str:
    longest = max((len(run) for run in re.findall(re.escape(char) + "+", text)), default=0)
    return char * max(3, longest + 1)


# Names Sphinx's highlighter takes before asking Pygments (sphinx.highlighting).
_SPHINX_LANGUAGES = frozenset(
    {"default", "guess", "none", "py", "python", "py3", "python3", "pycon", "py3con", "rest", "c"}
)


def known_language(name: str) -> bool:
    """Whether Sphinx can highlight *name*; if it can't, it warns and ``-W`` fails."""
    if name in _SPHINX_LANGUAGES:
        return True
    # Imported by name: Pygments ships no type hints, and its stubs are no dependency.
    lexers = importlib.import_module("pygments.lexers")
    try:
        lexers.get_lexer_by_name(name)
    except ValueError:  # pygments.util.ClassNotFound
        return False
    return True


def match_autolink(src: str, start: int) -> tuple[int, str] | None:
    """(end, URL) of the autolink ``<scheme:...>`` at *start*, read with markdown-it's own
    pattern; None when there is none."""
    if not src.startswith("<", start):
        return None
    end = src.find(">", start + 1)
    url = src[start + 1 : end]
    if end < 0 or "<" in url or not AUTOLINK_RE.match(url):
        return None
    return end + 1, url


# -- headings and their ids --------------------------------------------------------------------


def header_id(content: str) -> tuple[str, str | None]:
    """A heading's content without kramdown's ``{#id}``, and that id."""
    match = _HEADER_ID.search(content)
    if match is None:
        return content, None
    return content[: match.start()], match["id"]


def kramdown_id(text: str) -> str:
    """The id kramdown (Jekyll's default) gives a heading, before numbering duplicates."""
    text = re.sub(r"^[^a-zA-Z]+", "", text)
    return re.sub(r"[^a-zA-Z0-9 -]", "", text).replace(" ", "-").lower()


def gfm_id(text: str) -> str:
    """The id GitHub-flavoured parsers (kramdown's GFM, jekyll-commonmark) give it."""
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-").lower()


class Heading(NamedTuple):
    line: int  # 0-based, in the text parsed
    content: str  # without a {#id}
    label: str  # the label the importer writes before it
    keys: frozenset[str]  # the #fragments that name it on the Jekyll site


def headings(tokens: Sequence[Token], case_id: str, lines: set[int]) -> dict[int, Heading]:
    """The headings on *lines* (those the page keeps as rubrics), by line, each with its
    label (``<case id>--<slug>``: unique over the batch, as no case id holds ``--``) and
    the ids Jekyll's parsers would have given it, numbered as they number duplicates."""
    used: dict[str, dict[str, int]] = {"kramdown": {}, "gfm": {}}
    labels: set[str] = set()
    found: dict[int, Heading] = {}
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or not token.map:
            continue
        content, explicit = header_id(tokens[index + 1].content)
        text = plain_text(content)
        keys = set()
        for scheme, make in (("kramdown", kramdown_id), ("gfm", gfm_id)):
            base = make(text) or ("section" if scheme == "kramdown" else "")
            count = used[scheme].get(base)
            used[scheme][base] = 0 if count is None else count + 1
            keys.add(base if count is None else f"{base}-{count + 1}")
        if explicit:
            keys.add(explicit)
        if token.map[0] not in lines:
            continue
        slug = slugify(explicit or text) or "section"
        label, number = f"{case_id}--{slug}", 1
        while label in labels:
            number += 1
            label = f"{case_id}--{slug}-{number}"
        labels.add(label)
        found[token.map[0]] = Heading(token.map[0], content, label, frozenset(keys - {""}))
    return found


_SECTION_NAMES = {
    "context and discussion": "context",
    "source": "sources",
    "sources": "sources",
    "see also": "see-also",
}


def section_part(heading: Token, inline: Token) -> str | None:
    """The part of the case a top-level ``#`` or ``##`` heading opens, if any."""
    if heading.tag not in ("h1", "h2"):
        return None
    name = " ".join(plain_text(header_id(inline.content)[0]).casefold().split()).rstrip(":")
    return _SECTION_NAMES.get(name)


def rubric_lines(tokens: list[Token]) -> set[int]:
    """The lines of the headings the page keeps, as rubrics: the top-level ones that
    open no part of the case."""
    return {
        t.map[0]
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.level == 0 and t.map
        if section_part(t, tokens[i + 1]) is None
    }


def post_headings(text: str, case_id: str) -> dict[int, Heading]:
    """The headings a post's page keeps, by line of *text*, with their labels."""
    tokens = parse(text)
    return headings(tokens, case_id, rubric_lines(tokens))


def anchors(found: dict[int, Heading]) -> dict[str, str]:
    """Jekyll's heading id → the label the page gives that heading."""
    return {key: h.label for h in found.values() for key in sorted(h.keys)}
