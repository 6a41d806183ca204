"""Writing pages: a converted post as one MyST page with one ``case`` directive, the
year pages and the index; and the check that what is written holds no MyST syntax
the post did not have.

The check (:func:`myst_syntax`) re-parses the page with myst-parser's own parser and
configuration, and re-splits every directive's content the way MyST does
(``str.splitlines()``), so a line break only MyST sees can't smuggle in a directive.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import yaml
from docutils.parsers.rst import Directive, directives
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.directives import parse_directive_text
from myst_parser.parsers.mdit import create_md_parser

from ..slugs import slugify, tag_key
from .base import ImportOptions, Log
from .frontmatter import Post
from .liquid import Liquid
from .markdown import Markdown
from .site import Site, page_title

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,._/+()'-]*")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#|~&$!%^])")


def _must_escape(char: str) -> bool:
    """Characters a YAML double-quoted scalar must escape: controls, line and paragraph
    separators, surrogates, non-characters, format characters."""
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def yaml_double_quoted(value: str) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif _must_escape(char):
            code = ord(char)
            out.append(
                f"\\x{code:02X}"
                if code <= 0xFF
                else f"\\u{code:04X}"
                if code <= 0xFFFF
                else f"\\U{code:08X}"
            )
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def yaml_scalar(value: str) -> str:
    """*value* as a YAML scalar: plain where plain YAML keeps it a string as written (and
    MyST's option reader agrees), double-quoted otherwise: ``no``, ``1.10``, ``2014``."""
    if _PLAIN.fullmatch(value) and value == value.rstrip():
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return yaml_double_quoted(value)


def yaml_lines(value: list[str]) -> str:
    """Several lines (sources): a literal block (``|``) when each line can stand in one."""
    if all(
        line and line == line.strip() and not any(_must_escape(c) for c in line) for line in value
    ):
        return "|\n" + "\n".join(f"  {line}" for line in value)
    return yaml_double_quoted("\n".join(value))


def markdown_text(text: str) -> str:
    """*text* as Markdown that shows exactly that text: markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


#: Where the per-year pages go: a folder, so no case slug can take their names.
YEARS_DIR = "years"


class Page(NamedTuple):
    """One converted post."""

    post: Post
    text: str


def convert_post(post: Post, site: Site, options: ImportOptions, log: Log) -> Page | None:
    """A post as one MyST page with one ``case`` directive (and the messages about it);
    None, with an error, if the page would hold MyST syntax the importer didn't mean."""
    liquid = Liquid(post.body, post.body_line, site, log)
    emitted = liquid.run()
    markdown = Markdown(emitted, post.name.slug, site, log, frozenset(liquid.own_fences))
    quote, context, sources, see_also = markdown.convert()

    title = page_title(post)
    if not (post.title and post.title.strip()):
        log.note(post.title_line, f"no title: Jekyll's fallback from the slug is used, {title!r}")
    elif title != post.title:
        log.note(
            post.title_line, "the title's line breaks and repeated spaces became single spaces"
        )
    if post.case_date is None:
        log.note(None, "no case_date: the case is undated (:date: is left out)")
    if slugify(post.name.jekyll_slug) != post.name.jekyll_slug:
        log.note(
            1,
            f"the slug {post.name.jekyll_slug!r} is not a case id; "
            f"the page and id are {post.name.slug!r}",
        )

    kind = None
    tags: list[str] = []
    seen: set[str] = set()
    for tag in post.tags:
        key = tag_key(tag)
        if not key or key in seen:
            continue
        seen.add(key)
        if "," in tag:
            log.warning(post.tags_line, f"tag {tag!r} holds a comma, which :tags: can't: left out")
            continue
        if kind is None and key in options.kind_tags:
            kind = options.kind_tags[key]
            if options.drop_kind_tags:
                continue
        elif key in options.kind_tags and options.kind_tags[key] != kind:
            log.note(
                post.tags_line, f"tag {tag!r} names a kind too; the first kind tag wins, {kind!r}"
            )
        tags.append(tag)

    options_block: list[tuple[str, str]] = [("id", post.name.slug)]
    if kind:
        options_block.append(("kind", yaml_scalar(kind)))
    if post.case_date:
        options_block.append(("date", yaml_scalar(str(post.case_date))))
    options_block.append(("published", yaml_scalar(post.published)))
    if tags:
        options_block.append(("tags", yaml_scalar(", ".join(tags))))
    if sources:
        options_block.append(("source", yaml_lines(sources)))
    if see_also:
        options_block.append(("see-also", yaml_scalar(", ".join(see_also))))

    body = [*quote, *([""] if quote and context else []), *context]
    colon_runs = [len(m[1]) for line in body if (m := re.match(r"[ \t>]*(:{3,})", line))]
    fence = ":" * max(4, max(colon_runs, default=0) + 1)
    lines = [
        f"% Imported from the Jekyll post {post.name.path.name} by sphinx-caselog import-jekyll.",
        "% Its front matter, as written:",
        "% ---",
        *(f"% {line}" if line else "%" for line in post.front_matter),
        "% ---",
        "",
        f"# {markdown_text(title)}",
        "",
        f"{fence}{{case}}",
        "---",
        *(f"{key}: {value}" for key, value in options_block),
        "---",
        *body,
        fence,
    ]
    text = "\n".join(lines) + "\n"
    meant = Syntax(
        +Counter(
            {
                "case": 1,
                "rubric": len(markdown.targets_written) + markdown.unlabelled,
                "code-block": len(liquid.own_fences),
            }
        ),
        +Counter({"case:ref": markdown.rewriter.roles}),
        markdown.targets_written,
    )
    found = myst_syntax(text)
    if found != meant:
        log.error(
            None,
            f"the page would hold MyST syntax the post does not have ({unmeant(found, meant)}): "
            "nothing is written for it; please report this post",
        )
        return None
    return Page(post, text)


def render_index(years: Sequence[str]) -> str:
    entries = "\n".join(f"{YEARS_DIR}/{year}" for year in years)
    return (
        "# Case log\n\n"
        "The cases imported from Jekyll, by the year each case happened.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"
    )


def render_year(title: str, slugs: Sequence[str]) -> str:
    entries = "\n".join(f"../{slug}" for slug in slugs)
    return f"# {title}\n\n```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"


def year_pages(pages: Sequence[Page]) -> dict[str, tuple[str, list[str]]]:
    """Year page name → (title, case slugs newest first); undated cases last."""
    by_year: defaultdict[str, list[Page]] = defaultdict(list)
    for page in pages:
        date = page.post.case_date
        by_year[f"{date.year:04d}" if date else "undated"].append(page)

    def newest_first(page: Page) -> tuple[int, str]:
        date = page.post.case_date
        return (-(date.first_day.toordinal() if date else 0), page.post.name.slug)

    names = sorted((y for y in by_year if y != "undated"), reverse=True)
    if "undated" in by_year:
        names.append("undated")
    return {
        name: (
            "Undated" if name == "undated" else name,
            [p.post.name.slug for p in sorted(by_year[name], key=newest_first)],
        )
        for name in names
    }


# -- the check: no MyST syntax the importer didn't mean ---------------------------------------


class Syntax(NamedTuple):
    """What MyST reads as syntax in a page: directives (by name), roles, targets."""

    directives: Counter[str]
    roles: Counter[str]
    targets: list[str]


#: myst-parser's own Markdown parser, with the one extension the pages need.
_MYST = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)


def _directive_body(first_line: str, content: str) -> str:
    """A ``case`` directive's body as MyST hands it to ``nested_parse``: its content
    re-split with ``str.splitlines()``, the options block taken off."""

    class AnyOptions(Directive):
        has_content = True
        option_spec = dict.fromkeys(_CASE_OPTIONS, directives.unchanged)

    result = parse_directive_text(AnyOptions, first_line, content, validate_options=False)
    return "\n".join(result.body)


_CASE_OPTIONS = ("id", "kind", "date", "published", "tags", "source", "see-also", "title")


def unmeant(found: Syntax, meant: Syntax) -> str:
    """What MyST reads beyond what the importer wrote, for a message."""
    extra = sorted(
        {f"{{{n}}}" for n in found.directives - meant.directives}
        | {f"{{{n}}}" for n in found.roles - meant.roles}
        | {f"({t})=" for t in set(found.targets) - set(meant.targets)}
    )
    return ", ".join(extra) or "a construct counted differently"


def myst_syntax(text: str) -> Syntax:
    """The directives, roles and targets MyST reads in *text*, and in the bodies of the
    ``case`` directives in it, as MyST reads those when it runs them."""
    found = Syntax(Counter(), Counter(), [])

    def walk(source: str, *, inline: bool = False) -> None:
        for token in _MYST.parseInline(source) if inline else _MYST.parse(source):
            info = token.info.strip()
            if token.type in ("fence", "colon_fence") and info.startswith("{") and "}" in info:
                name, _, first_line = info[1:].partition("}")
                found.directives[name] += 1
                if name == "case":
                    walk(_directive_body(first_line.strip(), token.content))
                elif name == "rubric":  # its argument is inline text, roles and all
                    walk(first_line.strip(), inline=True)
            elif token.type == "myst_target":
                found.targets.append(token.content)
            for child in token.children or []:
                if child.type == "myst_role":
                    found.roles[str(child.meta["name"])] += 1

    walk(text)
    return found
