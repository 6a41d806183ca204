"""Intersphinx: project B links to the cases, tags and publishers of project A.

Project A (``test-domain-intersphinx-a``) is built with html; project B
(``test-domain-intersphinx-b``) maps it as ``log`` and uses ``{case:ref}`log:…```,
``{case:tag}`log:…``` and ``{case:source}`log:…```.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import caselog_warnings, html_of, paragraph

TITLE = "IETF declares pervasive monitoring an attack"


@pytest.fixture(scope="module")
def both(module_build):
    """Build A, then B with an intersphinx mapping to A's output; return (A, B)."""
    project_a = module_build("domain-intersphinx-a")
    outdir_a = Path(project_a.outdir)
    assert (outdir_a / "objects.inv").is_file()
    mapping = {"log": (str(outdir_a), str(outdir_a / "objects.inv"))}
    return project_a, module_build("domain-intersphinx-b", intersphinx_mapping=mapping)


def test_case_ref_points_into_project_a_and_shows_title(both) -> None:
    project_a, project_b = both
    outdir_a = Path(project_a.outdir)
    link = paragraph(html_of(project_b, "index"), "Case:").find("a")
    assert link is not None, "log:ietf-pervasive-monitoring did not resolve through intersphinx"
    href = link["href"]
    assert href.startswith(str(outdir_a)), href
    # the case's second id, at the start of its article (see CaseDomain.get_objects)
    assert href.endswith("cases.html#caselog-ietf-pervasive-monitoring"), href
    # The case's page in A really has that anchor.
    target = html_of(project_a, "cases").find(id="ietf-pervasive-monitoring")
    assert target is not None
    assert link.get_text() == TITLE


def test_explicit_text_is_kept_through_intersphinx(both) -> None:
    _, project_b = both
    link = paragraph(html_of(project_b, "index"), "Explicit:").find("a")
    assert link is not None
    assert link["href"].endswith("cases.html#caselog-ietf-pervasive-monitoring")
    assert link.get_text() == "the memo of A"


def test_tag_role_points_into_project_a(both) -> None:
    project_a, project_b = both
    outdir_a = Path(project_a.outdir)
    soup = html_of(project_b, "index")
    for label, shown, page in (
        ("Tag:", "privacy", "tags/privacy.html"),
        ("Tag spelled differently:", "Mass Surveillance", "tags/mass-surveillance.html"),
    ):
        link = paragraph(soup, label).find("a")
        assert link is not None, f"{label} did not resolve through intersphinx"
        # the page, at the tag's heading
        slug = Path(page).stem
        assert link["href"] == f"{outdir_a / page}#caselog-tag-{slug}", link["href"]
        assert (outdir_a / page).is_file()
        # never the inventory prefix
        assert "log:" not in link.get_text()
        assert link.get_text().casefold() == shown.casefold()


def test_source_role_points_into_project_a(both) -> None:
    project_a, project_b = both
    link = paragraph(html_of(project_b, "index"), "Publisher:").find("a")
    assert link is not None
    assert link["href"] == str(Path(project_a.outdir) / "case-sources.html#caselog-source-ietf")
    assert link.get_text() == "IETF"


def test_only_the_unknown_target_warns(both) -> None:
    _, project_b = both
    warnings = caselog_warnings(project_b)
    assert [(w.file, w.type) for w in warnings] == [("index.md", "caselog.ref")], warnings
    assert "log:no-such-case" in warnings[0].message
    source = (Path(project_b.srcdir) / "index.md").read_text(encoding="utf-8").splitlines()
    assert "log:no-such-case" in source[warnings[0].line - 1]
    unknown = paragraph(html_of(project_b, "index"), "Unknown in A:")
    assert unknown.find("a") is None
    assert "no-such-case" in unknown.get_text()
