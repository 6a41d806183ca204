"""The ``case`` directive: parses one case, once, into a node tree and a :class:`CaseRecord`.

The record is left on the node for the recording transform (``transforms.py``),
which knows the enclosing section (for an omitted title) and the page's ids;
only then is the record final and stored in the domain.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.parsing import nested_parse_to_nodes

from .config import CaselogConfig
from .i18n import _
from .model import (
    SORTS,
    STYLES,
    CaseFilter,
    CaseRecord,
    PartialDate,
    SeeAlso,
    Source,
    Tag,
    parse_published,
    parse_source_line,
)
from .nodes import case, caselist, separator
from .slugs import slugify, tag_key
from .urls import excerpt
from .warnings_ import CaselogWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx

KNOWN_OPTIONS = (
    "id", "kind", "date", "published", "tags", "source", "attribution", "see-also", "class",
)  # fmt: skip
_OPTION_LINE = re.compile(r"\s*:[\w-]+:(\s|$)")
# The key line of a source option that holds no source itself: a YAML block
# scalar (``source: |``) or an rST option whose value starts on the next line.
_EMPTY_SOURCE_KEY = re.compile(r"source:\s*([|>][-+]?)?\s*$")
_ATTRIBUTION_DASHES = ("--", "\N{EM DASH}", "\N{HORIZONTAL BAR}")
# C0 and C1 controls, less tab and newlines: pasted from word processors and PDFs,
# they make HTML ill-formed and stop LaTeX ("Unicode character ^^A").
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _AnyOption(dict[str, Any]):
    """An option spec that accepts every name.

    docutils and MyST reject unknown options with their own message and type;
    accepting them here lets ``run`` report them as ``caselog.option``.
    """

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


def label(node_class: type[nodes.TextElement], text: str, part: str) -> nodes.TextElement:
    """A generated label: translated by our catalog, never extracted as a page message."""
    node = node_class(text, text, classes=[f"caselog-{part}-label"])
    node["translatable"] = False
    return node


class CaselogDirective(SphinxDirective):
    """What our directives share: options found on their source lines, located warnings."""

    option_spec: ClassVar[dict[str, Any]]

    # -- locating -----------------------------------------------------------------

    def file_lines(self) -> list[str]:
        """The lines of the file the directive is in (cached per read)."""
        source = self.get_source_info()[0]
        cache = cast(
            "dict[str, list[str]]", self.env.temp_data.setdefault("caselog_source_lines", {})
        )
        if source not in cache:
            try:
                cache[source] = Path(source).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                cache[source] = []
        return cache[source]

    def correct_lineno(self) -> None:
        """Find the directive's real first line when MyST reports an earlier one.

        In a nested parse (a case inside ``only``, a tab, another case) MyST gives
        a line relative to the enclosing block; the directive's own first line is
        then the next line below that opens this directive with this argument.
        """
        lines = self.file_lines()
        opening = (f"{{{self.name}}}", f"{self.name}::")
        argument = self.arguments[0].strip() if self.arguments else ""

        def opens(text: str) -> bool:
            return any(o in text for o in opening) and argument in text

        start = self.lineno - 1
        if not 0 <= start < len(lines) or opens(lines[start]):
            return
        # bounded: a nested block is never longer than its file
        found = next((i for i in range(start, len(lines)) if opens(lines[i])), None)
        if found is not None:
            self.lineno = found + 1

    @cached_property
    def directive_lines(self) -> list[str]:
        """The directive's source lines, from its first line to the end of its file.

        ``block_text`` can't serve: myst-parser 4 gives only the body there. The
        file comes from ``get_source_info`` (right for included files too); for
        generated text with no file, ``block_text`` is the best there is.
        """
        line = self.get_source_info()[1]
        lines = self.file_lines()[line - 1 :] if line else []
        if not lines or self.name not in lines[0]:
            return self.block_text.splitlines()
        return lines

    def option_lines(self) -> list[str]:
        """The directive's first line and its options: up to the body, a blank line or
        the closing fence, or the end of a ``---`` YAML block."""
        lines = self.directive_lines
        first_body = self.content[0].strip() if self.content else None
        in_yaml = len(lines) > 1 and lines[1].strip() == "---"
        for index, text in enumerate(lines[2 if in_yaml else 1 :], 2 if in_yaml else 1):
            stripped = text.strip()
            if in_yaml:
                if stripped == "---":
                    return lines[: index + 1]
            elif (
                (first_body and stripped == first_body)
                or not stripped
                or stripped.startswith((":::", "```"))
            ):
                return lines[:index]
        return lines

    def option_line(self, name: str) -> int:
        """The source line of option *name*, or the directive's line if it can't be found."""
        pattern = re.compile(rf"\s*:?{re.escape(name)}:(\s|$)")
        for offset, line in enumerate(self.option_lines()):
            if pattern.match(line):
                return self.lineno + offset
        return self.lineno

    def warn(self, warning: CaselogWarning, message: str, option: str | None = None) -> None:
        self.warn_at(warning, message, self.option_line(option) if option else self.lineno)

    def warn_at(self, warning: CaselogWarning, message: str, line: int) -> None:
        """Warn at *line* of the file the directive is in (an included file, maybe)."""
        source = self.get_source_info()[0]
        warning(message, location=f"{source}:{line}" if source else (self.env.docname, line))

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


#: ``env.temp_data`` key: how many cases are being parsed around the current line
_OPEN_CASES = "caselog_open_cases"


def quote_blocks(quotes: list[nodes.block_quote]) -> list[tuple[nodes.block_quote, nodes.Node]]:
    """Each quote's blocks of text (any kind: paragraph, list, code, nested quote),
    less the attribution: what the record keeps and the length limit counts."""
    return [
        (quote, block)
        for quote in quotes
        for block in quote.children
        if not isinstance(block, nodes.attribution)
    ]


class CaseDirective(CaselogDirective):
    """One case, emitted as::

    case  .caselog-case .caselog-kind-<kind>
      paragraph .caselog-title        (unless the title comes from the section)
      paragraph .caselog-meta         inline .caselog-kind, inline .caselog-date
      block_quote .caselog-quote      (one or more, with their attribution)
      container .caselog-context      rubric, then the body after the quote
      container .caselog-sources      rubric, bullet_list of reference + host
      container .caselog-tags         rubric, paragraph of pending_xref(case:tag)
      container .caselog-see-also     rubric, bullet_list of pending_xref
    """

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = _AnyOption(
        dict.fromkeys(KNOWN_OPTIONS, directives.unchanged)
    )

    def run(self) -> list[nodes.Node]:
        self.caselog: CaselogConfig = self.env.domains["case"].config  # type: ignore[attr-defined]
        self.correct_lineno()
        if self.env.temp_data.get(_OPEN_CASES):
            return self.refuse_nesting()
        self.clean_options()
        for name in self.options:
            if name not in KNOWN_OPTIONS:
                self.warn(
                    CaselogWarning.OPTION,
                    f"unknown option :{name}: (known: {', '.join(KNOWN_OPTIONS)})",
                    name,
                )
        case_id = self.parse_id()
        title_nodes, title = self.parse_title()
        kind = self.parse_kind()
        date = self.parse_date()
        tags = self.parse_tags()
        sources = self.parse_sources()
        see_also = tuple(SeeAlso.parse(e) for e in self.split_option("see-also"))
        quotes, context = self.parse_body()
        attribution = self.options.get("attribution", "").strip() or None
        given = next((a for q in quotes for a in q.findall(nodes.attribution)), None)
        if attribution is None and given is not None:
            attribution = given.astext().strip() or None  # MyST's "-- Name", rST's too

        node = case(
            classes=["caselog-case", f"caselog-kind-{kind}", *self.split_option("class", " ")],
            kind=kind,
        )
        self.set_source_info(node)
        if title_nodes:
            text = nodes.inline("", "", *title_nodes, classes=["caselog-title-text"])
            heading = nodes.paragraph("", "", text, classes=["caselog-title"])
            self.set_source_info(heading)  # a source makes the title a gettext message
            node += heading
        node += self.meta(kind, date)
        if quotes:
            if attribution and not any(q.next_node(nodes.attribution) for q in quotes):
                quotes[-1] += nodes.attribution(attribution, attribution)
            for quote in quotes:
                quote["classes"].append("caselog-quote")
            node.extend(quotes)
        elif attribution:
            node += nodes.paragraph(
                "", f"\N{EM DASH} {attribution}", classes=["caselog-attribution"]
            )
        if context:
            node += self.part("context", _("Context and Discussion"), context)
        if sources:
            node += self.part("sources", _("Sources"), [self.source_list(sources)])
        if tags:
            node += self.part("tags", _("Tags"), [self.tag_list(tags)])
        if see_also:
            node += self.part("see-also", _("See also"), [self.see_also_list(see_also)])

        source, _line = self.get_source_info()
        node["record"] = CaseRecord(
            id=case_id,  # "" when not given: the recording transform derives it from the title
            docname=self.env.docname,
            lineno=self.lineno,
            source=self.relative_source(source),
            only=(),  # the recording transform sees the enclosing ``only`` nodes
            anchor="",
            title=title,
            kind=kind,
            date=date,
            published=self.parse_published(),
            tags=tags,
            sources=sources,
            attribution=attribution,
            see_also=see_also,
            quote="\n\n".join(block.astext() for _quote, block in quote_blocks(quotes)),
            context="\n\n".join(n.astext() for n in context),
        )
        return [node]

    def relative_source(self, source: str) -> str:
        """The case's file, relative to the source directory (an included file, maybe)."""
        if not source:
            return self.env.doc2path(self.env.docname, False).as_posix()
        path = Path(source)
        if path.is_relative_to(self.env.srcdir):
            return path.relative_to(self.env.srcdir).as_posix()
        return path.as_posix()

    def refuse_nesting(self) -> list[nodes.Node]:
        """A case inside a case is not a case: its text stays, as plain content."""
        self.warn(
            CaselogWarning.NESTED,
            "a case inside another case is not recorded; its text is kept as the "
            "outer case's content (close the outer case first)",
        )
        kept = nodes.container("", classes=["caselog-nested"])
        if self.arguments:
            kept += nodes.paragraph(self.arguments[0], self.arguments[0])
        kept.extend(nested_parse_to_nodes(self.state, self.content))
        return [kept]

    def parse_id(self) -> str:
        """An explicit id, held to the slug policy so it is a valid anchor and URL part."""
        case_id = self.options.get("id", "").strip()
        slug = slugify(case_id)
        if case_id and slug != case_id:
            self.warn(
                CaselogWarning.OPTION,
                f"id {case_id!r} is not a slug (lowercase ASCII letters, digits and '-'); "
                f"using {slug!r}",
                "id",
            )
        return slug

    def parse_title(self) -> tuple[list[nodes.Node], str]:
        if not self.arguments:
            return [], ""  # taken from the enclosing section by the recording transform
        limit = self.caselog.max_title_length
        if len(self.arguments[0]) > limit:
            # Cut the source, not the parsed nodes: cheap, and never half an inline markup.
            cut = self.arguments[0][:limit].rstrip() + "…"
            self.warn(
                CaselogWarning.LIMIT,
                f"title of {len(self.arguments[0])} characters cut to {limit} "
                "(caselog_max_title_length)",
            )
            return [nodes.Text(cut)], cut
        title_nodes, messages = self.parse_inline(self.arguments[0], lineno=self.lineno)
        title_nodes.extend(messages)
        return title_nodes, "".join(n.astext() for n in title_nodes if n not in messages)

    def parse_kind(self) -> str:
        kind = self.options.get("kind", "").strip() or self.caselog.default_kind
        if kind not in self.caselog.kinds:
            self.warn(
                CaselogWarning.KIND,
                f"unknown kind {kind!r} (caselog_kinds has: {', '.join(self.caselog.kinds)}); "
                f"using {self.caselog.default_kind!r}",
                "kind",
            )
            return self.caselog.default_kind
        return kind

    def parse_date(self) -> PartialDate | None:
        text = self.options.get("date", "").strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError as err:
            self.warn(CaselogWarning.DATE, f"bad :date: {err}; the case is undated", "date")
            return None

    def parse_published(self) -> str | None:
        text = self.options.get("published", "").strip()
        if not text:
            return None
        try:
            return parse_published(text)
        except ValueError as err:
            self.warn(CaselogWarning.DATE, f"bad :published: {err}", "published")
            return None

    def parse_tags(self) -> tuple[Tag, ...]:
        tags: dict[str, Tag] = {}
        for text in self.split_option("tags"):
            tag = Tag.from_text(text)
            tags.setdefault(tag.key, tag)
        limit = self.caselog.max_tags
        if len(tags) > limit:
            self.warn(
                CaselogWarning.LIMIT,
                f"{len(tags)} tags: only the first {limit} are kept (caselog_max_tags)",
                "tags",
            )
        kept = tuple(tags.values())[:limit]
        vocabulary = self.env.domains["case"].vocabulary  # type: ignore[attr-defined]
        for tag in kept:
            if not vocabulary.knows(tag.key):
                self.warn(
                    CaselogWarning.UNKNOWN_TAG,
                    f"tag {tag.text!r} is not in the tag vocabulary",
                    "tags",
                )
        return kept

    def parse_sources(self) -> tuple[Source, ...]:
        raw = self.options.get("source", "")
        lines = raw.splitlines()
        first_line = self.option_line("source")
        # A YAML block scalar (``source: |``) starts its lines one below the key.
        key_line = self.directive_lines[first_line - self.lineno :][:1]
        if key_line and _EMPTY_SOURCE_KEY.search(key_line[0]):
            first_line += 1
        sources: list[Source] = []
        limit = self.caselog.max_sources
        longest = self.caselog.max_source_length
        for offset, line in enumerate(lines):
            if not line.strip():
                continue
            if len(line) > longest:
                self.warn_at(
                    CaselogWarning.LIMIT,
                    f"source line of {len(line)} characters cut to {longest} and shown as "
                    f"text (caselog_max_source_length): {excerpt(line.strip(), 60)!r}",
                    first_line + offset,
                )
                cut = line.strip()[:longest] + "…"
                sources.append(Source(cut, None, None, cut))
                continue
            if len(sources) == limit:
                self.warn(
                    CaselogWarning.LIMIT,
                    f"more than {limit} sources: the rest are dropped (caselog_max_sources)",
                    "source",
                )
                break
            source, problems = parse_source_line(line)
            here = first_line + offset
            if source.url is None:
                self.warn_at(
                    CaselogWarning.UNSAFE_URL,
                    f"source {excerpt(line.strip())!r} is not a valid http(s) URL; "
                    "shown as plain text",
                    here,
                )
            elif self.caselog.require_archive and source.archive_url is None:
                self.warn_at(
                    CaselogWarning.NO_ARCHIVE,
                    f"source {excerpt(source.url)!r} has no archived copy "
                    "(caselog_require_archive); add 'archived <URL>', e.g. with "
                    "'sphinx-caselog archive --write'",
                    here,
                )
            for problem in problems:
                self.warn_at(CaselogWarning[problem.kind.upper()], problem.message, here)
            sources.append(source)
        return tuple(sources)

    # -- body -----------------------------------------------------------------------

    @property
    def from_myst(self) -> bool:
        return type(self.state).__module__.startswith("myst_parser")

    def content_line(self, index: int) -> int:
        """The 1-based source line of ``self.content[index]``.

        MyST gives content offsets relative to the directive, so its lines are
        found in the directive's own text instead.
        """
        if self.from_myst:
            lines = self.directive_lines
            return self.lineno + next(
                (i for i in range(1, len(lines)) if lines[i] == self.content[index]), 0
            )
        return (self.content.info(index)[1] or 0) + 1

    def myst_options_end_early(self) -> bool:
        """MyST's trap: ``:key: value`` options end silently at the first line that is
        not one, so an option continued on an indented second line falls into the body.

        A body that simply starts after the options (``> the quote``, unindented)
        is no trap: only a line that continues an option is.
        """
        block = self.directive_lines[1:]
        if not block or not _OPTION_LINE.match(block[0]):
            return False  # no options, or the '---' YAML block, which has no trap
        for line in block:
            if not line.strip() or line.lstrip().startswith((":::", "```")):
                return False  # a blank line or a fence: the options ended properly
            if not _OPTION_LINE.match(line):
                return line[:1].isspace()
        return False

    def body_content(self) -> StringList:
        """The content, less option lines that fell into it (MyST's option trap)."""
        content = self.content
        first_paragraph = []
        for index, text in enumerate(content):
            if not text.strip() or text.lstrip().startswith((":::", "```", "~~~")):
                break  # a fence opens a nested directive, whose options are its own
            first_paragraph.append(index)
        trapped = (self.from_myst and self.myst_options_end_early()) or any(
            _OPTION_LINE.match(content[i]) for i in first_paragraph
        )
        if not trapped:
            return content
        CaselogWarning.OPTION(
            "these lines look like options but are in the case's body: "
            f"{' / '.join(content[i].strip() for i in first_paragraph)!r}. "
            "In MyST's ':key: value' form an option cannot continue on a second line; "
            "put all options in a '---' YAML block (use 'source: |' for several sources). "
            "The lines are left out of the case.",
            location=(self.env.docname, self.content_line(0)),
        )
        return content[len(first_paragraph) :]

    def parse_body(self) -> tuple[list[nodes.block_quote], list[nodes.Node]]:
        """Split the body: leading block quotes are the quote, the rest the context."""
        self.env.temp_data[_OPEN_CASES] = int(self.env.temp_data.get(_OPEN_CASES) or 0) + 1
        try:
            body = nested_parse_to_nodes(
                self.state, self.body_content(), allow_section_headings=False
            )
        finally:
            self.env.temp_data[_OPEN_CASES] -= 1
        quotes: list[nodes.block_quote] = []
        while body and isinstance(body[0], nodes.block_quote):
            quote = body.pop(0)
            # An empty quote (a lone ">") holds nothing, and Sphinx would later
            # unwrap it while it carries our class, which crashes the build.
            if quote.children:
                quotes.append(quote)  # type: ignore[arg-type]
        if quotes:
            self.attribution_from_dash(quotes[-1])
            self.limit_quote(quotes)
        return quotes, body

    def limit_quote(self, quotes: list[nodes.block_quote]) -> None:
        """Cut a quote past ``caselog_max_quote_length``: whole blocks (paragraphs, lists,
        code, nested quotes) are dropped after the limit, and the block that crosses
        it becomes a paragraph of its text, cut."""
        limit = self.caselog.max_quote_length
        blocks = quote_blocks(quotes)
        total = sum(len(block.astext()) for _quote, block in blocks)
        if total <= limit:
            return
        self.warn(
            CaselogWarning.LIMIT,
            f"quote of {total} characters cut to {limit} (caselog_max_quote_length)",
        )
        used = 0
        for quote, block in blocks:
            text = block.astext()
            if used >= limit:
                quote.remove(block)
            elif used + len(text) > limit:
                cut = text[: limit - used].rstrip() + " [\N{HORIZONTAL ELLIPSIS}]"
                quote.replace(block, nodes.paragraph(cut, cut))
            used += len(text)
        quotes[:] = [q for q in quotes if quote_blocks([q])]

    @staticmethod
    def attribution_from_dash(quote: nodes.block_quote) -> None:
        """MyST: a last quote paragraph opening with a dash is the attribution, as in rST."""
        last = quote.children[-1] if quote.children else None
        if not isinstance(last, nodes.paragraph) or len(quote.children) < 2:
            return
        text = last.astext()
        dash = next((d for d in _ATTRIBUTION_DASHES if text.startswith(d)), None)
        if dash is None or not isinstance(last[0], nodes.Text):
            return
        attribution = nodes.attribution("", "", *last.children)
        attribution[0] = nodes.Text(str(last[0])[len(dash) :].lstrip())
        quote.replace(last, attribution)

    # -- rendering --------------------------------------------------------------------

    def meta(self, kind: str, date: PartialDate | None) -> nodes.paragraph:
        meta = nodes.paragraph("", "", classes=["caselog-meta"])
        meta["translatable"] = False
        meta += nodes.inline("", self.caselog.kind_label(kind), classes=["caselog-kind"])
        if date is not None:
            meta += nodes.Text(" \N{MIDDLE DOT} ")
            meta += nodes.inline(
                "",
                self.caselog.human_date(date, self.config.language),
                classes=["caselog-date"],
                datetime=str(date),
            )
        return meta

    def part(self, name: str, title: str, children: list[nodes.Node]) -> nodes.container:
        return nodes.container(
            "", label(nodes.rubric, title, name), *children, classes=[f"caselog-{name}"]
        )

    def source_list(self, sources: tuple[Source, ...]) -> nodes.bullet_list:
        items = nodes.bullet_list()
        for source in sources:
            para = nodes.paragraph()
            if source.url is None:
                para += nodes.inline(source.title, source.title, classes=["caselog-unsafe"])
            else:
                para += nodes.reference(source.title, source.title, refuri=source.url)
                if source.title != source.url:
                    # Written out for print; HTML shows the host instead (transforms.py).
                    para += self.written_url(source.url)
                if source.archive_url:
                    para += self.archived_copy(source)
                if source.accessed:
                    accessed = self.caselog.human_date(source.accessed, self.config.language)
                    text = _("accessed %s") % accessed
                    para += nodes.inline("", f", {text}", classes=["caselog-source-accessed"])
            items += nodes.list_item("", para)
        return items

    @staticmethod
    def written_url(url: str) -> nodes.inline:
        ref = nodes.reference(url, url, refuri=url)
        return nodes.inline("", " ", ref, classes=["caselog-source-url"])

    def archived_copy(self, source: Source) -> nodes.inline:
        """`` (archived copy URL, date)``: the copy's URL is written out for print too."""
        assert source.archive_url is not None
        label = _("archived copy")
        part = nodes.inline("", " (", classes=["caselog-source-archive"])
        if source.archive_date:
            part["datetime"] = str(source.archive_date)  # for HTML's Robust Links
        part += nodes.reference(label, label, refuri=source.archive_url)
        part += self.written_url(source.archive_url)
        if source.archive_date:
            part += nodes.Text(
                ", " + self.caselog.human_date(source.archive_date, self.config.language)
            )
        part += nodes.Text(")")
        return part

    def xref(self, reftype: str, target: str, text: str, classes: list[str]) -> nodes.Node:
        ref = addnodes.pending_xref(
            "",
            nodes.inline(text, text, classes=classes),
            refdomain="case",
            reftype=reftype,
            reftarget=target,
            refexplicit=False,  # shown as the domain names it: title, display name
            refwarn=True,
            refdoc=self.env.docname,
        )
        self.set_source_info(ref)
        return ref

    def tag_list(self, tags: tuple[Tag, ...]) -> nodes.paragraph:
        para = nodes.paragraph(classes=["caselog-tag-list"])
        para["translatable"] = False
        for index, tag in enumerate(tags):
            if index:
                para += separator()
            para += self.xref("tag", tag.key, tag.text, ["caselog-tag"])
        return para

    def see_also_list(self, entries: tuple[SeeAlso, ...]) -> nodes.bullet_list:
        items = nodes.bullet_list()
        for entry in entries:
            reftype = "tag" if entry.type == "tag" else "ref"
            para = nodes.paragraph("", "", self.xref(reftype, entry.target, entry.text, []))
            para["translatable"] = False
            items += nodes.list_item("", para)
        return items


LIST_OPTIONS = ("tags", "all-tags", "kind", "source", "from", "until", "sort", "limit", "style")


class CaselistDirective(CaselogDirective):
    """A listing of the cases that match its filters, emitted as::

        caselist (filter=CaseFilter)   replaced after reading by standard nodes

    Only the filter is parsed here; which cases match is known once every
    document has been read, so ``transforms.ResolveCaseLists`` renders it.
    """

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = _AnyOption(
        dict.fromkeys(LIST_OPTIONS, directives.unchanged)
    )

    def run(self) -> list[nodes.Node]:
        caselog: CaselogConfig = self.env.domains["case"].config  # type: ignore[attr-defined]
        self.correct_lineno()
        for name in self.options:
            if name not in LIST_OPTIONS:
                self.warn(
                    CaselogWarning.OPTION,
                    f"unknown option :{name}: (known: {', '.join(LIST_OPTIONS)})",
                    name,
                )
        kinds = tuple(self.split_option("kind"))
        for kind in kinds:
            if kind not in caselog.kinds:
                self.warn(
                    CaselogWarning.OPTION,
                    f"unknown kind {kind!r} in :kind: (caselog_kinds has: "
                    f"{', '.join(caselog.kinds)})",
                    "kind",
                )
        node = caselist(
            docname=self.env.docname,
            filter=CaseFilter(
                tags=self.tag_keys("tags"),
                all_tags=self.tag_keys("all-tags"),
                kinds=kinds,
                sources=tuple(self.split_option("source")),
                date_from=self.parse_bound("from"),
                date_until=self.parse_bound("until"),
                sort=self.choice("sort", SORTS),
                limit=self.parse_limit(),
                style=self.choice("style", STYLES),
            ),
        )
        self.set_source_info(node)
        return [node]

    def tag_keys(self, option: str) -> tuple[str, ...]:
        vocabulary = self.env.domains["case"].vocabulary  # type: ignore[attr-defined]
        keys = tuple(dict.fromkeys(tag_key(text) for text in self.split_option(option)))
        for key in keys:
            if not vocabulary.knows(key):
                self.warn(
                    CaselogWarning.UNKNOWN_TAG,
                    f"tag {key!r} in :{option}: is not in the tag vocabulary",
                    option,
                )
        return keys

    def parse_bound(self, option: str) -> PartialDate | None:
        text = self.options.get(option, "").strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError as err:
            self.warn(CaselogWarning.OPTION, f"bad :{option}: {err}; ignored", option)
            return None

    def choice(self, option: str, allowed: tuple[str, ...]) -> str:
        value = self.options.get(option, "").strip()
        if value and value not in allowed:
            self.warn(
                CaselogWarning.OPTION,
                f"unknown :{option}: {value!r} (one of: {', '.join(allowed)}); "
                f"using {allowed[0]!r}",
                option,
            )
            return allowed[0]
        return value or allowed[0]

    def parse_limit(self) -> int | None:
        text = self.options.get("limit", "").strip()
        if not text:
            return None
        # More than 9 digits is no listing anyone reads (and past 4,300, int() raises).
        if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < 1:
            self.warn(
                CaselogWarning.OPTION,
                f"bad :limit: {excerpt(text, 20)!r}: a whole number from 1 to 999999999",
                "limit",
            )
            return None
        return int(text)


def setup_directives(app: Sphinx) -> None:
    app.add_directive("case", CaseDirective)
    app.add_directive("caselist", CaselistDirective)
