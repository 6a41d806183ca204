"""Is the quote in the source? Text extraction, normalisation and matching.

No Sphinx here, and no network: :func:`extract_text` turns a fetched body into
text (HTML with inscriptis, PDF with pypdf), :func:`normalise` makes two texts
comparable while remembering where each character came from, and
:func:`match_quote` looks for every paragraph of a quote, ``[...]`` and ``…``
being gaps, with rapidfuzz scoring how far a quote that is not there drifted.

The three libraries are the optional ``quotecheck`` extra, imported only here
and only when used; :func:`missing_dependencies` says which are absent.
"""

from __future__ import annotations

import importlib.util
import io
import re
import unicodedata
from typing import Literal, NamedTuple
from urllib.parse import quote as percent_encode

#: import name → the distribution to install
DEPENDENCIES = {"inscriptis": "inscriptis", "pypdf": "pypdf", "rapidfuzz": "rapidfuzz"}
INSTALL_HINT = "pip install 'sphinx-caselog[quotecheck]'"

Status = Literal["found", "drifted", "not found"]

_APOSTROPHES = "\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a`\u00b4"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_TYPOGRAPHY = str.maketrans(
    {**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_DOUBLE_QUOTES, '"')}
    | dict.fromkeys(_DASHES, "-")
)
#: Soft hyphens and zero-width characters: invisible, and they split words for a search.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
#: ``[...]``, ``[…]`` and a bare ``…`` (NFKC has made every ellipsis three dots by then).
_GAP = re.compile(r"\[\s*\.\s*\.\s*\.\s*\]|\.\.\.")
_SIMPLE = re.compile(r"[ !-,.-~]+")
_SPACE_RUN = re.compile(r"  +")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def missing_dependencies() -> list[str]:
    """The distributions of the ``quotecheck`` extra that are not installed."""
    return [dist for name, dist in DEPENDENCIES.items() if importlib.util.find_spec(name) is None]


class ExtractionError(Exception):
    """A body that can't be read as text; the message says why."""


# -- extraction ----------------------------------------------------------------------


def extract_text(body: bytes, content_type: str) -> str:
    """The text of an HTML page, a PDF or a plain-text file."""
    mime = content_type.partition(";")[0].strip().lower()
    if body.lstrip()[:5] == b"%PDF-" or mime == "application/pdf":
        return pdf_text(body)
    if mime in {"text/html", "application/xhtml+xml"} or (not mime and body.lstrip()[:1] == b"<"):
        return html_text(body, content_type)
    if mime.startswith("text/"):
        return decode(body, content_type)
    raise ExtractionError(f"can't read {mime or 'a body with no content type'}")


def decode(body: bytes, content_type: str) -> str:
    """Bytes → text: the header's charset, else a ``<meta charset>``, else UTF-8, else cp1252."""
    match = re.search(r"charset\s*=\s*[\"']?([\w-]+)", content_type, re.IGNORECASE)
    meta = _META_CHARSET.search(body[:4096])
    for charset in (match[1] if match else None, meta[1].decode() if meta else None, "utf-8"):
        if charset:
            try:
                return body.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    return body.decode("cp1252", errors="replace")


def html_text(body: bytes, content_type: str = "") -> str:
    """The text a reader sees, with blocks on their own lines (inscriptis knows CSS display)."""
    from inscriptis import get_text  # noqa: PLC0415 (the optional extra)

    try:
        text: str = get_text(decode(body, content_type))
        return text
    except Exception as err:  # a parser failure on hostile markup is the page's problem
        raise ExtractionError(f"HTML that can't be read: {err}") from err


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader  # noqa: PLC0415 (the optional extra)

    try:
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as err:  # pypdf raises many types for damaged files
        raise ExtractionError(f"PDF that can't be read: {err}") from err


# -- normalisation -------------------------------------------------------------------


class Normalised(NamedTuple):
    """Text made comparable; ``origin[i]`` is where its character *i* came from."""

    text: str
    origin: list[int]
    source: str

    def original(self, start: int, end: int) -> str:
        """The source text behind ``text[start:end]``, whitespace collapsed."""
        if start >= end:
            return ""
        return " ".join(self.source[self.origin[start] : self.origin[end - 1] + 1].split())


def normalise(text: str) -> Normalised:
    """NFKC, casefolded, typographic quotes and dashes made ASCII, soft hyphens and
    zero-width characters dropped, every run of whitespace one space (none around a
    dash, which quotes and pages space differently)."""
    out: list[str] = []
    origin: list[int] = []
    space = True  # no leading space
    index = 0
    length = len(text)
    while index < length:
        # Fast path: plain ASCII (less the dash) and single spaces only lowercase.
        simple = _SIMPLE.match(text, index)
        end = simple.end() if simple is not None else index
        if end < length and unicodedata.combining(text[end]):
            end -= 1  # the last letter composes with the mark: the slow path takes it
        if end > index:
            if space:
                while index < end and text[index] == " ":
                    index += 1
            if index < end:
                # Runs of spaces become one (the first, so positions stay exact).
                for run in _SPACE_RUN.finditer(text, index, end):
                    out.append(text[index : run.start() + 1].lower())
                    origin.extend(range(index, run.start() + 1))
                    index = run.end()
                if index < end:
                    out.append(text[index:end].lower())
                    origin.extend(range(index, end))
                space = out[-1].endswith(" ")
            index = end
            continue
        # A base character with its combining marks, so that NFKC can compose them.
        end = index + 1
        while end < length and unicodedata.combining(text[end]):
            end += 1
        chunk = unicodedata.normalize("NFKC", text[index:end]).casefold().translate(_TYPOGRAPHY)
        for char in chunk:
            if char in _INVISIBLE:
                continue
            if char == "-" and out and out[-1].endswith(" "):
                out[-1] = out[-1][:-1]  # "a - b", "a—b" and "a -b" are one spelling
                origin.pop()
            if char.isspace():
                if not space:
                    out.append(" ")
                    origin.append(index)
                    space = True
                continue
            out.append(char)
            origin.append(index)
            space = char == "-"  # no space after a dash either
        index = end
    if out and out[-1].endswith(" "):
        out[-1] = out[-1][:-1]
        origin.pop()
    normalised = "".join(out)
    assert len(normalised) == len(origin)
    return Normalised(normalised, origin, text)


def quote_segments(paragraph: str) -> list[str]:
    """The normalised pieces of one quote paragraph between its gaps."""
    pieces = (piece.strip(" ,;:") for piece in _GAP.split(normalise(paragraph).text))
    return [piece for piece in pieces if any(c.isalnum() for c in piece)]


# -- matching ------------------------------------------------------------------------


class Match(NamedTuple):
    status: Status
    score: float  # 100 for found; the worst segment's best fuzzy score otherwise
    snippet: str  # the source text matched (for drifted: where the worst segment drifted)
    fragment: str | None  # a text directive, ``start,end``, for found quotes


def match_quote(quote: str, text: Normalised, threshold: float) -> Match:
    """Look for each paragraph of *quote* (paragraphs split by blank lines) in *text*.

    Within a paragraph the segments between gaps must come in order. Found: every
    segment is in the text. Otherwise each missing segment is scored with
    rapidfuzz's ``partial_ratio`` (the best-matching window of the text), and the
    worst score decides: at least *threshold* is drifted, below it not found.
    """
    from rapidfuzz import fuzz  # noqa: PLC0415 (the optional extra)

    spans: list[tuple[int, int]] = []
    worst: tuple[float, int, int] | None = None
    for paragraph in quote.split("\n\n"):
        position = 0
        for segment in quote_segments(paragraph):
            start = text.text.find(segment, position)
            if start >= 0:
                position = start + len(segment)
                spans.append((start, position))
                continue
            alignment = fuzz.partial_ratio_alignment(segment, text.text)
            score = alignment.score if alignment is not None else 0.0
            if worst is None or score < worst[0]:
                worst = (
                    (score, alignment.dest_start, alignment.dest_end) if alignment else (0, 0, 0)
                )
    if worst is None:
        if not spans:
            return Match("not found", 0.0, "", None)
        start, end = spans[0][0], spans[-1][1]
        return Match("found", 100.0, text.original(start, end)[:300], fragment(text, spans))
    score, start, end = worst
    # The window rapidfuzz found may start or end mid-word; show whole words.
    start = text.text.rfind(" ", 0, start) + 1
    end = text.text.find(" ", end) % (len(text.text) + 1)  # -1 (no space) → the end
    status: Status = "drifted" if score >= threshold else "not found"
    return Match(status, round(score, 1), text.original(start, end)[:300], None)


def fragment(text: Normalised, spans: list[tuple[int, int]], words: int = 4) -> str:
    """A text fragment directive (``#:~:text=`` + this) that highlights the quote.

    Built from the source's own words at the match, so typographic quotes stay as
    the page has them; ``start,end`` when the quote is long, else the whole of it.
    """
    first, last = spans[0], spans[-1]
    if last[1] <= first[0]:
        last = first
    whole = text.original(first[0], last[1]).split()
    if len(whole) <= 2 * words:
        return _encode(" ".join(whole))
    return f"{_encode(' '.join(whole[:words]))},{_encode(' '.join(whole[-words:]))}"


def _encode(text: str) -> str:
    # '-', ',' and '&' are the syntax of a text directive: they must be escaped too.
    return percent_encode(text, safe="").replace("-", "%2D")
