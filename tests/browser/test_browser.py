"""What only a browser can tell, under six theme variants at 1280 and 390 px.

No page scrolls sideways; a reader can walk case → tag badge → tag page →
another case; searching a case's title leads to the case's anchor first; no
console errors; axe-core finds no violations in our markup.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from .conftest import AXE, WIDTHS, Site

#: pages with every view we render: a case page, listings in all styles, the three
#: indices, a tag page, the front page (a case inside a document's intro)
PAGES = (
    "index.html",
    "cases/schrems-i.html",
    "browse.html",
    "case-tags.html",
    "case-sources.html",
    "case-timeline.html",
    "tags/mass-surveillance.html",
)
#: one page of each kind of our markup (the other indices are built like the Tag index,
#: and the front page's case like any case): axe takes seconds per page
AXE_PAGES = ("cases/schrems-i.html", "browse.html", "case-tags.html", "tags/mass-surveillance.html")
#: what is ours on a page (axe is restricted to it: the themes have issues of their own)
OURS = (
    "article.caselog-case",
    ".caselog-listing",
    "section.caselog-tag-page",
    "section.caselog-index-page",
)


def landed_on_a_case(page: Any, anchor: str) -> bool:
    """The anchor is a case (or its section, or the case's second id), scrolled into view."""
    return bool(
        page.evaluate(
            """anchor => {
                const e = document.getElementById(anchor);
                const c = e && (e.closest('article.caselog-case')
                                || e.querySelector('article.caselog-case'));
                if (!c) return false;
                const box = c.getBoundingClientRect();
                return box.top < window.innerHeight && box.bottom > 0;
            }""",
            anchor,
        )
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(page_at: Any, site: Site, width: int) -> None:
    page = page_at(width)
    wider = {}
    for path in PAGES:
        page.goto(site.base + path)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            wider[path] = scroll
        # nor does a listing hide columns behind a scroll bar of its own (the theme's
        # table wrappers: sphinx-rtd-theme, pydata-sphinx-theme)
        inner = page.evaluate(
            """() => [...document.querySelectorAll('.caselog-listing, .caselog-listing *')]
                // (1 px wide and clipped: visually hidden on purpose, as the tag commas)
                .filter(e => e.clientWidth > 2 && e.scrollWidth > e.clientWidth + 1
                             && getComputedStyle(e).overflowX !== 'visible')
                .map(e => e.className + ' ' + e.scrollWidth + '>' + e.clientWidth)"""
        )
        if inner:
            wider[f"{path} (inside)"] = inner
    assert not wider, f"pages wider than the {width} px viewport: {wider}"


def test_case_to_tag_page_to_another_case(page_at: Any, site: Site) -> None:
    page = page_at(390)
    page.goto(site.base + "cases/schrems-i.html")
    tag = "Mass surveillance"  # a tag with other cases
    badge = page.locator("article.caselog-case .caselog-tag-list a", has_text=tag)
    badge.click()
    page.wait_for_url(re.compile(r"/tags/[^/]+\.html$"))
    assert page.locator("section.caselog-tag-page h1").first.inner_text().startswith(tag)
    # the way up, and the count; no entry repeats the page's own tag
    assert (
        page.locator(".caselog-breadcrumb a").first.get_attribute("href").endswith("case-tags.html")
    )
    assert re.fullmatch(r"\d+ cases?", page.locator("p.caselog-count").inner_text().strip())
    own = page.locator(".caselog-listing .caselog-tag", has_text=re.compile(f"^{tag}$"))
    assert own.count() == 0
    other = page.locator(
        ".caselog-listing p.caselog-item > a:first-child:not([href*='schrems-i'])"
    ).first
    href = other.get_attribute("href")
    other.click()
    anchor = href.split("#", 1)[1]
    page.wait_for_url(re.compile(re.escape(anchor) + "$"))
    assert landed_on_a_case(page, anchor)


@pytest.mark.parametrize(
    ("query", "anchor"),
    [
        ("CJEU strikes down the EU–US Safe Harbour decision", "cases/schrems-i.html#caselog-schrems-i"),
        ("pervasive monitoring", "cases/ietf-pervasive-monitoring.html#caselog-ietf-pervasive-monitoring"),
    ],
)  # fmt: skip
def test_search_finds_the_case_first(page_at: Any, site: Site, query: str, anchor: str) -> None:
    page = page_at(1280)
    page.goto(f"{site.base}search.html?q={query}")
    first = page.locator("#search-results ul.search > li a").first
    first.wait_for(timeout=15000)
    assert first.get_attribute("href").endswith(anchor)
    first.click()
    page.wait_for_url(re.compile(re.escape(anchor.split("#")[1]) + "$"))
    assert landed_on_a_case(page, anchor.split("#")[1])


@pytest.mark.parametrize(
    ("query", "href", "landed"),
    [
        ("Data retention", "tags/data-retention.html", "section.caselog-tag-page"),
        ("Court of Justice of the EU", "case-sources.html#", "section.caselog-index-group"),
    ],
)  # fmt: skip
def test_search_finds_tag_pages_and_publishers(
    page_at: Any, site: Site, query: str, href: str, landed: str
) -> None:
    """A tag's page and a publisher's group in the Source index are search results
    too; the first result for their name leads there."""
    page = page_at(1280)
    page.goto(f"{site.base}search.html?q={query}")
    first = page.locator("#search-results ul.search > li a").first
    first.wait_for(timeout=15000)
    link = first.get_attribute("href")
    assert href in link, link
    assert first.inner_text().strip() == query
    first.click()
    page.wait_for_url(re.compile(re.escape(link.rsplit("/", 1)[-1]) + "$"))
    anchor = link.partition("#")[2]
    target = page.locator(f"[id='{anchor}']" if anchor else landed).first
    assert target.evaluate(f"e => !!e.closest('{landed}')")
    assert query in target.evaluate(f"e => e.closest('{landed}').textContent")


#: What axe reports of a theme's own styling inside our markup, with the reason.
THEME_AXE_NOISE = {
    "sphinx_rtd_theme": {
        "color-contrast": "the theme's link colour #2980b9 is 3.7:1 on white",
        "link-in-text-block": "the theme's links in text are told apart by colour only",
    },
}


def _theirs(rule: str, node: dict[str, Any], noise: dict[str, str]) -> bool:
    """A theme's known issue on its own styling (links, code), not on our badges."""
    return rule in noise and "caselog-tag" not in node["html"]


def test_axe_finds_nothing_in_our_markup(page_at: Any, site: Site) -> None:
    """At phone width (the stacked table, wrapped badges); what axe checks doesn't
    otherwise depend on the width, and each run costs seconds."""
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm install axe-core in tests/browser)")
    page = page_at(390)
    found = {}
    for path in AXE_PAGES:
        page.goto(site.base + path)
        include = [[s] for s in OURS if page.locator(s).count()]
        assert include, f"{path}: none of our markup"
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "include => axe.run({include}, {resultTypes: ['violations']})", include
        )
        noise = THEME_AXE_NOISE.get(site.variant.theme, {})
        violations = [
            (v["id"], targets)
            for v in result["violations"]
            if (targets := [n["target"] for n in v["nodes"] if not _theirs(v["id"], n, noise)])
        ]
        if violations:
            found[path] = violations
    assert not found, json.dumps(found, indent=1)


def test_badges_keep_apart_and_separators_reach_screen_readers(page_at: Any, site: Site) -> None:
    page = page_at(390)
    for path in ("browse.html", "cases/schrems-i.html"):
        page.goto(site.base + path)
        touching = page.evaluate(
            """() => {
                const found = [];
                for (const box of document.querySelectorAll('p')) {
                    const badges = [...box.querySelectorAll('.caselog-tag.sd-badge')]
                        .map(b => b.getBoundingClientRect());
                    for (let i = 1; i < badges.length; i++) {
                        const [a, b] = [badges[i - 1], badges[i]];
                        if (Math.abs(a.top - b.top) < 2 && b.left - a.right < 2)
                            found.push(box.textContent.slice(0, 60));
                    }
                }
                return found;
            }"""
        )
        assert not touching, (path, touching)
        # no theme underline trails past a badge (alabaster's dotted border)
        underlined = page.evaluate(
            """() => [...document.querySelectorAll('a:has(> .caselog-tag)')].filter(a => {
                const s = getComputedStyle(a);
                return (s.borderBottomStyle !== 'none' && s.borderBottomWidth !== '0px')
                    || s.textDecorationLine !== 'none';
            }).length"""
        )
        assert underlined == 0, path
        # the commas between tags: hidden on screen, not from screen readers
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('.caselog-sep')].filter(s => {
                const c = getComputedStyle(s);
                return c.display === 'none' || c.visibility === 'hidden';
            }).length"""
        )
        assert page.locator(".caselog-sep").count() and hidden == 0, path


def test_case_titles_are_headings_to_assistive_technology(page_at: Any, site: Site) -> None:
    page = page_at(1280)
    page.goto(site.base + "cases/schrems-i.html")
    title = "CJEU strikes down the EU–US Safe Harbour decision"
    assert page.get_by_role("heading", name=title, level=2).count() == 1
    for label in ("Context and Discussion", "Sources", "Tags", "See also"):
        assert page.get_by_role("heading", name=label, level=3).count() == 1, label
