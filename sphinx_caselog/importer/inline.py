"""Pass 2, inline: a paragraph's Markdown rewritten as MyST, line breaks kept.

Links (read with markdown-it's own link helpers) to another post become ``{case:ref}``
roles, or links to the label of the heading their ``#fragment`` names; in-page
``#fragment`` links point to the label of their heading; other links stay, made
absolute with ``--site-url`` where they can be. What MyST would read as syntax where
kramdown read text (roles, attribute lists, targets, comments) is escaped or kept as
literal text. Every change is reported at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..urls import is_safe_url
from .base import Log, short
from .parsing import Link, code_span, match_autolink, match_link, plain_text
from .site import POST_SCHEME, Site

# Line starts MyST reads as syntax where kramdown read text: a comment (%), a block
# break (+++), a colon fence (:::), a target ((label)=), and an option-like line,
# which the case directive would take for a misplaced option.
_MYST_LINE_START = re.compile(r"%|\+\+\+|:{3}|\([^\n]*\)=[ \t]*(?:\n|$)|:[\w-]+:(?:\s|$)")
HTML_LINK = re.compile(
    r"<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"']?(?P<url>/(?!/)[^\"'\s>]*)", re.IGNORECASE
)
_IAL = re.compile(r"\{:(?:[^{}\n\"']|\"[^\"\n]*\"|'[^'\n]*')*\}")
_HEADER_ID = re.compile(r"\{#[A-Za-z][\w:.-]*\}(?=[ \t]*#*[ \t]*$)")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")
# MyST role syntax: a {name} before code, or before an attribute list that becomes code.
_ROLE_NAME = re.compile(r"\{[A-Za-z0-9_\-+:]+\}(?=`|\{[:#])")
# A link reference definition (not a footnote's: [^1]: text), with an optional title.
_DEFINITION = re.compile(
    r"(?P<head>[ ]{0,3}\[(?!\^)[^\]]+\]:[ \t]*)(?P<url><[^<>\n]*>|\S+)"
    r"(?P<rest>(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*)"
)
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def role(name: str, target: str, text: str | None = None) -> str:
    """A ``{case:...}`` role; link text with a backtick can't be one, so it shows the title."""
    if text and "`" not in text and text.strip() and not text.endswith("\\"):
        return f"{{case:{name}}}`{text} <{target}>`"
    return f"{{case:{name}}}`{target}`"


def _spread(text: str, breaks: int) -> str | None:
    """*text* with *breaks* line breaks between its words, each next line starting with a
    letter or digit (so that no line can start a block); None if it can't have them."""
    words = text.split(" ")
    starts = [i for i in range(1, len(words)) if words[i][:1].isalnum()][:breaks]
    if len(starts) < breaks:
        return None
    out = []
    for i, word in enumerate(words):
        out.append(("\n" if i in starts else " " if i else "") + word)
    return "".join(out)


def single_link(raw: str) -> tuple[str, str] | None:
    """(text, URL) of an item that is exactly one link: [text](URL), <URL> or a URL."""
    link = match_link(raw, 0)
    if link and link.end == len(raw) and not link.image and not link.tail.strip():
        return plain_text(link.text), link.url
    autolink = match_autolink(raw, 0)
    if autolink and autolink[0] == len(raw):
        return autolink[1], autolink[1]
    if re.fullmatch(r"https?://\S+", raw):
        return raw, raw
    return None


class Inline:
    """Rewrites the inline Markdown of one post. *origin* maps a line of the text being
    rewritten to the post's line; *anchors* maps this post's heading ids to labels."""

    def __init__(
        self,
        site: Site,
        log: Log,
        origin: Callable[[int], int],
        footnotes: set[str],
        anchors: Mapping[str, str],
    ) -> None:
        self.site = site
        self.log = log
        self.origin = origin
        self.footnotes = footnotes
        self.anchors = anchors
        self.roles = 0  # the {case:ref} roles written: what the page is checked against

    def ref(self, case_id: str, text: str | None = None) -> str:
        self.roles += 1
        return role("ref", case_id, text)

    def inline(
        self, text: str, index: int, *, links: bool = True, at_line_start: bool = True
    ) -> str:
        """Rewrite inline Markdown starting on line *index*: links, attribute lists,
        MyST syntax. *text* is a paragraph's content, its lines without their container
        prefixes (as CommonMark joins them, so code spans across lines are seen); the
        result has the same line breaks, so each line keeps its prefix."""
        out: list[str] = []
        i = 0
        while i <= len(text):
            if (i == 0 and at_line_start) or (i and text[i - 1] == "\n"):
                self.line_start(text, i, index + text.count("\n", 0, i), out)
            if i == len(text):
                break
            char = text[i]
            line = index + text.count("\n", 0, i)
            if char == "\\" and i + 1 < len(text) and text[i + 1] != "\n":
                out.append(text[i : i + 2])
                i += 2
                continue
            if char == "`":
                run = len(text[i:]) - len(text[i:].lstrip("`"))
                close = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(text, i + run)
                if close is None:
                    # Text, as no run closes it; escaped, so that it can't pair with the
                    # backticks of a role written after it.
                    out.append("\\`" * run)
                    i += run
                    continue
                end = close.end()
                pos = i
                for k, piece in enumerate(text[i:end].split("\n")):
                    if k:  # MyST's block rules read the whole line, past the code's end
                        out.append("\n")
                        self.line_start(text, pos, line + k, out)
                    out.append(piece)
                    pos += len(piece) + 1
                i = end
                continue
            if char == "[":
                match = _FOOTNOTE_REFERENCE.match(text, i)
                if match and match[1] not in self.footnotes:
                    out.append("\\[")  # no definition: text, as kramdown shows it
                    self.log.note(
                        self.origin(line),
                        f"footnote {match.group()} has no definition: kept as text",
                    )
                    i += 1
                    continue
            if links and char in "[!" and (link := match_link(text, i)) is not None:
                out.append(self.link(link, line))
                i = link.end
                continue
            if char == "<":
                autolink = match_autolink(text, i)
                if autolink:
                    end, url = autolink
                    out.append(self.autolink(url) if links else text[i:end])
                    i = end
                    continue
                match = HTML_LINK.match(text, i)
                if match:
                    self.log.warning(
                        self.origin(line),
                        f"raw HTML links to the site path {match['url']!r}: kept as written, "
                        "it will point into the new site",
                    )
            if char == "{":
                match = _IAL.match(text, i) or _HEADER_ID.match(text, i)
                if match:
                    out.append(code_span(match.group()))
                    self.log.warning(
                        self.origin(line),
                        f"kramdown attribute list {short(match.group())!r} kept verbatim "
                        "in a literal (MyST has no attribute lists)",
                    )
                    i = match.end()
                    continue
                match = _ROLE_NAME.match(text, i)
                if match:
                    out.append("\\" + match.group())
                    self.log.note(
                        self.origin(line),
                        f"{match.group()} before code is MyST role syntax: escaped, so it stays text",
                    )
                    i = match.end()
                    continue
            out.append(char)
            i += 1
        return "".join(out)

    def line_start(self, text: str, i: int, line: int, out: list[str]) -> None:
        """Escape what MyST's block rules would read at the start of a line: they run
        before inline code is seen, so this applies even inside a code span."""
        if _MYST_LINE_START.match(text, i):
            out.append("\\")
            self.log.note(
                self.origin(line),
                f"{short(text[i:].partition(chr(10))[0], 20)!r} is MyST syntax at the start of "
                "a line: escaped, so it stays text",
            )

    def link(self, link: Link, index: int) -> str:
        """A Markdown link or image, as MyST: a case reference, or the link kept."""
        line = self.origin(index)
        url = link.url
        if not link.image and url.startswith("#"):
            return self.anchor_link(link, index)
        target = None if link.image else self.site.target(url)
        if target is not None:
            if target.label is not None:
                self.log.note(
                    line,
                    f"the link to #{target.fragment} of {target.case_id!r} points to "
                    "the label of that heading",
                )
                return self.relinked(link, index, f"#{target.label}")
            if target.fragment:
                self.log.note(
                    line,
                    f"the fragment #{target.fragment} names no heading of {target.case_id!r}: "
                    "the link points to the case",
                )
            case_id = target.case_id
            shown = plain_text(link.text)
            breaks = link.text.count("\n")
            if not breaks and shown == self.site.titles.get(case_id):
                return self.ref(case_id)
            spread = _spread(shown, breaks)
            if spread is not None and "`" not in shown:
                return self.ref(case_id, spread)
            if not breaks:
                self.log.note(
                    line,
                    f"the link text {shown!r} holds a backtick, which a role can't: "
                    f"the reference to {case_id!r} shows the case's title",
                )
                return self.ref(case_id)
            self.log.warning(line, f"the link to case {case_id!r} is kept as it was written")
        return self.relinked(link, index, self.kept_link(url, line, image=link.image))

    def relinked(self, link: Link, index: int, dest: str | None) -> str:
        """*link* as written, its text rewritten, with *dest* (None: the one written)."""
        text = self.inline(link.text, index, links=False, at_line_start=False)
        bang = "!" if link.image else ""
        return f"{bang}[{text}]({link.space}{dest or link.dest}{link.tail})"

    def anchor_link(self, link: Link, index: int) -> str:
        """``[text](#id)``: to the label of this post's heading with that id on Jekyll."""
        fragment = link.url[1:]
        label = self.anchors.get(fragment)
        if label is not None:
            return self.relinked(link, index, f"#{label}")
        self.log.warning(
            self.origin(index),
            f"the in-page link to #{fragment} names no heading of the post: "
            "its text is kept, without the link",
        )
        return self.inline(link.text, index, links=False, at_line_start=False)

    def autolink(self, url: str) -> str:
        case_id = self.site.post_for(url)
        if case_id is not None:
            return self.ref(case_id)
        return f"<{url}>"

    def kept_link(self, url: str, line: int, *, image: bool) -> str | None:
        """A link that stays a link: a new destination, or None to keep it as written.

        Reports every link Sphinx won't resolve (MyST reads a link without a scheme
        as a cross-reference and warns when nothing matches)."""
        what = "image" if image else "link"
        if url.startswith(POST_SCHEME):
            return None
        absolute = self.site.absolute(url)
        if absolute is not None:
            self.log.note(line, f"{what} {url!r} made absolute with --site-url: {absolute}")
            return absolute
        scheme = _SCHEME.match(url)
        if scheme is None:
            advice = "give --site-url" if url.startswith("/") else "fix it by hand"
            if image:
                advice = "copy the file into the project, or give --site-url"
            self.log.warning(
                line,
                f"{what} {url!r} is relative: kept as written, Sphinx won't find it ({advice})",
            )
        elif scheme.group()[:-1].lower() not in _SAFE_SCHEMES:
            self.log.warning(
                line, f"{what} {url!r}: MyST makes only http(s), mailto and ftp links; kept as text"
            )
        return None

    def definition(self, text: str, index: int) -> str | None:
        """A link reference definition ``[name]: URL``: made absolute where it can be."""
        match = _DEFINITION.fullmatch(text)
        if not match:
            return None
        dest = match["url"]
        url = dest[1:-1] if dest.startswith("<") and dest.endswith(">") else dest
        url = re.sub(r"\\(.)", r"\1", url)
        line = self.origin(index)
        if self.site.post_for(url) is not None:
            self.log.warning(
                line,
                f"the reference-style link {url!r} points to an imported post: write it "
                "as [text](URL) to get a case reference",
            )
        new = self.kept_link(url, line, image=False)
        return f"{match['head']}{new}{match['rest']}" if new else text


def source_entry(raw: str) -> tuple[str | None, str]:
    """A ``:source:`` line for a Source item, or None and the reason it can't be one."""
    link = single_link(raw)
    if link is None:
        return None, "is not a single link"
    text, url = link
    if not is_safe_url(url) or re.search(r"[\s<>]", url):
        return None, "is not an http(s) link"
    return (url if not text or text == url else f"{text} <{url}>"), ""
