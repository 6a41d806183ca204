"""Generate a benchmark case log of N cases, deterministically from a seed.

The same generated text is written in three flavours:

``caselog``
    the extension: one ``case`` directive per page, ``{case:ref}`` roles, the
    domain's Tag index, Source index and Timeline, and ``caselist`` listing pages;
``plain``
    the same *content* in plain MyST, no extension, and nothing generated: the same
    headings, block quote, meta line, lists of sources and tags (as text) and
    ``{ref}`` links between cases; the listing pages hold only their title, and there
    are no index or tag pages. What the text costs by itself: the extension's total
    cost is measured against this;
``floor``
    ``plain`` plus *hand-written* index, tag and listing pages with the content the
    extension would generate (tags are links to their pages): what the same site
    costs without the extension.

Each case is a realistic page: a title, a kind, a date, 3 to 5 tags from a vocabulary
of 40, a quote of four paragraphs (~250 words), a context paragraph (~80 words)
with cross-references to 2 other cases, 1 to 3 sources and an attribution. Cases are
laid out the way the docs recommend for a large log: one sub-toctree per year
(``cases/<year>/index``), so that a theme that renders the global toctree in its
sidebar stays linear in the number of cases.

Usage::

    python benchmarks/corpus.py --n 1000 --seed 1 --out /tmp/caselog-corpus

writes ``/tmp/caselog-corpus/caselog``, ``…/plain`` and ``…/floor``; each holds
``src/`` (the Sphinx project, with the light-sidebar ``conf.py`` used for the timed
runs) and ``conf-default-sidebar/conf.py`` (the same configuration with the theme's
default sidebar, for ``sphinx-build -c``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from sphinx_caselog.config import DEFAULT_KINDS

Flavour = Literal["caselog", "plain", "floor"]
FLAVOURS: tuple[Flavour, ...] = ("caselog", "plain", "floor")

#: The tag vocabulary: 40 tags, some of several words.
TAGS: tuple[str, ...] = (
    "privacy", "mass surveillance", "encryption", "data retention", "data protection",
    "international transfers", "facial recognition", "biometrics", "freedom of expression",
    "net neutrality", "censorship", "whistleblowing", "lawful interception", "metadata",
    "backdoors", "cybersecurity", "spyware", "export controls", "border control", "policing",
    "predictive policing", "smart cities", "health data", "child protection",
    "platform regulation", "content moderation", "copyright", "open standards", "anonymity",
    "journalism", "due process", "oversight", "transparency", "algorithmic accountability",
    "location data", "telecommunications", "cloud computing", "consumer protection",
    "digital identity", "e-voting",
)  # fmt: skip

#: The extension's default kinds and their labels.
KINDS: dict[str, str] = dict(DEFAULT_KINDS)

#: ``caselog_max_list_items``: a ``caselist`` shows at most this many cases, then
#: links the Timeline for the rest.
MAX_LIST_ITEMS = 1000

HOSTS: tuple[str, ...] = (
    "example.org", "news.example.com", "court.example.eu", "parliament.example.gov",
    "ngo.example.net", "standards.example.org", "press.example.com", "archive.example.org",
    "journal.example.edu", "regulator.example.eu", "blog.example.net", "docs.example.int",
)  # fmt: skip

ACTORS: tuple[str, ...] = (
    "The Regional Court", "The Constitutional Court", "The Data Protection Authority",
    "The Ministry of the Interior", "The European Commission", "The Parliament",
    "The Standards Body", "A Coalition of NGOs", "The Telecoms Regulator",
    "The Special Rapporteur", "The Supreme Court", "The National Security Agency",
    "The Ombudsman", "A Group of Researchers", "The Court of Appeal", "The City Council",
)  # fmt: skip

VERBS: tuple[str, ...] = (
    "rules on", "publishes a report on", "adopts a law on", "warns about", "settles a dispute over",
    "opens an inquiry into", "issues guidance on", "rejects a complaint about",
    "calls for limits on", "discloses a programme of",
)  # fmt: skip

_TEXT = """
    the court held that access to communications data must be limited to what is strictly
    necessary and proportionate in a democratic society authorities retained records of
    every call message and location without any suspicion national security was invoked
    as a justification although no independent oversight existed the legislation required
    providers to store traffic data for two years judges found this interference particularly
    serious because it allows precise conclusions about private lives habits daily movements
    social relationships and the environments people frequent encryption protects journalists
    sources lawyers clients and ordinary users against criminals and states alike weakening it
    for one purpose weakens it for all the regulator concluded that the transfer mechanism
    offered no adequate protection against bulk collection the complainant argued that remedies
    were ineffective and that notification after the fact was never given the government
    replied that safeguards were sufficient and that the measures had saved lives experts
    disputed those figures and pointed to the absence of public evidence parliament debated
    the bill for months before amendments narrowed its scope oversight bodies must have the
    power to audit systems and to order deletion of unlawfully obtained material citizens
    cannot challenge what they do not know exists transparency reports remain incomplete
"""
WORDS: tuple[str, ...] = tuple(_TEXT.split())


def slug(text: str) -> str:
    """A simple slug (the vocabulary is ASCII): lowercase words joined by ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Source:
    """One source: a URL, with a title unless it is given bare."""

    url: str
    title: str | None

    @property
    def host(self) -> str:
        return self.url.split("/")[2]

    @property
    def display(self) -> str:
        return self.title or self.url


@dataclass(frozen=True)
class Case:
    """One generated case: every field, in the order every flavour writes it."""

    number: int
    title: str
    kind: str
    date: dt.date
    tags: tuple[str, ...]
    quote: tuple[str, ...]
    #: the context paragraph in three pieces, around the two cross-references
    context: tuple[str, str, str]
    refs: tuple[str, str]
    sources: tuple[Source, ...]
    attribution: str

    @property
    def id(self) -> str:
        return f"case-{self.number:04d}"

    @property
    def docname(self) -> str:
        return f"cases/{self.date.year}/{self.id}"

    @property
    def human_date(self) -> str:
        """The date as the extension shows it (``caselog_date_format`` ``%B %-d, %Y``)."""
        return f"{self.date:%B} {self.date.day}, {self.date.year}"


@dataclass(frozen=True)
class Corpus:
    """The generated cases, and the derived views the caselog and floor flavours show."""

    n: int
    seed: int
    cases: tuple[Case, ...]

    def chronological(self) -> list[Case]:
        """Oldest first, then by title and id: the order of indices and tag pages."""
        return sorted(self.cases, key=lambda c: (c.date, c.title.casefold(), c.id))

    def newest_first(self) -> list[Case]:
        """Newest first, then by title and id: the default order of ``caselist``."""
        return sorted(self.cases, key=lambda c: (-c.date.toordinal(), c.title.casefold(), c.id))

    def years(self) -> list[int]:
        return sorted({c.date.year for c in self.cases})

    def used_tags(self) -> list[str]:
        return sorted({t for c in self.cases for t in c.tags}, key=str.casefold)

    def by_tag(self) -> dict[str, list[Case]]:
        tagged: defaultdict[str, list[Case]] = defaultdict(list)
        for case in self.chronological():
            for tag in case.tags:
                tagged[tag].append(case)
        return dict(tagged)

    def listing_pages(self) -> list[tuple[str, tuple[str, ...] | None]]:
        """(docname, tags, or None for every case) of each listing page: one of all
        cases, and one per five tags of the vocabulary."""
        groups = [TAGS[i : i + 5] for i in range(0, len(TAGS), 5)]
        return [("listings/all", None)] + [
            (f"listings/tags-{i:02d}", group) for i, group in enumerate(groups, 1)
        ]

    def with_tags(self, index: int, tags: tuple[str, ...]) -> Corpus:
        cases = list(self.cases)
        cases[index] = replace(cases[index], tags=tags)
        return replace(self, cases=tuple(cases))


# -- generation -----------------------------------------------------------------------


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        length = min(words, rng.randint(10, 20))
        sentences.append(_sentence(rng, length))
        words -= length
    return " ".join(sentences)


def generate(n: int, seed: int = 1) -> Corpus:
    """N cases, the same for the same (n, seed) on every machine and Python."""
    rng = random.Random(f"sphinx-caselog-benchmark:{seed}:{n}")
    start, days = dt.date(2000, 1, 1), (dt.date(2024, 12, 31) - dt.date(2000, 1, 1)).days
    cases = []
    for number in range(1, n + 1):
        tags = tuple(rng.sample(TAGS, rng.randint(3, 5)))
        actor = rng.choice(ACTORS)
        others = [i for i in rng.sample(range(1, n + 1), min(n, 3)) if i != number][:2]
        sources = tuple(
            Source(
                f"https://{host}/{slug(tags[0])}/{number}/{k}",
                None if k == 2 else f"{actor.removeprefix('The ')}, document {number}-{k}",
            )
            for k, host in enumerate(rng.sample(HOSTS, rng.randint(1, 3)), 1)
        )
        cases.append(
            Case(
                number=number,
                title=f"{actor.removeprefix('The ')} {rng.choice(VERBS)} {tags[0]} (No. {number})",
                kind=rng.choice(list(KINDS)),
                date=start + dt.timedelta(days=rng.randrange(days + 1)),
                tags=tags,
                quote=tuple(_paragraph(rng, rng.randint(55, 70)) for _ in range(4)),
                context=(_paragraph(rng, 30), _paragraph(rng, 25)[:-1], _paragraph(rng, 25)),
                refs=(f"case-{others[0]:04d}", f"case-{others[-1]:04d}") if others else ("", ""),
                sources=sources,
                attribution=actor.removeprefix("The "),
            )
        )
    return Corpus(n=n, seed=seed, cases=tuple(cases))


def edited_tags(corpus: Corpus, index: int) -> tuple[tuple[str, ...], str, str]:
    """The tags of case *index* after the benchmark's edit: its last tag is swapped for
    the first tag (in vocabulary order) that other cases use and it lacks.

    Returns (new tags, lost tag, gained tag). A tag other cases use keeps the edit
    realistic: the tag and its page exist before and after.
    """
    case = corpus.cases[index]
    used = set(corpus.used_tags())
    gained = next(t for t in TAGS if t in used and t not in case.tags)
    return (*case.tags[:-1], gained), case.tags[-1], gained


# -- what the installed extension offers -------------------------------------------------

_PROBE = r"""
import json, tempfile
from importlib.metadata import entry_points
from pathlib import Path
from sphinx.application import Sphinx

with tempfile.TemporaryDirectory() as tmp:
    src, out = Path(tmp, "src"), Path(tmp, "out")
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_caselog"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
    )
    (src / "index.md").write_text(
        "# Probe\n\n:::{case} One\n:id: probe-one\n:tags: probe\n:::\n\n"
        ":::{caselist}\n:tags: probe\n:::\n"
    )
    app = Sphinx(src, src, out, Path(tmp, "doctrees"), "html", status=None, warning=None)
    app.build()
    builders = set(app.registry.builders)
    builders |= {ep.name for ep in entry_points(group="sphinx.builders")}
    tag_dir = out / getattr(app.config, "caselog_tag_pages_dir", "tags")
    print(json.dumps({
        "caselist": "probe-one" in (out / "index.html").read_text().split("</article>")[-1],
        "json_builder": "caselog" in builders,
        "tag_pages": any(tag_dir.glob("*.html")),
    }))
"""


@dataclass(frozen=True)
class Features:
    """What the installed sphinx_caselog offers, which the corpus and the runs adapt to."""

    #: ``caselist`` renders (else the caselog flavour gets the hand-written listings)
    caselist: bool = False
    #: the ``-b caselog`` JSON builder exists
    json_builder: bool = False
    #: the extension writes a page per tag (then the floor flavour has them too)
    tag_pages: bool = False

    @classmethod
    def detect(cls, python: str = sys.executable) -> Features:
        """Probe the extension with a tiny build in a fresh interpreter: does a ``caselist``
        render its case, are tag pages written, is there a ``caselog`` builder?"""
        out = subprocess.run(
            [python, "-c", _PROBE], capture_output=True, text=True, check=True
        ).stdout
        return cls(**json.loads(out.strip().splitlines()[-1]))


# -- writing ------------------------------------------------------------------------


def conf_py(flavour: Flavour, *, default_sidebar: bool = False) -> str:
    """The project configuration; the light sidebar unless *default_sidebar*."""
    extensions = ["myst_parser", "sphinx_caselog"] if flavour == "caselog" else ["myst_parser"]
    lines = [
        f'"""Benchmark case log ({flavour} flavour), generated by benchmarks/corpus.py."""',
        "",
        'project = "Benchmark case log"',
        f"extensions = {extensions!r}",
        'myst_enable_extensions = ["colon_fence"]',
        'language = "en"',
        'html_theme = "alabaster"',
        # a published site has one; it turns on the extension's Atom feeds
        'html_baseurl = "https://bench.example.org/"',
    ]
    if default_sidebar:
        lines.append("# the theme's default sidebar (alabaster's navigation renders the toctree)")
    else:
        lines.append('html_sidebars = {"**": ["searchbox.html"]}')
    return "\n".join(lines) + "\n"


def _orphan(text: str) -> str:
    """A page outside every toctree, like the extension's generated pages."""
    return f"---\norphan: true\n---\n\n{text}"


def _ref(case: Case) -> str:
    return f"{{ref}}`{case.id}`"


def _tag_refs(case: Case) -> str:
    return " ".join(f"{{ref}}`{t} <tag-{slug(t)}>`" for t in case.tags)


def case_page(case: Case, flavour: Flavour) -> str:
    """One case's page."""
    quote = "\n>\n".join(f"> {p}" for p in case.quote)
    if flavour == "caselog":
        refs = [f"{{case:ref}}`{r}`" for r in case.refs]
        sources = "\n".join(
            f"  {s.title} <{s.url}>" if s.title else f"  {s.url}" for s in case.sources
        )
        return (
            f"# {case.title}\n\n"
            ":::{case}\n---\n"
            f"id: {case.id}\nkind: {case.kind}\ndate: {case.date.isoformat()}\n"
            f"tags: {', '.join(case.tags)}\n"
            f"source: |\n{sources}\n"
            f"attribution: {case.attribution}\n---\n"
            f"{quote}\n\n"
            f"{case.context[0]} {case.context[1]} {refs[0]} and {refs[1]}. {case.context[2]}\n"
            ":::\n"
        )
    refs = [f"{{ref}}`{r}`" for r in case.refs]
    sources = "\n".join(f"- [{s.display}]({s.url}) {s.host}" for s in case.sources)
    # plain has no tag pages to link: its tags are text
    tags = _tag_refs(case) if flavour == "floor" else " · ".join(case.tags)
    return (
        f"({case.id})=\n# {case.title}\n\n"
        f"{KINDS[case.kind]} · {case.human_date}\n\n"
        f"{quote}\n>\n> — {case.attribution}\n\n"
        "```{rubric} Context and Discussion\n```\n\n"
        f"{case.context[0]} {case.context[1]} {refs[0]} and {refs[1]}. {case.context[2]}\n\n"
        f"```{{rubric}} Sources\n```\n\n{sources}\n\n"
        f"```{{rubric}} Tags\n```\n\n{tags}\n"
    )


def _listing_items(cases: Iterable[Case]) -> str:
    """A hand-written listing: what ``caselist`` (style ``list``) shows of each case,
    its title as a link, date, kind, and its tags as links to their pages."""
    return "\n".join(
        f"- {_ref(c)} — {c.human_date} · {KINDS[c.kind]} · {_tag_refs(c)}" for c in cases
    )


def listing_page(
    corpus: Corpus, tags: tuple[str, ...] | None, flavour: Flavour, features: Features
) -> str:
    """A listing page: every case, or the cases with any of *tags*, newest first."""
    title = "All cases" if tags is None else f"Cases tagged {', '.join(tags)}"
    if flavour == "caselog" and features.caselist:
        option = "" if tags is None else f":tags: {', '.join(tags)}\n"
        return f"# {title}\n\n:::{{caselist}}\n{option}:::\n"
    if flavour == "plain":
        return f"# {title}\n"  # nothing generated: the page is its title
    wanted = set(tags or ())
    cases = [c for c in corpus.newest_first() if tags is None or wanted & set(c.tags)]
    more = ""
    if len(cases) > MAX_LIST_ITEMS:
        rest = len(cases) - MAX_LIST_ITEMS
        more = f"\n{{ref}}`and {rest} more cases: see the Timeline <plain-timeline>`\n"
        cases = cases[:MAX_LIST_ITEMS]
    return f"# {title}\n\n{_listing_items(cases)}\n{more}"


def _letter_groups(names: Iterable[str]) -> dict[str, list[str]]:
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for name in names:
        groups[name[:1].upper() if name[:1].isalnum() else "#"].append(name)
    return dict(groups)


def _case_list(cases: Iterable[Case], extra: dict[str, str] | None = None) -> str:
    return "\n".join(f"- {_ref(c)}{(' — ' + extra[c.id]) if extra else ''}" for c in cases)


def plain_tag_index(corpus: Corpus, features: Features) -> str:
    """What the domain's Tag index shows: tags by letter, each with its cases."""
    by_tag = corpus.by_tag()
    parts = ["(plain-tags)=\n# Tag index\n"]
    for letter, names in _letter_groups(corpus.used_tags()).items():
        parts.append(f"**{letter}**\n")
        for tag in names:
            label = "" if features.tag_pages else f"(tag-{slug(tag)})=\n"
            cases = by_tag[tag]
            parts.append(f"{label}{tag} — {len(cases)} cases\n\n{_case_list(cases)}\n")
    return _orphan("\n".join(parts))


def plain_source_index(corpus: Corpus) -> str:
    """What the domain's Source index shows: publishers (hosts) with their cases."""
    entries: defaultdict[str, dict[str, list[Source]]] = defaultdict(dict)
    for case in corpus.chronological():
        for source in case.sources:
            entries[source.host].setdefault(case.id, []).append(source)
    by_id = {c.id: c for c in corpus.cases}
    parts = ["(plain-sources)=\n# Source index\n"]
    for letter, hosts in _letter_groups(sorted(entries)).items():
        parts.append(f"**{letter}**\n")
        for host in hosts:
            titles = {i: "; ".join(s.display for s in srcs) for i, srcs in entries[host].items()}
            cases = [by_id[i] for i in entries[host]]
            parts.append(f"{host}\n\n{_case_list(cases, titles)}\n")
    return _orphan("\n".join(parts))


def plain_timeline(corpus: Corpus) -> str:
    """What the domain's Timeline shows: cases by year, in date order."""
    by_year: defaultdict[int, list[Case]] = defaultdict(list)
    for case in corpus.chronological():
        by_year[case.date.year].append(case)
    parts = ["(plain-timeline)=\n# Timeline\n"]
    for year, cases in by_year.items():
        dates = {c.id: c.date.isoformat() for c in cases}
        parts.append(f"**{year}**\n\n{_case_list(cases, dates)}\n")
    return _orphan("\n".join(parts))


def plain_tag_page(tag: str, cases: Sequence[Case]) -> str:
    """What the extension's page of one tag shows: its cases, newest first, by year."""
    newest_first = sorted(cases, key=lambda c: (-c.date.toordinal(), c.title.casefold(), c.id))
    by_year: defaultdict[int, list[Case]] = defaultdict(list)
    for case in newest_first:
        by_year[case.date.year].append(case)
    years = "\n".join(
        f"```{{rubric}} {year}\n```\n\n{_listing_items(group)}\n" for year, group in by_year.items()
    )
    return _orphan(f"(tag-{slug(tag)})=\n# {tag}\n\n{years}")


def plain_tag_overview(corpus: Corpus) -> str:
    by_tag = corpus.by_tag()
    items = "\n".join(
        f"- {{ref}}`{t} <tag-{slug(t)}>` ({len(by_tag[t])})" for t in corpus.used_tags()
    )
    return _orphan(f"(plain-tag-overview)=\n# Tags\n\n{items}\n")


def root_page(corpus: Corpus, flavour: Flavour) -> str:
    if flavour == "caselog":
        browse = "{ref}`case-timeline` · {ref}`case-tags` · {ref}`case-sources`"
    elif flavour == "floor":
        browse = (
            "{ref}`Timeline <plain-timeline>` · {ref}`Tag index <plain-tags>` · "
            "{ref}`Source index <plain-sources>`"
        )
    else:
        browse = "by year, below"  # nothing generated to browse by
    listings = "\n".join(name for name, _ in corpus.listing_pages())
    return (
        f"# Benchmark case log\n\n"
        f"A generated case log of {corpus.n} cases (seed {corpus.seed}), written by "
        f"`benchmarks/corpus.py`.\n\nBrowse: {browse}.\n\n"
        "```{toctree}\n:maxdepth: 1\n:caption: Cases\n\ncases/index\n```\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n:caption: Listings\n\n{listings}\n```\n"
    )


def cases_index(corpus: Corpus) -> str:
    """The cases' root: one sub-toctree per year, as the docs recommend for a large log."""
    years = "\n".join(f"{y}/index" for y in corpus.years())
    return f"# Cases by year\n\n```{{toctree}}\n:maxdepth: 1\n\n{years}\n```\n"


def year_index(year: int, chronological: Iterable[Case]) -> str:
    names = "\n".join(c.id for c in chronological if c.date.year == year)
    return f"# {year}\n\n```{{toctree}}\n:maxdepth: 1\n\n{names}\n```\n"


def project_files(corpus: Corpus, flavour: Flavour, features: Features) -> dict[str, str]:
    """Every file of one flavour's project, relative to its folder (``src/…``, ``conf-…``)."""
    files = {
        "src/conf.py": conf_py(flavour),
        "conf-default-sidebar/conf.py": conf_py(flavour, default_sidebar=True),
        "src/index.md": root_page(corpus, flavour),
        "src/cases/index.md": cases_index(corpus),
    }
    chronological = corpus.chronological()
    for year in corpus.years():
        files[f"src/cases/{year}/index.md"] = year_index(year, chronological)
    for case in corpus.cases:
        files[f"src/{case.docname}.md"] = case_page(case, flavour)
    for docname, tags in corpus.listing_pages():
        files[f"src/{docname}.md"] = listing_page(corpus, tags, flavour, features)
    if flavour == "floor":
        files["src/indices/tags.md"] = plain_tag_index(corpus, features)
        files["src/indices/sources.md"] = plain_source_index(corpus)
        files["src/indices/timeline.md"] = plain_timeline(corpus)
        if features.tag_pages:
            files["src/tags/index.md"] = plain_tag_overview(corpus)
            for tag, cases in corpus.by_tag().items():
                files[f"src/tags/{slug(tag)}.md"] = plain_tag_page(tag, cases)
    return files


def write_project(corpus: Corpus, flavour: Flavour, dest: Path, features: Features) -> Path:
    """Write one flavour into *dest* (emptied first); return its source folder."""
    if dest.exists():
        shutil.rmtree(dest)
    for name, text in project_files(corpus, flavour, features).items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dest / "src"


def write_case(corpus: Corpus, index: int, flavour: Flavour, src: Path) -> Path:
    """(Re)write the page of case *index* only, as an author's edit would."""
    case = corpus.cases[index]
    path = src / f"{case.docname}.md"
    path.write_text(case_page(case, flavour), encoding="utf-8")
    return path


def write_changed(
    before: Corpus, after: Corpus, flavour: Flavour, src: Path, features: Features
) -> list[str]:
    """Write the files of *after* that differ from *before*: for the floor flavour, an
    edit together with its hand-written aggregates (listings, indices, tag pages)."""
    old = project_files(before, flavour, features)
    changed = [
        name
        for name, text in project_files(after, flavour, features).items()
        if old.get(name) != text
    ]
    for name in changed:
        (src.parent / name).write_text(project_files(after, flavour, features)[name])
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="number of cases (200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--flavour", choices=[*FLAVOURS, "all"], default="all")
    parser.add_argument(
        "--caselist",
        choices=["auto", "yes", "no"],
        default="auto",
        help="write caselist directives (auto: when the installed extension renders them)",
    )
    args = parser.parse_args(argv)
    features = Features.detect()
    if args.caselist != "auto":
        features = replace(features, caselist=args.caselist == "yes")
    corpus = generate(args.n, args.seed)
    for flavour in FLAVOURS if args.flavour == "all" else (args.flavour,):
        print(f"{flavour}: {write_project(corpus, flavour, args.out / flavour, features)}")
    print(f"features of the extension: {features}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
