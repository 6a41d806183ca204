"""The catalogue without Sphinx: periods, order, publisher suffixes, excerpts, resolution.

Pure function tests on hand-made records: milliseconds each, so the rules a listing, an
index and an incremental build all rely on are checked without a build.
"""

from __future__ import annotations

import pytest

from sphinx_caselog.catalogue import Catalogue, Publisher, TagInfo, first_sentence, publisher_for
from sphinx_caselog.model import CaseFilter, CaseRecord, PartialDate, Tag, parse_source
from sphinx_caselog.vocabulary import EMPTY


def record(case_id: str, date: str | None = None, *, title: str = "", tags: str = "",
           sources: tuple[str, ...] = (), quote: str = "", docname: str = "cases",
           lineno: int = 1) -> CaseRecord:  # fmt: skip
    return CaseRecord(
        id=case_id,
        docname=docname,
        lineno=lineno,
        source=f"{docname}.md",
        only=(),
        anchor=case_id,
        title=title or case_id.replace("-", " ").title(),
        kind="ruling",
        date=PartialDate.parse(date) if date else None,
        published=None,
        tags=tuple(Tag.from_text(t) for t in tags.split(",") if t.strip()),
        sources=tuple(parse_source(s) for s in sources),
        attribution=None,
        see_also=(),
        quote=quote,
        context="",
    )


def catalogue(*records: CaseRecord, publishers: dict[str, str] | None = None) -> Catalogue:
    return Catalogue(records, publishers or {}, EMPTY)


# -- periods -------------------------------------------------------------------------------------

PERIOD_CASES = (
    record("y2014", "2014"),
    record("m2014-06", "2014-06"),
    record("d2014-06-30", "2014-06-30"),
    record("d2015-01-01", "2015-01-01"),
    record("undated"),
    record("end-of-time", "9999-12"),
)


@pytest.mark.parametrize(
    ("date_from", "date_until", "expected"),
    [
        ("2014-06-30", None, {"y2014", "m2014-06", "d2014-06-30", "d2015-01-01", "end-of-time"}),
        ("2014-07", "2014-12", {"y2014"}),  # a year covers its every month
        (None, "2014-06-01", {"y2014", "m2014-06"}),  # a month covers its first day
        ("2015", "2015", {"d2015-01-01"}),
        ("9999-12", None, {"end-of-time"}),
        (None, "9999-12", {"y2014", "m2014-06", "d2014-06-30", "d2015-01-01", "end-of-time"}),
        (None, None, {c.id for c in PERIOD_CASES}),  # no period: undated cases too
    ],
)
def test_a_partial_date_covers_its_whole_period(date_from, date_until, expected) -> None:
    bounds = CaseFilter(
        date_from=PartialDate.parse(date_from) if date_from else None,
        date_until=PartialDate.parse(date_until) if date_until else None,
    )
    assert {r.id for r in catalogue(*PERIOD_CASES).select(bounds)} == expected


# -- order ------------------------------------------------------------------------------------------


def test_order_is_total_with_undated_cases_last() -> None:
    cases = catalogue(
        record("b", "2014", title="Beta"),
        record("a", "2014", title="alpha"),
        record("c", "2013-05", title="Gamma"),
        record("u", title="Undated"),
    )
    assert [r.id for r in cases.chronological] == ["c", "a", "b", "u"]
    assert [r.id for r in cases.select(CaseFilter(sort="-date"))] == ["a", "b", "c", "u"]
    assert [r.id for r in cases.select(CaseFilter(sort="title"))] == ["a", "b", "c", "u"]
    assert [r.id for r in cases.select(CaseFilter(limit=2))] == ["a", "b"]


def test_the_earlier_record_of_a_duplicate_id_wins() -> None:
    first = record("same", "2014", docname="a", title="First")
    later = record("same", "2015", docname="b", title="Later")
    cases = catalogue(first, later)
    assert cases.by_id["same"].title == "First"
    assert cases.duplicates == [(later, first)]


# -- publishers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("curia.europa.eu", "CJEU"),  # the longest suffix wins
        ("eur-lex.europa.eu", "EU"),
        ("www.europa.eu", "EU"),  # www. is ignored on both sides
        ("notaeuropa.eu", "notaeuropa.eu"),  # a suffix matches at a dot only
        ("rfc-editor.org", "IETF"),
        ("example.org", "example.org"),  # unmapped: its own publisher
    ],
)
def test_publisher_suffix_matching(host: str, expected: str) -> None:
    publishers = {"europa.eu": "EU", "curia.europa.eu": "CJEU", "www.rfc-editor.org": "IETF"}
    assert publisher_for(host, publishers) == expected


def test_a_listing_by_source_uses_the_publisher_of_every_host() -> None:
    cases = catalogue(
        record("one", "2014", sources=("https://curia.europa.eu/x",)),
        record("two", "2015", sources=("https://eur-lex.europa.eu/y",)),
        record("three", "2016", sources=("https://example.org/z",)),
        publishers={"europa.eu": "EU"},
    )
    assert [r.id for r in cases.select(CaseFilter(sources=("EU",)))] == ["two", "one"]
    assert [r.id for r in cases.select(CaseFilter(sources=("curia.europa.eu",)))] == ["two", "one"]
    assert cases.publisher_name("curia.europa.eu") == "EU"


# -- resolution: one lookup for links and for incremental signatures ---------------------------------------


def test_resolve_and_signature_agree() -> None:
    cases = catalogue(
        record("rec", "2014", tags="Mass Surveillance", sources=("https://edri.org/a",)),
    )
    assert isinstance(cases.resolve("tag", "mass  SURVEILLANCE"), TagInfo)
    assert isinstance(cases.resolve("source", "www.edri.org"), Publisher)
    assert cases.resolve("ref", " rec ").id == "rec"
    assert cases.resolve("ref", "nope") is None
    assert cases.signature("ref", "rec") == ("cases", "rec", "Rec")
    assert cases.signature("tag", "mass surveillance") == ("Mass Surveillance", "mass-surveillance")
    assert cases.signature("source", "edri.org") == ("edri.org", "edri-org")
    assert cases.signature("any", "rec") == (("cases", "rec", "Rec"), None, None)


# -- excerpts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Art. 8 ECHR applies. The rest.", "Art. 8 ECHR applies."),
        ("The U.S. Supreme Court ruled. Then more.", "The U.S. Supreme Court ruled."),
        ("See No. 12 of 2014. Next.", "See No. 12 of 2014."),
        ("Case C-293/12, para. 65, applies. Next.", "Case C-293/12, para. 65, applies."),
        ("It said “stop.” Then it went on.", "It said “stop.”"),
        ("Surveillance is an attack! It is.", "Surveillance is an attack!"),
        ("No stop at all", "No stop at all"),
        ("First paragraph\n\nSecond. Paragraph.", "First paragraph"),
        ("The EU. Then", "The EU."),
    ],
)
def test_first_sentence(text: str, expected: str) -> None:
    assert first_sentence(text) == expected
