"""The one URL policy of the package: reading, judging and writing URLs.

Pure Python, no Sphinx. Every URL that comes from a user (a source line, a link in
a case, a post being imported) is read here, by :func:`parse_url`, which never
raises: :func:`urllib.parse.urlsplit` and its ``hostname`` reject real pasted URLs
(``https://example.org]/x``, ``https://[foo]/x``) with ValueError, and one wrapper
is the only defence that can't be forgotten. Every URL the package *writes* for a
document goes through :func:`docname_url`, so a ``#`` or ``?`` in a file name
cannot cut it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import NamedTuple
from urllib.parse import SplitResult, quote, unquote, urlsplit

#: Longer text is not a URL anyone pasted; it is refused before any decoding
#: (decoding is linear, but a warning should not quote megabytes).
MAX_URL_LENGTH = 8192
#: Nested encodings (``%2525…``) hide a scheme one level per round; past this
#: many rounds the text is refused rather than decoded in quadratic time.
MAX_DECODE_ROUNDS = 8
SAFE_SCHEMES = frozenset({"http", "https"})

_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
# What would end or change a URL path if written raw (non-ASCII letters are kept:
# browsers and Sphinx's own links show them as they are).
_URL_UNSAFE = re.compile(r'[\x00-\x20\x7f-\x9f"#%<>?\\^`{|}]')


class Url(NamedTuple):
    """A URL safe to link: absolute http(s), with a host a browser would accept."""

    text: str  # as written, less surrounding whitespace
    scheme: str
    host: str  # lowercased, without a leading ``www.``


def split(text: str) -> SplitResult | None:
    """:func:`urllib.parse.urlsplit` that answers None where it would raise.

    ``hostname`` and ``port`` are read here too: they raise lazily, on access.
    """
    try:
        parts = urlsplit(text)
        _ = parts.hostname, parts.port
    except ValueError:
        return None
    return parts


def reveal(text: str) -> str | None:
    """The URL as a browser would read it, after the tricks used to hide a scheme.

    Entities and percent-escapes are decoded (repeatedly: nested encodings are a
    known trick), Unicode is NFKC-folded (a full-width bracket is ``]``), whitespace
    and control characters are dropped, and the result is lowercased. None when
    the nesting is deeper than :data:`MAX_DECODE_ROUNDS`.
    """
    previous = None
    for _round in range(MAX_DECODE_ROUNDS):
        if text == previous:
            break
        previous = text
        text = unquote(html.unescape(text))
    else:
        if text != previous:
            return None
    return _CONTROL_OR_SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def url_scheme(url: str) -> str:
    """The scheme a browser would see; ``//`` for protocol-relative, ``""`` for none."""
    text = reveal(url[:MAX_URL_LENGTH])
    if text is None:
        return ""
    if text.startswith("//"):
        return "//"  # protocol-relative: takes whatever scheme the page has
    parts = split(text)
    return parts.scheme if parts is not None else ""


def parse_url(text: str) -> Url | None:
    """The safe URL *text* is, or None: never raises, linear in the length.

    Safe means: an http(s) scheme once every disguise is removed, and a host that
    both the URL as written and the URL as revealed agree is valid (the revealed
    form catches ``example.org%5D`` and ``&#58;`` tricks).
    """
    written = text.strip()
    if not written or len(written) > MAX_URL_LENGTH:
        return None
    revealed = reveal(written)
    if revealed is None or revealed.startswith("//"):
        return None
    shown, real = split(written), split(revealed)
    if shown is None or real is None or real.scheme not in SAFE_SCHEMES:
        return None
    if not shown.hostname or not real.hostname:
        return None
    return Url(written, real.scheme, shown.hostname.lower().removeprefix("www."))


def is_safe_url(url: str) -> bool:
    """True for an absolute http(s) URL with a valid host, and nothing else."""
    return parse_url(url) is not None


def url_host(url: str) -> str:
    """The host of *url* without a leading ``www.``; ``""`` when it has none."""
    parsed = parse_url(url)
    return parsed.host if parsed is not None else ""


def docname_url(path: str) -> str:
    """A document's output path as a URL path: ``#``, ``?``, ``%``, spaces escaped.

    Sphinx's own target URIs are not escaped; a URL the package writes (the
    export, feeds, dirhtml links) goes through here, once.
    """
    return _URL_UNSAFE.sub(lambda m: quote(m[0], safe=""), path)


def excerpt(text: str, length: int = 80) -> str:
    """At most *length* characters of *text* for a message, marked where cut."""
    return text if len(text) <= length else text[: length - 1] + "…"
