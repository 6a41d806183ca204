"""Stored data and the policies that derive it are versioned (issue 14).

A pickled environment keeps case records, their ids and anchors. When the shape of a
record changes, or a policy that derives a stored id (slugs, hashes, reserved names), an
old environment must be read again, not reused: ``CaseDomain.data_version`` and the
extension's ``env_version`` say so. These tests fail when either is forgotten.
"""

from __future__ import annotations

import hashlib
import itertools

from sphinx_caselog import ENV_VERSION
from sphinx_caselog.domain import CaseDomain
from sphinx_caselog.model import CaseFilter, CaseRecord, SeeAlso, Source, Tag
from sphinx_caselog.slugs import RESERVED, short_hash, slugify, tag_key, unique_slugs

#: Text whose slugs, keys and hashes the stored ids depend on.
SAMPLE = [
    "Mass surveillance", "C++", "C#", "C", "café", "cafe\u0301", "İstanbul", "Straße",
    "index", "!!!", "", "Art. 8 ECHR", "½ measure", "Ⅻ", "𝔸𝔹ℂ", "data–retention", "surveil\u00adlance", "pri\u200bvacy", "word " * 80,
]  # fmt: skip

#: (fingerprint of the id policy and the record shapes, env_version, data_version),
#: oldest first. When the fingerprint changes, bump both versions and add a line.
HISTORY = [
    ("9507bfa996", 2, 3),  # issue 12: records carry their file and ``only``; "index" reserved
    ("e8ab4aebd8", 3, 4),  # invisible characters leave tags and ids; slugs of 100 at most
    ("e107f87f5b", 4, 5),  # issue 16: sources carry an archived copy, its date, an access date
]


def fingerprint() -> str:
    policy = (
        [slugify(text) for text in SAMPLE],
        [tag_key(text) for text in SAMPLE],
        sorted(unique_slugs(tag_key(t) for t in SAMPLE).items()),
        short_hash("case-id"),
        sorted(RESERVED),
        [t._fields for t in (CaseRecord, Source, Tag, SeeAlso, CaseFilter)],
    )
    return hashlib.sha256(repr(policy).encode()).hexdigest()[:10]


def test_a_change_of_id_policy_or_record_shape_bumps_the_versions() -> None:
    recorded, env_version, data_version = HISTORY[-1]
    assert fingerprint() == recorded, (
        "the slug/id policy or a stored record's shape changed: bump CaseDomain.data_version "
        f"and ENV_VERSION, then record {fingerprint()!r} in HISTORY"
    )
    assert (ENV_VERSION, CaseDomain.data_version) == (env_version, data_version)
    for (_, env_before, data_before), (_, env_after, data_after) in itertools.pairwise(HISTORY):
        assert env_after > env_before and data_after > data_before
