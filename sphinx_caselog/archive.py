"""Archived copies: the Wayback-compatible availability client behind ``sphinx-caselog archive``.

:func:`closest_snapshot` asks an availability endpoint (the Internet Archive's
``/wayback/available`` API, or any server that answers in its shape) for the
snapshot of a URL closest to a date. It goes through a :class:`~.fetch.Fetcher`,
so it is rate-limited per host, with a timeout and retries, and never raises.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import NamedTuple

from .fetch import Fetcher

DEFAULT_ENDPOINT = "https://archive.org/wayback/available"
#: ``/web/<timestamp>[modifier_]/<original>``: Wayback's replay URLs carry their date.
_WAYBACK_URL = re.compile(r"/web/([0-9]{8})[0-9]{0,6}(?:[a-z]{2}_)?/")


def wayback_date(url: str) -> dt.date | None:
    """The snapshot date written in a Wayback replay URL, if it is one."""
    match = _WAYBACK_URL.search(url)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match[1], "%Y%m%d").date()
    except ValueError:
        return None


class Snapshot(NamedTuple):
    url: str
    date: dt.date


class Lookup(NamedTuple):
    """The answer for one URL: a snapshot, none (``error`` None), or a failure."""

    url: str
    snapshot: Snapshot | None = None
    error: str | None = None


def closest_snapshot(
    fetcher: Fetcher, endpoint: str, url: str, near: dt.date | None = None
) -> Lookup:
    """Ask *endpoint* for the snapshot of *url* closest to *near* (else the newest)."""
    params = {"url": url}
    if near is not None:
        params["timestamp"] = near.strftime("%Y%m%d")
    fetched = fetcher.get(endpoint, params=params)
    if not fetched.ok:
        return Lookup(url, error=fetched.error)
    try:
        answer = json.loads(fetched.body)
        closest = answer.get("archived_snapshots", {}).get("closest")
    except (ValueError, AttributeError):
        return Lookup(url, error="the endpoint's answer is not availability JSON")
    if not isinstance(closest, dict) or not closest.get("available"):
        return Lookup(url)
    if str(closest.get("status", "200")) != "200":
        return Lookup(url)  # a snapshot of an error page is no copy of the source
    snapshot_url = str(closest.get("url", ""))
    timestamp = str(closest.get("timestamp", ""))
    try:
        date = dt.datetime.strptime(timestamp[:8], "%Y%m%d").date()
    except ValueError:
        return Lookup(url, error=f"the endpoint gave a bad timestamp {timestamp!r}")
    if not snapshot_url.startswith(("http://", "https://")):
        return Lookup(url, error=f"the endpoint gave a bad snapshot URL {snapshot_url!r}")
    # The public API answers http:// URLs; the archive serves them over https.
    if snapshot_url.startswith("http://web.archive.org/"):
        snapshot_url = "https://" + snapshot_url.removeprefix("http://")
    return Lookup(url, Snapshot(snapshot_url, date))
