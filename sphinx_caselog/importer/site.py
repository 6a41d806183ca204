"""The batch as a whole: each post's case id, and the link index links resolve against.

Case ids are the file name's slug, made unique over the batch (:func:`assign_ids`): an
annual post (``2023-05-08-award.md``, ``2024-01-12-award.md``) gets the year, then the
date, as a suffix, so nothing is refused for a shared slug. The :class:`Site` maps
every way a post is linked to (``{% post_url %}``, its dated URL, its permalink, a tag
page, a heading's ``#id``) to the case id or label the page gets.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote, urljoin

from ..slugs import slugify
from ..urls import is_safe_url
from ..urls import split as split_url
from .base import Message
from .frontmatter import Post
from .posts import PostName

#: Page names a case can't take in the output folder: the importer's own index, and
#: the pages Sphinx and the ``case`` domain generate when the folder is the project root.
RESERVED_NAMES = frozenset(
    {"index", "genindex", "search", "py-modindex", "case-tags", "case-sources", "case-timeline"}
)
#: Links to another imported post are written with this scheme until they become
#: ``{case:ref}`` roles (so the Liquid pass and the Markdown pass can stay apart).
POST_SCHEME = "caselog-post:"

_DATE_PATH = re.compile(
    r"(?:.*/)?(?P<y>[0-9]{4})/(?P<m>[0-9]{2})/(?P<d>[0-9]{2})/(?P<slug>[^/]+?)(?:\.html?)?/?"
)
_TAG_PATH = re.compile(r"(?:.*/)?tags?/(?P<slug>[^/]+?)(?:\.html?|/|/index\.html?)?")
_JEKYLL_SLUG_JUNK = re.compile(r"[\W_]+")


def assign_ids(names: Sequence[PostName]) -> tuple[list[PostName], list[Message]]:
    """Each post with a case id of its own, and a note for every id that isn't the slug.

    Among posts sharing a slug (or taking a reserved page name), the oldest keeps the
    slug; each other gets ``-YYYY``, else ``-YYYY-MM-DD``, else a number: stable, as
    it depends only on the names, and adding a newer post renames nothing.
    """
    groups: defaultdict[str, list[PostName]] = defaultdict(list)
    for name in names:
        groups[name.slug].append(name)
    taken = {slug for slug in groups if slug not in RESERVED_NAMES}
    ids: dict[str, str] = {}  # file → case id
    notes: list[Message] = []
    for slug, group in sorted(groups.items()):
        group.sort(key=lambda n: (n.date, n.stem, n.file))
        for index, name in enumerate(group):
            if index == 0 and slug not in RESERVED_NAMES:
                ids[name.file] = slug
                continue
            candidates = [f"{slug}-{name.date[:4]}", f"{slug}-{name.date}"]
            number = 2
            while all(c in taken for c in candidates):
                candidates.append(f"{slug}-{name.date}-{number}")
                number += 1
            case_id = next(c for c in candidates if c not in taken)
            taken.add(case_id)
            ids[name.file] = case_id
            why = (
                f"the page name {slug!r} is reserved for a generated page"
                if slug in RESERVED_NAMES
                else f"the slug {slug!r} is also {group[0].path.name}'s"
            )
            notes.append(
                Message("note", name.file, 1, f"{why}: this case's id and page are {case_id!r}")
            )
    return [name._replace(slug=ids[name.file]) for name in names], notes


def jekyll_tag_slug(tag: str) -> str:
    """Jekyll's default ``slugify``: Unicode letters kept, lowercased, the rest '-'."""
    return _JEKYLL_SLUG_JUNK.sub("-", unicodedata.normalize("NFC", tag).lower()).strip("-")


def _path_key(path: str) -> str:
    """A URL path as compared: unquoted, without index.html, .html or a trailing '/'."""
    path = unquote(path).casefold()
    path = path.removesuffix("index.html").removesuffix(".html").rstrip("/")
    return path or "/"


def page_title(post: Post) -> str:
    """The title as written, or Jekyll's own fallback (the slug, titleized)."""
    if post.title and post.title.strip():
        return " ".join(post.title.split())
    return " ".join(word.capitalize() for word in post.name.jekyll_slug.split("-") if word)


class SiteUrl(NamedTuple):
    origin: str  # "https://example.org"
    path: str  # "/blog" or ""
    host: str  # lowercased, without www.

    @classmethod
    def parse(cls, url: str) -> SiteUrl | None:
        parts = split_url(url.strip())
        if parts is None:
            return None
        host = (parts.hostname or "").lower()
        origin = f"{parts.scheme.lower()}://{parts.netloc}"
        return cls(origin, parts.path.rstrip("/"), host.removeprefix("www."))


class Target(NamedTuple):
    """What a link into the batch points to: a case, and maybe a label in its page."""

    case_id: str
    label: str | None  # the label of a heading, when the link has a #fragment that names one
    fragment: str  # the fragment as written, "" for none


@dataclass(frozen=True)
class Site:
    """The batch as links see it: posts by name, URL and permalink; tags by slug; the
    headings of each post by the ``#id`` Jekyll gave them."""

    stems: Mapping[str, str]  # casefolded "2014-05-01-slug" → case id
    dated: Mapping[tuple[str, str], str]  # (YYYY-MM-DD, casefolded Jekyll slug) → case id
    permalinks: Mapping[str, str]  # _path_key(permalink) → case id
    tags: Mapping[str, str]  # tag slug (ours and Jekyll's) → tag as first written
    titles: Mapping[str, str]  # case id → title
    anchors: Mapping[str, Mapping[str, str]]  # case id → {Jekyll's heading id → label}
    url: SiteUrl | None

    def host_path(self, url: str) -> str | None:
        """The path of a link into the site: site-relative as written, or absolute under
        ``--site-url``; None for any other link."""
        parts = split_url(url)
        if parts is None:
            return None
        if url.startswith("/") and not url.startswith("//"):
            return parts.path
        if self.url is None or not is_safe_url(url):
            return None
        host = (parts.hostname or "").lower().removeprefix("www.")
        if host != self.url.host:
            return None
        return parts.path or "/"

    def _candidates(self, path: str) -> list[str]:
        """The path, and the path without the site's base path."""
        paths = [path]
        if self.url and self.url.path and path.startswith(self.url.path + "/"):
            paths.append(path[len(self.url.path) :])
        return paths

    def post_for(self, url: str) -> str | None:
        """The case id a link points to, if it points to a post of the batch."""
        target = self.target(url)
        return target.case_id if target else None

    def target(self, url: str) -> Target | None:
        """Where a link into the batch points: the case, and the label its fragment names."""
        found = None
        base, _, fragment = url.partition("#")
        if base.startswith(POST_SCHEME):
            found = base[len(POST_SCHEME) :]
        elif (path := self.host_path(base)) is not None:
            found = self._post_at(path)
        if found is None:
            return None
        return Target(found, self.label(found, fragment), fragment)

    def label(self, case_id: str, fragment: str) -> str | None:
        """The label the importer writes for the heading *fragment* names, if one does."""
        return self.anchors.get(case_id, {}).get(unquote(fragment)) if fragment else None

    def _post_at(self, path: str) -> str | None:
        for candidate in self._candidates(path):
            key = _path_key(candidate)
            if key in self.permalinks:
                return self.permalinks[key]
            match = _DATE_PATH.fullmatch(unquote(candidate))
            if match:
                found = self.dated.get(
                    (f"{match['y']}-{match['m']}-{match['d']}", match["slug"].casefold())
                )
                if found:
                    return found
        return None

    def tag_for(self, url: str) -> tuple[str, bool] | None:
        """(tag name, whether it is a tag of the batch) for a link to a tag page."""
        path = self.host_path(url)
        if path is None:
            return None
        for candidate in self._candidates(path):
            match = _TAG_PATH.fullmatch(candidate)
            if match:
                slug = unquote(match["slug"])
                name = self.tags.get(slug.casefold())
                return (name, True) if name else (slug, False)
        return None

    def absolute(self, url: str) -> str | None:
        """A site-relative link made absolute with ``--site-url``."""
        if self.url is None or not url.startswith("/") or url.startswith("//"):
            return None
        return urljoin(self.url.origin + "/", url)


def build_site(
    names: Sequence[PostName],
    posts: Sequence[Post],
    site_url: str | None,
    anchors: Mapping[str, Mapping[str, str]] | None = None,
) -> Site:
    """The link index of a batch: every named post is a target, even one refused for its
    content, so that links to it work once it is fixed and imported again."""
    stems = {n.stem.casefold(): n.slug for n in names}
    dated = {(n.date, n.jekyll_slug.casefold()): n.slug for n in names}
    permalinks: dict[str, str] = {}
    tags: dict[str, str] = {}
    titles: dict[str, str] = {}
    for post in posts:
        # Jekyll's URL uses the front matter's date and slug, which may differ from the
        # file name's.
        for date in (post.name.date, post.published[:10]):
            dated.setdefault((date, post.url_slug.casefold()), post.name.slug)
        if post.permalink:
            permalinks.setdefault(_path_key(post.permalink), post.name.slug)
        titles[post.name.slug] = page_title(post)
        for tag in post.tags:
            if "," in tag:
                continue  # can't be a :tags: entry, so it can't be a see-also target either
            for slug in (slugify(tag), jekyll_tag_slug(tag)):
                if slug:
                    tags.setdefault(slug.casefold(), tag)
    url = SiteUrl.parse(site_url) if site_url else None
    return Site(stems, dated, permalinks, tags, titles, dict(anchors or {}), url)
