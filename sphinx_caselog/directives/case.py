"""The ``case`` directive: parses one case, once, into a node tree and a :class:`CaseRecord`.

The record is left on the node for the recording transform (``transforms.py``),
which knows the enclosing section (for an omitted title) and the page's ids;
only then is the record final and stored in the domain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.parsing import nested_parse_to_nodes

from ..config import CaselogConfig
from ..domain import case_domain
from ..i18n import _
from ..locating import OPTION_LINE, trapped_lines
from ..model import (
    CaseRecord,
    PartialDate,
    SeeAlso,
    Source,
    Tag,
    parse_published,
    parse_source_line,
)
from ..nodes import case
from ..parts import Parts, attribution_from_dash, limit_quote, quote_blocks
from ..slugs import slugify, visible
from ..urls import excerpt
from ..warnings_ import CaselogWarning
from .base import AnyOption, CaselogDirective

KNOWN_OPTIONS = (
    "id", "kind", "date", "published", "tags", "source", "attribution", "see-also", "class",
)  # fmt: skip

#: ``env.temp_data`` key: how many cases are being parsed around the current line
_OPEN_CASES = "caselog_open_cases"


class CaseDirective(CaselogDirective):
    """One case, emitted as::

    case  .caselog-case .caselog-kind-<kind>
      paragraph .caselog-title        (unless the title comes from the section)
      paragraph .caselog-meta         inline .caselog-kind, inline .caselog-date
      block_quote .caselog-quote      (one or more, with their attribution)
      container .caselog-context      rubric, then the body after the quote
      container .caselog-sources      rubric, bullet_list of reference (a host or URL per format)
      container .caselog-tags         rubric, paragraph of pending_xref(case:tag)
      container .caselog-see-also     rubric, bullet_list of pending_xref
    """

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = AnyOption(
        dict.fromkeys(KNOWN_OPTIONS, directives.unchanged)
    )

    def run(self) -> list[nodes.Node]:
        self.caselog: CaselogConfig = case_domain(self.env).config
        self.locate()
        if self.env.temp_data.get(_OPEN_CASES):
            return self.refuse_nesting()
        self.read_options(KNOWN_OPTIONS)
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

        parts = Parts(self.caselog, self.config.language, self.env.docname, self.set_source_info)
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
        node += parts.meta(kind, date)
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
            node += parts.part("context", _("Context and Discussion"), context)
        if sources:
            node += parts.part("sources", _("Sources"), [parts.source_list(sources)])
        if tags:
            node += parts.part("tags", _("Tags"), [parts.tag_list(tags)])
        if see_also:
            node += parts.part("see-also", _("See also"), [parts.see_also_list(see_also)])

        node["record"] = CaseRecord(
            id=case_id,  # "" when not given: the recording transform derives it from the title
            docname=self.env.docname,
            lineno=self.line,
            source=self.relative_source(self.source_path),
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
        case_id = visible(self.options.get("id", "")).strip()
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
        vocabulary = case_domain(self.env).vocabulary
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
        first_line = self.located.value_line("source")
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
            return self.located.line_of(self.content[index])
        return (self.content.info(index)[1] or 0) + 1

    def body_content(self) -> StringList:
        """The content, less option lines that fell into it (MyST's option trap)."""
        content = self.content
        first_paragraph = range(trapped_lines(content))
        trapped = (self.from_myst and self.located.options_end_early()) or any(
            OPTION_LINE.match(content[i]) for i in first_paragraph
        )
        if not trapped:
            return content
        CaselogWarning.OPTION(
            "these lines look like options but are in the case's body: "
            f"{' / '.join(content[i].strip() for i in first_paragraph)!r}. "
            "In MyST's ':key: value' form an option cannot continue on a second line; "
            "put all options in a '---' YAML block (use 'source: |' for several sources). "
            "The lines are left out of the case.",
            location=f"{self.source_path}:{self.content_line(0)}",
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
            attribution_from_dash(quotes[-1])
            total = limit_quote(quotes, self.caselog.max_quote_length)
            if total is not None:
                self.warn(
                    CaselogWarning.LIMIT,
                    f"quote of {total} characters cut to {self.caselog.max_quote_length} "
                    "(caselog_max_quote_length)",
                )
        return quotes, body
