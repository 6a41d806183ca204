"""The one slug policy (``sphinx_caselog.slugs``), beyond what test_model.py checks.

test_model.py covers: slugify's alphabet and path safety, a few examples, and
unique_slugs being injective, total, path-safe and order-independent, a lonely key
keeping its plain slug. (``c`` keeping ``c`` when ``c++`` arrives: the pinned hashes here.) Here: transliteration, fixed points,
the shape of a disambiguated slug, sets that contain slugs and hash-like names,
stability when unrelated tags arrive, and the hash being the same on every run.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from sphinx_caselog.slugs import slugify, unique_slugs

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
HEX = re.compile(r"[0-9a-f]{6,}")

#: keys whose slugs collide, or are empty, or look like a path
TRICKY = ["C", "C++", "C#", "c", "!!!", "..", ".", "../x", "/etc", "x", "etc", "tag", "-"]
KEYS = st.text(max_size=10) | st.sampled_from(TRICKY)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("données personnelles", "donnees-personnelles"),
        ("São Paulo", "sao-paulo"),
        ("Łódź", "lodz"),
        ("Ærø", "aero"),
        ("Œuvre", "oeuvre"),
        ("Þór", "thor"),
        ("Ðorđe", "dorde"),
        ("İstanbul", "istanbul"),
        ("\N{LATIN SMALL LETTER DOTLESS I}i", "ii"),
        ("ＡＢＣ", "abc"),  # fullwidth
        ("\N{MATHEMATICAL DOUBLE-STRUCK CAPITAL A}bc", "abc"),
        ("ﬁle", "file"),  # ligature
        ("  Mass   Surveillance  ", "mass-surveillance"),
        ("../x", "x"),
        ("/etc", "etc"),
        ("..", ""),
        ("!!!", ""),
    ],
)
def test_slugify_transliterates(text: str, slug: str) -> None:
    assert slugify(text) == slug


@given(st.text())
@example("Straße")
@example("\N{LATIN CAPITAL LETTER I WITH DOT ABOVE}")
def test_a_slug_is_a_fixed_point(text: str) -> None:
    slug = slugify(text)
    assert slugify(slug) == slug


def test_the_hash_is_the_same_on_every_run() -> None:
    """Pinned: a tag page's address must not change between builds or machines."""

    def sha(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:6]

    assert unique_slugs({"c", "c++", "c#", "!!!", ".."}) == {
        "c": "c",
        "c++": f"c-{sha('c++')}",
        "c#": f"c-{sha('c#')}",
        "!!!": f"tag-{sha('!!!')}",
        "..": f"tag-{sha('..')}",
    }
    assert unique_slugs({"c++"}) == {"c++": "c"}


@given(st.sets(KEYS, max_size=12))
def test_every_slug_starts_from_its_base_and_is_a_slug(keys: set[str]) -> None:
    slugs = unique_slugs(keys)
    for key, slug in slugs.items():
        assert SLUG.fullmatch(slug), (key, slug)  # inside the tag pages folder, whatever the key
        assert slugify(slug) == slug
        base = slugify(key)
        if slug != base:
            prefix, _, suffix = slug.rpartition("-")
            assert prefix == (base or "tag"), (key, slug)
            assert HEX.fullmatch(suffix), (key, slug)


@st.composite
def keys_with_lookalikes(draw: st.DrawFn) -> set[str]:
    """Keys, plus names equal to some of their slugs (``c-951a4d``, ``tag-e84c53``)."""
    keys = draw(st.sets(KEYS, max_size=10))
    slugs = sorted(set(unique_slugs(keys).values()))
    lookalikes = draw(st.sets(st.sampled_from(slugs), max_size=len(slugs))) if slugs else set()
    variants = {name.upper() for name in lookalikes if draw(st.booleans())}
    return keys | lookalikes | variants


@given(keys_with_lookalikes())
@example({"c++", "c#", f"c-{hashlib.sha256(b'c++').hexdigest()[:6]}"})
@example({"!!!", "..", f"tag-{hashlib.sha256(b'!!!').hexdigest()[:6]}"})
@example({"c", "C-" + hashlib.sha256(b"c++").hexdigest()[:6], "c++"})
def test_unique_slugs_stays_injective_with_names_that_look_like_slugs(keys: set[str]) -> None:
    slugs = unique_slugs(keys)
    assert set(slugs) == keys
    assert len(set(slugs.values())) == len(keys)
    # a key that is a slug keeps it: a page at that address is that tag's
    for key in keys:
        if key and slugify(key) == key:
            assert slugs[key] == key


@given(st.sets(KEYS, max_size=8), st.sets(KEYS, max_size=8))
@example({"c++", "c#"}, {"privacy"})
@example({"!!!"}, {"..", "privacy"})
def test_slugs_stay_the_same_when_unrelated_tags_arrive(old: set[str], new: set[str]) -> None:
    """A tag's page keeps its address when tags with other base slugs are added."""
    before = unique_slugs(old)
    bases = {slugify(k) for k in old}
    # unrelated: another base slug, and no name that is one of the existing slugs
    new = {k for k in new if slugify(k) not in bases and slugify(k) not in before.values()}
    assume(new)
    after = unique_slugs(old | new)
    assert {k: after[k] for k in old} == before


@given(st.sets(KEYS, min_size=1, max_size=8), st.sampled_from(["tag", "t", "topic"]))
def test_the_empty_prefix_is_used_for_keys_without_a_slug(keys: set[str], empty: str) -> None:
    slugs = unique_slugs(keys, empty=empty)
    for key, slug in slugs.items():
        if not slugify(key):
            assert slug.rpartition("-")[0] == empty, (key, slug)
