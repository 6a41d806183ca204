"""The one slug and tag-normalisation policy, shared by tags, case ids, anchors and pages.

Pure functions, no Sphinx. A *tag key* is how a tag is compared (NFC, casefolded,
whitespace collapsed); a *slug* is how anything is named in a URL or an anchor
(lowercase ASCII letters, digits and ``-``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

_WHITESPACE = re.compile(r"\s+")
# Invisible format characters that PDFs and word processors paste into text: the soft
# hyphen, zero-width space, word joiner, byte-order mark, bidirectional marks and
# embeddings. (Not the zero-width joiners U+200C/U+200D, which emoji sequences need.)
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def visible(text: str) -> str:
    """*text* without the invisible format characters pasted text carries."""
    return _INVISIBLE.sub("", text)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Letters that NFKD does not decompose into ASCII + combining marks.
_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "\N{LATIN SMALL LETTER DOTLESS I}": "i",
    }
)


def tag_key(text: str) -> str:
    """Normalise a tag for comparison: idempotent, and equal for NFC/NFD and case variants."""
    # NFC before and after casefold: casefolding can produce decomposed text
    # (e.g. "İ" → "i̇"), and the key must be a fixed point of this function.
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", visible(text)).casefold())
    return _WHITESPACE.sub(" ", folded).strip()


def display_name(text: str) -> str:
    """A tag as shown to readers: NFC, whitespace collapsed, case kept."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", visible(text))).strip()


def slugify(text: str) -> str:
    """The base slug of *text*: may be empty, and is not injective on its own."""
    # NFKD first, so letter-like symbols (double-struck, bold) become letters first.
    folded = unicodedata.normalize("NFKD", visible(text)).casefold().translate(_TRANSLITERATE)
    decomposed = unicodedata.normalize("NFKD", folded)
    # Accents go; any other non-slug character (an en dash, ½'s fraction slash)
    # separates words, as a space does.
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_SLUG.sub("-", bare).strip("-")


def short_hash(text: str, length: int = 6) -> str:
    """A stable hash: the same on every run and machine (unlike ``hash()``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


#: A slug names a file (``tags/<slug>.atom`` and a temporary ``.<slug>.atom.<random>.tmp``
#: beside it): far below the 255 bytes file systems allow. Longer ones are cut at a word.
MAX_SLUG_LENGTH = 100


def _short(slug: str) -> str:
    if len(slug) <= MAX_SLUG_LENGTH:
        return slug
    return slug[: MAX_SLUG_LENGTH + 1].rsplit("-", 1)[0][:MAX_SLUG_LENGTH].strip("-")


#: Slugs no key may take plainly: ``index`` is the tag overview's page name.
RESERVED = frozenset({"index"})


def unique_slugs(
    keys: Iterable[str], *, empty: str = "tag", reserved: frozenset[str] = RESERVED
) -> dict[str, str]:
    """Give every key a path-safe slug, injectively over *keys*.

    A key keeps its plain slug when no other key shares it, or when the key *is*
    its slug (so ``c`` stays ``c`` when ``c++`` arrives). Every other key of a
    shared, empty or *reserved* slug gets a short stable hash appended.
    """
    by_base: defaultdict[str, list[str]] = defaultdict(list)
    for key in sorted(set(keys)):
        by_base[_short(slugify(key))].append(key)
    result: dict[str, str] = {}
    taken = {base for base in by_base if base} | reserved
    for base, group in sorted(by_base.items()):
        for key in group:
            if base and base not in reserved and (len(group) == 1 or key == base):
                result[key] = base
                continue
            length = 6
            slug = f"{base or empty}-{short_hash(key, length)}"
            while slug in taken:  # astronomically rare, but injectivity is promised
                length += 2
                slug = f"{base or empty}-{short_hash(key, length)}"
            taken.add(slug)
            result[key] = slug
    return result
