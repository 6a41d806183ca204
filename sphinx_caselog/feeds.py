"""Atom feeds (RFC 4287): ``cases.atom`` for the log, and ``tags/<slug>.atom`` per tag.

Written by the html and dirhtml builders when ``html_baseurl`` is set (Atom ids
and links must be absolute). Each entry links its case (``alternate``) and the
case's original sources (``related``). Built with ``xml.etree.ElementTree``, never by
string concatenation, and with no clock: a feed's ``updated`` is its newest
entry's, so two builds of the same sources give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .domain import case_domain
from .export import case_url, page_url
from .freshness import freshness, write_if_changed
from .warnings_ import logger

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .domain import CaseDomain
    from .model import CaseRecord

ATOM = "http://www.w3.org/2005/Atom"
SITE_FEED = "cases.atom"
#: the freshness key of each feed is this and its path
FEED_KEY = "feed "
#: ``updated`` of a feed with no entries: a fixed instant, never the build time
EMPTY_FEED_UPDATED = "1970-01-01T00:00:00Z"


def entry_time(record: CaseRecord) -> str | None:
    """RFC 3339 time of a case: ``:published:``, else ``:date:``; None for neither.

    A day without a time is midnight UTC, a partial date its first day; a time
    written without an offset is taken as UTC.
    """
    if record.published:
        if "T" not in record.published:
            return f"{record.published}T00:00:00Z"
        instant = dt.datetime.fromisoformat(record.published)
        return record.published if instant.tzinfo else f"{record.published}Z"
    if record.date:
        return f"{record.date.first_day.isoformat()}T00:00:00Z"
    return None


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def newest(records: Any, length: int) -> list[tuple[CaseRecord, str]]:
    """The *length* newest cases with their times; ties by id, so the order is total."""
    timed = [(r, t) for r in records if (t := entry_time(r)) is not None]
    timed.sort(key=lambda pair: (-_instant(pair[1]).timestamp(), pair[0].id))
    return timed[:length]


#: Characters XML 1.0 forbids even escaped; ElementTree would write them and
#: produce a feed no reader can parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrib.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


class FeedWriter:
    """Absolute URLs for one builder and ``html_baseurl``, and the feeds made with them."""

    def __init__(self, domain: CaseDomain, builder: Builder, baseurl: str) -> None:
        self.domain = domain
        self.builder = builder
        self.baseurl = baseurl.rstrip("/") + "/"

    def url(self, path: str) -> str:
        return self.baseurl + path

    def feed(self, title: str, feed_path: str, page_path: str, records: Any) -> bytes:
        catalogue = self.domain.catalogue
        config = self.builder.config
        entries = newest(records, self.domain.config.feed_length)
        # The Atom namespace as the default one, declared on the root (rather than
        # ET.register_namespace, which would change a process-wide registry).
        feed = ET.Element("feed", xmlns=ATOM)
        _sub(feed, "id", self.url(feed_path))
        _sub(feed, "title", title)
        _sub(feed, "updated", entries[0][1] if entries else EMPTY_FEED_UPDATED)
        _sub(feed, "link", rel="self", type="application/atom+xml", href=self.url(feed_path))
        _sub(feed, "link", rel="alternate", type="text/html", href=self.url(page_path))
        author = _sub(feed, "author")
        _sub(author, "name", config.author or config.project)
        _sub(feed, "generator", "sphinx-caselog")
        for record, updated in entries:
            link = self.url(case_url(self.builder, record))
            entry = _sub(feed, "entry")
            _sub(entry, "id", link)
            _sub(entry, "title", record.title)
            _sub(entry, "updated", updated)
            _sub(entry, "link", rel="alternate", type="text/html", href=link)
            for source in dict.fromkeys(s.url for s in record.sources if s.url):
                # The original, never the archived copy: the feed points at the evidence.
                _sub(entry, "link", rel="related", href=source)
            for key in catalogue.tag_keys[record.id]:
                tag = catalogue.tags[key]
                _sub(entry, "category", term=tag.slug, label=tag.title)
            if record.quote:
                said = f"\n\n\N{EM DASH} {record.attribution}" if record.attribution else ""
                _sub(entry, "summary", record.quote + said, type="text")
        ET.indent(feed)
        document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
        return document + b"\n"

    def write(self, path: str, content: bytes) -> None:
        write_if_changed(Path(self.builder.outdir) / path, content.decode("utf-8"))

    def write_feed(self, title: str, feed_path: str, page_path: str, records: Any) -> None:
        """Write one feed, unless what it shows is what the last build's showed."""
        catalogue = self.domain.catalogue
        shown = [
            (record, updated, [catalogue.tags[k][:3] for k in catalogue.tag_keys[record.id]])
            for record, updated in newest(records, self.domain.config.feed_length)
        ]
        path = Path(self.builder.outdir) / feed_path
        if freshness(self.builder).fresh(
            f"{FEED_KEY}{feed_path}", (title, page_path, shown), [path]
        ):
            return
        self.write(feed_path, self.feed(title, feed_path, page_path, records))

    def paths(self) -> list[str]:
        """The feeds :meth:`write_all` writes."""
        tag_pages = self.domain.tag_pages() if self.domain.writes_tag_pages else {}
        return [SITE_FEED, *(f"{pagename}.atom" for pagename in tag_pages)]

    def write_all(self) -> int:
        """The log's feed, and one per tag page; returns how many were written."""
        domain, builder = self.domain, self.builder
        catalogue = domain.catalogue
        project = builder.config.project
        root = page_url(builder, builder.config.root_doc)
        self.write_feed(project, SITE_FEED, root, catalogue.by_id.values())
        count = 1
        if domain.writes_tag_pages:
            for pagename, tag in domain.tag_pages().items():
                feed_path = f"{pagename}.atom"
                title = f"{project}: {tag.title}"
                page = page_url(builder, pagename)
                self.write_feed(title, feed_path, page, tag.cases)
                count += 1
        return count


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write the feeds, or say once (as INFO, not a warning) why not."""
    domain = case_domain(app.env)
    if exception is not None or domain.profile is None or not domain.profile.feeds:
        return
    if not app.config.html_baseurl:
        logger.info("caselog: no Atom feeds written: set html_baseurl to publish them")
        return
    writer = FeedWriter(domain, app.builder, app.config.html_baseurl)
    outdir = Path(app.builder.outdir)
    # not even made again when no document changed since the last build wrote them
    files = [outdir / path for path in writer.paths()]
    state = freshness(app.builder)
    if state.fresh_from_documents("feeds", files):
        state.keep(FEED_KEY)
        return
    count = writer.write_all()
    logger.info("caselog: wrote %d Atom feeds", count)


def link_feeds(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: every page links the log's feed; a tag page its own too."""
    domain = case_domain(app.env)
    if not app.config.html_baseurl or domain.profile is None or not domain.profile.feeds:
        return
    pathto = context["pathto"]
    links = [(app.config.project, SITE_FEED)]
    # Only a real tag page has a feed: not a document that happens to live in tags/.
    tag = domain.tag_pages().get(pagename) if domain.writes_tag_pages else None
    if tag is not None:
        links.append((f"{app.config.project}: {tag.title}", f"{pagename}.atom"))
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" type="application/atom+xml" title="{escape(title)}" '
        f'href="{escape(pathto(path, 1))}" />'
        for title, path in links
    )


def setup_feeds(app: Sphinx) -> None:
    app.connect("build-finished", write_feeds)
    app.connect("html-page-context", link_feeds)
