"""Archived copies: the availability client, against a Wayback-shaped server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from loopback import Loopback, Reply, serve

from sphinx_caselog.archive import (
    Candidate,
    Found,
    Lookup,
    Snapshot,
    apply,
    closest_snapshot,
    wayback_date,
    with_archive,
)
from sphinx_caselog.fetch import Fetcher, FetchSettings

FAST = FetchSettings(timeout=2.0, retries=1, rate_limit=0.0, backoff=0.0)


def availability(snapshots: dict[str, dict[str, object]]):
    """An availability endpoint answering from *snapshots* (original URL → closest)."""

    def answer(query: dict[str, list[str]]) -> Reply:
        url = query["url"][0]
        closest = snapshots.get(url)
        if closest is not None and "timestamp" in query:
            closest = {**closest, "asked": query["timestamp"][0]}
        body = {"url": url, "archived_snapshots": {"closest": closest} if closest else {}}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    return answer


@pytest.fixture
def wayback():
    yield from serve(
        {
            "/wayback/available": availability(
                {
                    "https://example.org/ruling": {
                        "available": True,
                        "status": "200",
                        "timestamp": "20150101093000",
                        "url": "http://web.archive.org/web/20150101093000/https://example.org/ruling",
                    },
                    "https://example.org/error-page": {
                        "available": True,
                        "status": "404",
                        "timestamp": "20150101093000",
                        "url": "http://web.archive.org/web/20150101093000/https://example.org/x",
                    },
                }
            ),
            "/broken/available": Reply(200, b"<html>maintenance</html>"),
        }
    )


def test_the_closest_snapshot(wayback: Loopback) -> None:
    found = closest_snapshot(
        Fetcher(FAST),
        wayback.url("/wayback/available"),
        "https://example.org/ruling",
        dt.date(2015, 3, 1),
    )
    assert found.error is None and found.snapshot is not None
    # http:// from the API becomes https://, which the archive serves
    assert found.snapshot.url == (
        "https://web.archive.org/web/20150101093000/https://example.org/ruling"
    )
    assert found.snapshot.date == dt.date(2015, 1, 1)


@pytest.mark.parametrize("url", ["https://example.org/never", "https://example.org/error-page"])
def test_no_usable_snapshot(wayback: Loopback, url: str) -> None:
    assert closest_snapshot(Fetcher(FAST), wayback.url("/wayback/available"), url) == (
        url,
        None,
        None,
    )


def test_an_endpoint_that_fails_is_reported(wayback: Loopback) -> None:
    url = "https://example.org/ruling"
    bad = closest_snapshot(Fetcher(FAST), wayback.url("/broken/available"), url)
    assert bad.error == "the endpoint's answer is not availability JSON"
    gone = closest_snapshot(Fetcher(FAST), wayback.url("/nope"), url)
    assert gone.error == "HTTP 404 Not Found"


def test_wayback_dates() -> None:
    assert wayback_date("https://web.archive.org/web/20150101000000/https://x.org/") == dt.date(
        2015, 1, 1
    )
    assert wayback_date("https://web.archive.org/web/20150101id_/https://x.org/") == dt.date(
        2015, 1, 1
    )
    assert wayback_date("https://web.archive.org/web/20151301000000/https://x.org/") is None
    assert wayback_date("https://archive.ph/abcde") is None


SNAPSHOT = Snapshot(
    "https://web.archive.org/web/20150101093000/https://example.org/ruling", dt.date(2015, 1, 1)
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "  Ruling <https://example.org/ruling>\n",
            "  Ruling <https://example.org/ruling> archived <{s}>\n",
        ),
        (
            "  Ruling <https://example.org/ruling> accessed 2024-03-01\r\n",
            "  Ruling <https://example.org/ruling> archived <{s}> accessed 2024-03-01\r\n",
        ),
        (
            ":source: https://example.org/ruling\n",
            ":source: https://example.org/ruling archived <{s}>\n",
        ),
        ("  Ruling <https://example.org/ruling/other>\n", None),  # another URL: never touched
        ("  https://example.org/rulings\n", None),
    ],
)
def test_the_archived_copy_goes_right_after_the_url(line: str, expected: str | None) -> None:
    result = with_archive(line, "https://example.org/ruling", SNAPSHOT)
    assert result == (expected.format(s=SNAPSHOT.url) if expected else None)


def test_a_copy_whose_url_has_no_date_gets_one_written() -> None:
    other = Snapshot("https://archive.example/abc", dt.date(2016, 2, 3))
    assert with_archive("x <https://a.org/>", "https://a.org/", other) == (
        "x <https://a.org/> archived 2016-02-03 <https://archive.example/abc>"
    )


def test_apply_changes_only_the_lines_it_adds_to(tmp_path: Path) -> None:
    page = tmp_path / "case.md"
    original = (
        "\ufeff# Café\r\n"
        ":::{case} T\r\n"
        "---\r\n"
        "source: |\r\n"
        "  Ruling <https://example.org/ruling>\r\n"
        "  Moved <https://example.org/moved>\r\n"
        "---\r\n"
        "> quote \u2028 with a line separator\r\n"
        ":::"
    )
    page.write_bytes(original.encode("utf-8"))
    page.chmod(0o640)
    found = [
        Found(Candidate(page, 5, "t", "https://example.org/ruling", None), Lookup("", SNAPSHOT)),
        # the file changed since the build: line 6 no longer holds this URL
        Found(Candidate(page, 6, "t", "https://example.org/gone", None), Lookup("", SNAPSHOT)),
        Found(Candidate(page, 6, "t", "https://example.org/moved", None), Lookup("")),  # no copy
    ]
    written, skipped = apply(found)
    assert [f.candidate.line for f in written] == [5]
    assert [f.candidate.url for f in skipped] == ["https://example.org/gone"]
    expected = original.replace(
        "<https://example.org/ruling>", f"<https://example.org/ruling> archived <{SNAPSHOT.url}>"
    )
    assert page.read_bytes() == expected.encode("utf-8")
    assert page.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["case.md"]  # no temporary file left
