"""Extraction, normalisation and matching of quotes, on text shaped like real sources."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loopback import pdf_document

from sphinx_caselog.quotes import (
    _INVISIBLE,
    _TYPOGRAPHY,
    ExtractionError,
    extract_text,
    match_quote,
    missing_dependencies,
    normalise,
    quote_segments,
)

COURT_PAGE = """<!DOCTYPE html><html><head><meta charset="windows-1252"></head><body>
<div class="nav">Judgment</div>
<p>94&nbsp;&nbsp;In particular, legislation permitting the public authorities to have access
on a generalised basis to the content of electronic communications must be re\xadgarded as
compromising the essence of the fundamental right to respect for private life, as guaranteed
by Article&nbsp;7 of the Charter \u2014 see, to that effect, <i>Digital Rights</i>.</p>
<p>The Court\u2019s answer is \u201cno\u201d.</p>
</body></html>""".encode("cp1252")


def test_html_text_reads_entities_charsets_and_blocks() -> None:
    text = extract_text(COURT_PAGE, "text/html")
    assert "The Court\u2019s answer is \u201cno\u201d." in text
    assert "Judgment\n" in text  # a block is its own line: words of two blocks never glue


def test_pdf_text() -> None:
    body = pdf_document("Pervasive Monitoring Is an Attack", "PM is an attack on privacy.")
    assert extract_text(body, "application/octet-stream").splitlines() == [
        "Pervasive Monitoring Is an Attack",
        "PM is an attack on privacy.",
    ]


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"%PDF-1.4 broken", "application/pdf", "PDF that can't be read"),
        (b"\x89PNG\r\n", "image/png", "can't read image/png"),
    ],
)
def test_bodies_that_are_not_text(body: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract_text(body, content_type)


def test_normalisation() -> None:
    assert normalise(
        " \u201cIt\u2019s\u201d \u2014 a re\u00adgarded\u200b ﬁle\u00a0 STRASSE "
    ).text == ('"it\'s"-a regarded file strasse')
    # a combining accent composes with its letter: NFD and NFC spell one word
    assert normalise("cafe\u0301").text == normalise("caf\u00e9").text == "caf\u00e9"


def test_origin_points_back_into_the_source() -> None:
    text = normalise("Intro.  The \u201cQuote\u201d here.")
    start = text.text.index('"quote"')
    assert text.original(start, start + len('"quote"')) == "\u201cQuote\u201d"


def test_gaps_split_a_paragraph() -> None:
    assert quote_segments("[...] one two [\u2026] three\u2026 four [ . . . ]") == [
        "one two",
        "three",
        "four",
    ]


def court() -> object:
    return normalise(extract_text(COURT_PAGE, "text/html"))


def test_found_through_gaps_typography_and_soft_hyphens() -> None:
    quote = (
        "[...] legislation permitting the public authorities to have access on a generalised "
        "basis to the content of electronic communications must be regarded as compromising "
        "the essence of the fundamental right to respect for private life [...]"
        '\n\nThe Court\'s answer is "no".'
    )
    match = match_quote(quote, court(), 85)  # type: ignore[arg-type]
    assert (match.status, match.score) == ("found", 100.0)
    start, _, end = match.fragment.partition(",")  # type: ignore[union-attr]
    assert unquote(start) == "legislation permitting the public"
    assert (
        unquote(end) == "Court\u2019s answer is \u201cno\u201d."
    )  # the page's own quotes, for the browser


def test_segments_must_come_in_order() -> None:
    quote = "the essence of the fundamental right [...] legislation permitting the public"
    assert match_quote(quote, court(), 85).status != "found"  # type: ignore[arg-type]


def test_an_altered_word_drifts_with_its_score_and_snippet() -> None:
    quote = "legislation permitting the public authorities to have access on a limited basis"
    match = match_quote(quote, court(), 85)  # type: ignore[arg-type]
    assert match.status == "drifted" and 85 <= match.score < 100
    assert match.snippet.startswith("legislation permitting the public authorities")
    assert match.fragment is None


def test_a_quote_from_elsewhere_is_not_found() -> None:
    quote = "Pervasive monitoring is a technical attack that should be mitigated in the design."
    match = match_quote(quote, court(), 85)  # type: ignore[arg-type]
    assert match.status == "not found" and match.score < 85


def test_a_short_quote_is_one_fragment() -> None:
    match = match_quote("The Court\u2019s answer", court(), 85)  # type: ignore[arg-type]
    assert match.fragment == "The%20Court%E2%80%99s%20answer"


def test_the_extra_is_installed_for_the_tests() -> None:
    assert missing_dependencies() == []


def slow_normalise(text: str) -> str:
    """The definition, one character at a time: what the fast paths must agree with."""
    out: list[str] = []
    space = True
    index = 0
    while index < len(text):
        end = index + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        chunk = unicodedata.normalize("NFKC", text[index:end]).casefold().translate(_TYPOGRAPHY)
        for char in chunk:
            if char in _INVISIBLE:
                continue
            if char == "-" and out and out[-1] == " ":
                out.pop()
            if char.isspace():
                if not space:
                    out.append(" ")
                    space = True
                continue
            out.append(char)
            space = char == "-"
        index = end
    return "".join(out).removesuffix(" ")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aB -.\t\n\u00ad\u2014\u201c\u0301e\u00e9\ufb01 ", max_size=40))
def test_the_fast_paths_agree_with_the_definition(text: str) -> None:
    normalised = normalise(text)
    assert normalised.text == slow_normalise(text)
    assert len(normalised.origin) == len(normalised.text)
    assert normalised.origin == sorted(normalised.origin)  # positions only move forward
