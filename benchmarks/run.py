"""Measure sphinx-caselog against plain Sphinx on the same content, side by side (issue 8).

For each N, ``corpus.py`` writes the same generated case log in two flavours,
``caselog`` (the extension) and ``plain`` (plain MyST: the floor). Both are built
alternately, A B A B, ``--repeat`` times each; every run of a flavour is:

1. a full HTML build, ``-j 1``, into an empty output folder: wall time and peak RSS;
2. a rebuild with no change: wall time, documents re-read and re-written;
3. a rebuild after editing one case's tags (its last tag swapped for another):
   wall time, documents re-read and re-written; the edit is then undone. The plain
   flavour also rebuilds the edit with its hand-written aggregates updated (the
   pages the extension re-writes by itself);
4. a full HTML build with ``-j 2``;
5. the ``-b caselog`` JSON build (caselog flavour), when the builder exists.

Then, once per flavour, a full build with the theme's default sidebar (alabaster's
renders the global toctree on every page). The script prints a Markdown table of
the medians with each figure's ratio caselog/plain and the budget of issue 8, and
writes everything, every run included, as JSON for comparison between commits.

Each build is a subprocess (``python -m sphinx``) timed with ``time.perf_counter``;
peak RSS is the child's own ``ru_maxrss`` from ``os.wait4``. Documents re-read and
re-written are parsed from Sphinx's status output.

Usage::

    python benchmarks/run.py --n 200 1000 --repeat 3 --out results.json
    python benchmarks/run.py --smoke        # N=20, 1 repeat, no default-sidebar run
    python benchmarks/run.py --n 200 --profile   # also one cProfile'd full build per flavour
    python benchmarks/run.py --report results.json   # the tables of an earlier run
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# ``python benchmarks/run.py`` puts this folder first on sys.path.
from corpus import (
    FLAVOURS,
    Corpus,
    Features,
    Flavour,
    edited_tags,
    generate,
    write_case,
    write_changed,
)
from corpus import write_project as write_flavour

REPO = Path(__file__).resolve().parent.parent
_STATUS = re.compile(r"^(reading sources|writing output)\.\.\. \[\s*\d+%\] (.+?)\s*$")
_EXTRA = re.compile(r"^(generating indices|writing additional pages)\.\.\. (.*?)\s*(done)?\s*$")


class BuildFailed(RuntimeError):
    """A ``sphinx-build`` that exited with an error (its stderr's end is the message)."""


@dataclass(frozen=True)
class Build:
    """The outcome of one ``sphinx-build`` run."""

    wall_s: float
    cpu_s: float
    maxrss_mib: float
    returncode: int
    warnings: int
    #: documents read, and documents written, in the order Sphinx reported them
    read: tuple[str, ...] = ()
    written: tuple[str, ...] = ()
    #: indices and additional pages (search, genindex, domain indices, tag pages…)
    extra: tuple[str, ...] = ()
    #: Sphinx's "N added, N changed, N removed" summary
    summary: str = ""


def sphinx_build(
    src: Path,
    out: Path,
    *,
    builder: str = "html",
    jobs: int = 1,
    confdir: Path | None = None,
    log: Path | None = None,
    python: Sequence[str] = (sys.executable,),
) -> Build:
    """Run one build in a subprocess; time it and read its peak RSS and status output."""
    cmd = [*python, "-m", "sphinx", "-b", builder, "-j", str(jobs)]
    if confdir is not None:
        cmd += ["-c", str(confdir)]
    cmd += [str(src), str(out)]
    env = {**os.environ, "NO_COLOR": "1"}
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env, cwd=src)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        out_text, err_text = stdout.read(), stderr.read()
    if log is not None:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"$ {' '.join(cmd)}\n{out_text}{err_text}\n")
    if proc.returncode != 0:
        raise BuildFailed(f"build failed ({proc.returncode}): {' '.join(cmd)}\n{err_text[-3000:]}")
    read: list[str] = []
    written: list[str] = []
    extra: list[str] = []
    summary = ""
    for line in out_text.splitlines():
        if match := _STATUS.match(line):
            (read if match[1] == "reading sources" else written).append(match[2])
        elif match := _EXTRA.match(line):
            extra.extend(match[2].split())
        elif line.startswith("updating environment:"):
            summary = line.split(":", 1)[1].strip()
    return Build(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        maxrss_mib=usage.ru_maxrss / 1024,
        returncode=proc.returncode,
        warnings=err_text.count("WARNING:") + err_text.count("ERROR:"),
        read=tuple(read),
        written=tuple(written),
        extra=tuple(extra),
        summary=summary,
    )


# -- one project --------------------------------------------------------------------------


@dataclass
class Project:
    """One flavour of one corpus, on disk, with its edit."""

    flavour: Flavour
    root: Path
    corpus: Corpus
    edited: Corpus
    edit_index: int
    log: Path
    features: Features

    @property
    def src(self) -> Path:
        return self.root / "src"

    def build(self, out: str, **kwargs: Any) -> Build:
        return sphinx_build(self.src, self.root / out, log=self.log, **kwargs)

    def fresh_build(self, out: str, **kwargs: Any) -> Build:
        shutil.rmtree(self.root / out, ignore_errors=True)
        return self.build(out, **kwargs)


@dataclass
class Run:
    """The figures of one run of one flavour (one repeat)."""

    full: Build
    nochange: Build
    edit: Build
    full_j2: Build
    json: Build | None
    #: plain only: the edit with the hand-written aggregates updated too
    edit_all: Build | None = None

    def figures(self) -> dict[str, float]:
        figures = {
            "full_s": self.full.wall_s,
            "rss_mib": self.full.maxrss_mib,
            "nochange_s": self.nochange.wall_s,
            "edit_s": self.edit.wall_s,
            "full_j2_s": self.full_j2.wall_s,
            "speedup_j2": self.full.wall_s / self.full_j2.wall_s,
            # CPU time (user + sys, the build's processes): steadier than wall time
            # on a busy machine, but blind to what -j gains
            "full_cpu_s": self.full.cpu_s,
            "nochange_cpu_s": self.nochange.cpu_s,
            "edit_cpu_s": self.edit.cpu_s,
        }
        if self.edit_all is not None:
            figures["edit_all_s"] = self.edit_all.wall_s
        if self.json is not None:
            figures["json_s"] = self.json.wall_s
            figures["json_vs_html"] = self.json.wall_s / self.full.wall_s
        return figures


def run_once(project: Project, *, jobs: int) -> Run:
    """One run: full, no-change, edit (then undone), -j N full, JSON.

    For the plain flavour, also the edit with its hand-written aggregates updated
    (the same pages the extension re-writes by itself), from the unedited state.
    """
    full = project.fresh_build("out")
    nochange = project.build("out")
    write_case(project.edited, project.edit_index, project.flavour, project.src)
    try:
        edit = project.build("out")
    finally:
        write_case(project.corpus, project.edit_index, project.flavour, project.src)
    edit_all = None
    if project.flavour == "plain":
        project.build("out")  # back to the unedited state
        args = (project.flavour, project.src, project.features)
        try:
            write_changed(project.corpus, project.edited, *args)
            edit_all = project.build("out")
        finally:
            write_changed(project.edited, project.corpus, *args)
    full_j2 = project.fresh_build("out-j", jobs=jobs)
    json_build = None
    if project.flavour == "caselog" and project.features.json_builder:
        json_build = project.fresh_build("out-json", builder="caselog")
    return Run(full, nochange, edit, full_j2, json_build, edit_all)


# -- the whole benchmark ------------------------------------------------------------------


@dataclass
class Options:
    sizes: list[int]
    repeat: int
    seed: int
    jobs: int
    workdir: Path
    out: Path
    default_sidebar: bool
    profile: bool
    features: Features


@dataclass
class SizeResult:
    """Everything measured at one N."""

    n: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    default_sidebar: dict[str, Build] = field(default_factory=dict)
    allowed_writes: list[str] = field(default_factory=list)
    edit: dict[str, Any] = field(default_factory=dict)

    def medians(self, flavour: str) -> dict[str, float]:
        runs = [r.figures() for r in self.runs[flavour]]
        return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def aggregate_pages(corpus: Corpus, edited: Corpus, index: int) -> list[str]:
    """The documents an edit of one case's tags may re-write.

    The case itself; the listings that show it before or after the edit (they show
    its tags); and, as Sphinx re-writes the parent of every re-written document
    (its toctree shows the child's title), the case's year index and the root.
    """
    before, after = set(corpus.cases[index].tags), set(edited.cases[index].tags)
    case = corpus.cases[index]
    pages = [case.docname, f"cases/{case.date.year}/index"]
    listings = [
        docname
        for docname, tags in corpus.listing_pages()
        if tags is None or not (before | after).isdisjoint(tags)
    ]
    return pages + listings + (["index"] if listings else [])


def measure_size(n: int, options: Options, say: Callable[[str], None]) -> SizeResult:
    corpus = generate(n, options.seed)
    index = n // 2
    tags, lost, gained = edited_tags(corpus, index)
    edited = corpus.with_tags(index, tags)
    case = corpus.cases[index]
    result = SizeResult(n, allowed_writes=aggregate_pages(corpus, edited, index))
    result.edit = {"case": case.docname, "lost": lost, "gained": gained}
    projects = {}
    for flavour in FLAVOURS:
        root = options.workdir / f"n{n}" / flavour
        write_flavour(corpus, flavour, root, options.features)
        log = options.workdir / f"n{n}-{flavour}.log"
        log.write_text("")
        projects[flavour] = Project(flavour, root, corpus, edited, index, log, options.features)
        result.runs[flavour] = []
    for repeat in range(1, options.repeat + 1):
        for flavour in FLAVOURS:  # A B A B
            started = time.perf_counter()
            run = run_once(projects[flavour], jobs=options.jobs)
            result.runs[flavour].append(run)
            say(
                f"N={n} run {repeat}/{options.repeat} {flavour:7}: full {run.full.wall_s:.2f} s, "
                f"{run.full.maxrss_mib:.0f} MiB, no-change {run.nochange.wall_s:.2f} s, "
                f"edit {run.edit.wall_s:.2f} s, -j{options.jobs} {run.full_j2.wall_s:.2f} s"
                + (f", edit with aggregates {run.edit_all.wall_s:.2f} s" if run.edit_all else "")
                + (f", json {run.json.wall_s:.2f} s" if run.json else "")
                + f" ({time.perf_counter() - started:.0f} s)"
            )
    if options.default_sidebar:
        for flavour in FLAVOURS:
            project = projects[flavour]
            build = project.fresh_build(
                "out-default-sidebar", confdir=project.root / "conf-default-sidebar"
            )
            shutil.rmtree(project.root / "out-default-sidebar", ignore_errors=True)
            result.default_sidebar[flavour] = build
            say(f"N={n} default sidebar {flavour:7}: full {build.wall_s:.2f} s")
    if options.profile:
        for flavour in FLAVOURS:
            say(profile_build(projects[flavour], options.workdir / f"n{n}-{flavour}.prof"))
    return result


def profile_build(project: Project, prof: Path, top: int = 25) -> str:
    """One full build under cProfile; the top entries overall and from sphinx_caselog."""
    shutil.rmtree(project.root / "out-prof", ignore_errors=True)
    build = project.build("out-prof", python=(sys.executable, "-m", "cProfile", "-o", str(prof)))
    shutil.rmtree(project.root / "out-prof", ignore_errors=True)
    stats = pstats.Stats(str(prof))
    rows = []
    for (filename, line, name), (_, ncalls, _tt, ct, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((ct, ncalls, f"{_short(filename)}:{line}({name})"))
    rows.sort(reverse=True)
    ours = [r for r in rows if "sphinx_caselog" in r[2]]
    lines = [f"profile of the {project.flavour} full build ({build.wall_s:.1f} s): {prof}"]
    lines += ["  cumulative s   calls  function (overall)"]
    lines += [f"  {ct:12.2f} {n:7d}  {name}" for ct, n, name in rows[:top]]
    lines += ["  cumulative s   calls  function (sphinx_caselog)"]
    lines += [f"  {ct:12.2f} {n:7d}  {name}" for ct, n, name in ours[:top]]
    return "\n".join(lines)


def _short(filename: str) -> str:
    """A profile entry's file, from the package on (``sphinx/…``, ``sphinx_caselog/…``)."""
    if "/sphinx_caselog/" in filename:
        return "sphinx_caselog/" + filename.split("/sphinx_caselog/", 1)[1]
    return re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", filename)


# -- the budget ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One line of the budget at one N (or across sizes)."""

    n: int | str
    line: str
    value: str
    limit: str
    ok: bool


def check_size(result: SizeResult, jobs: int) -> list[Check]:
    cl, pl = result.medians("caselog"), result.medians("plain")
    n = result.n
    checks = [
        Check(n, "full HTML build", f"{cl['full_s'] / pl['full_s']:.2f}x", "≤ 1.10x",
              cl["full_s"] / pl["full_s"] <= 1.10),
        Check(n, "peak RSS", f"{cl['rss_mib'] / pl['rss_mib']:.2f}x", "≤ 1.15x",
              cl["rss_mib"] / pl["rss_mib"] <= 1.15),
        Check(n, "no-change rebuild", f"{cl['nochange_s'] / pl['nochange_s']:.2f}x", "≤ 1.10x",
              cl["nochange_s"] / pl["nochange_s"] <= 1.10),
    ]  # fmt: skip
    nochange = [(len(r.nochange.read), len(r.nochange.written)) for r in result.runs["caselog"]]
    checks.append(
        Check(n, "no-change: documents read / written",
              f"{max(nochange)[0]} / {max(nochange)[1]}", "0 / 0", max(nochange) == (0, 0))
    )  # fmt: skip
    edit = result.runs["caselog"][-1].edit
    case = result.edit["case"]
    unexpected = sorted(set(edit.written) - set(result.allowed_writes))
    checks += [
        Check(n, "edit tags: wall time vs plain's one-file rebuild",
              f"{cl['edit_s'] / pl['edit_s']:.2f}x", "≤ 1.50x", cl["edit_s"] / pl["edit_s"] <= 1.5),
        Check(n, "edit tags: re-reads only that document", ", ".join(edit.read) or "none",
              case, list(edit.read) == [case]),
        Check(n, "edit tags: re-writes only it and changed aggregates",
              f"{len(edit.written)} written"
              + (f", unexpected: {', '.join(unexpected)}" if unexpected else ""),
              f"⊆ {len(result.allowed_writes)} pages", not unexpected),
        Check(n, f"-j {jobs} speed-up at least plain's",
              f"{cl['speedup_j2']:.2f}x vs {pl['speedup_j2']:.2f}x", "≥ plain's",
              cl["speedup_j2"] >= pl["speedup_j2"]),
    ]  # fmt: skip
    if "json_s" in cl and n >= 1000:  # the budget's line is at N=1000
        checks.append(
            Check(n, "-b caselog vs full HTML (caselog)", f"{cl['json_vs_html']:.2f}x",
                  "≤ 0.50x (N=1000)", cl["json_vs_html"] <= 0.5)
        )  # fmt: skip
    return checks


def check_growth(results: list[SizeResult]) -> list[Check]:
    """The caselog/plain ratios must not grow with N (2 % of noise allowed)."""
    if len(results) < 2:
        return []
    small, large = results[0], results[-1]
    checks = []
    for key, label in (("full_s", "full build"), ("rss_mib", "peak RSS"),
                       ("nochange_s", "no-change"), ("edit_s", "edit tags")):  # fmt: skip
        ratios = [r.medians("caselog")[key] / r.medians("plain")[key] for r in (small, large)]
        checks.append(
            Check(f"{small.n}→{large.n}", f"ratio does not grow: {label}",
                  f"{ratios[0]:.2f}x → {ratios[1]:.2f}x", "not larger (+0.02)",
                  ratios[1] <= ratios[0] + 0.02)
        )  # fmt: skip
    return checks


# -- reporting ---------------------------------------------------------------------------------


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "n/a"


def table(result: SizeResult, jobs: int) -> str:
    cl, pl = result.medians("caselog"), result.medians("plain")
    c_runs, p_runs = result.runs["caselog"], result.runs["plain"]

    def counts(runs: list[Run], attr: str) -> str:
        build: Build = getattr(runs[-1], attr)
        return f"{len(build.read)} / {len(build.written)}"

    def cpu(key: str) -> list[tuple[str, ...]]:
        if key not in cl or key not in pl:  # results of an older run.py
            return []
        return [
            ("↳ CPU time", f"{cl[key]:.2f} s", f"{pl[key]:.2f} s", _ratio(cl[key], pl[key]), "")
        ]

    def edit_all() -> list[tuple[str, ...]]:
        if "edit_all_s" not in pl:
            return []
        return [
            ("↳ plain updating its hand-written aggregates too", f"{cl['edit_s']:.2f} s",
             f"{pl['edit_all_s']:.2f} s", _ratio(cl["edit_s"], pl["edit_all_s"]), "")
        ]  # fmt: skip

    rows = [
        ("full HTML build", f"{cl['full_s']:.2f} s", f"{pl['full_s']:.2f} s",
         _ratio(cl["full_s"], pl["full_s"]), "≤ 1.10x"),
        *cpu("full_cpu_s"),
        ("peak RSS (full build)", f"{cl['rss_mib']:.0f} MiB", f"{pl['rss_mib']:.0f} MiB",
         _ratio(cl["rss_mib"], pl["rss_mib"]), "≤ 1.15x"),
        ("no-change rebuild", f"{cl['nochange_s']:.2f} s", f"{pl['nochange_s']:.2f} s",
         _ratio(cl["nochange_s"], pl["nochange_s"]), "≤ 1.10x"),
        *cpu("nochange_cpu_s"),
        ("↳ documents read / written", counts(c_runs, "nochange"), counts(p_runs, "nochange"),
         "", "0 / 0"),
        ("edit one case's tags", f"{cl['edit_s']:.2f} s", f"{pl['edit_s']:.2f} s",
         _ratio(cl["edit_s"], pl["edit_s"]), "≤ 1.50x"),
        *cpu("edit_cpu_s"),
        *edit_all(),
        ("↳ documents read / written", counts(c_runs, "edit"), counts(p_runs, "edit"),
         "", f"1 / ≤ {len(result.allowed_writes)}"),
        (f"full HTML build -j {jobs}", f"{cl['full_j2_s']:.2f} s",
         f"{pl['full_j2_s']:.2f} s", _ratio(cl["full_j2_s"], pl["full_j2_s"]), ""),
        (f"↳ speed-up -j {jobs} over -j 1", f"{cl['speedup_j2']:.2f}x",
         f"{pl['speedup_j2']:.2f}x", "", "≥ plain's"),
        ("`-b caselog` JSON build",
         f"{cl['json_s']:.2f} s" if "json_s" in cl else "n/a", "—",
         f"{cl['json_vs_html']:.2f}x of HTML" if "json_s" in cl else "n/a", "≤ 0.50x of HTML"),
    ]  # fmt: skip
    if result.default_sidebar:
        c, p = result.default_sidebar["caselog"].wall_s, result.default_sidebar["plain"].wall_s
        rows.append(("full build, default sidebar (1 run)", f"{c:.2f} s", f"{p:.2f} s",
                     _ratio(c, p), ""))  # fmt: skip
    head = (
        f"| N={result.n}, median of {len(c_runs)} | caselog | plain | caselog/plain | budget |\n"
        "| --- | ---: | ---: | ---: | --- |\n"
    )
    return head + "\n".join(f"| {' | '.join(row)} |" for row in rows)


def machine() -> dict[str, Any]:
    def version(dist: str) -> str | None:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return None

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (line.split()[1] for line in _read("/proc/meminfo").splitlines() if "MemTotal" in line),
        "0",
    )
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024**2, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            d: version(d)
            for d in (
                "sphinx",
                "docutils",
                "myst-parser",
                "alabaster",
                "sphinx-design",
                "sphinx-caselog",
            )
        },
        "commit": commit(),
    }


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def commit() -> str | None:
    """The checked-out commit, read from ``.git`` (no git command needed)."""
    git = REPO / ".git"
    head = _read(str(git / "HEAD")).strip()
    if not head.startswith("ref: "):
        return head or None
    ref = head[5:]
    if sha := _read(str(git / ref)).strip():
        return sha
    for line in _read(str(git / "packed-refs")).splitlines():
        if line.endswith(" " + ref):
            return line.split()[0]
    return None


def to_json(results: list[SizeResult], checks: list[Check], options: Options) -> dict[str, Any]:
    def build_json(build: Build) -> dict[str, Any]:
        return asdict(build)

    sizes: dict[str, Any] = {}
    for result in results:
        cl, pl = result.medians("caselog"), result.medians("plain")
        sizes[str(result.n)] = {
            "medians": {"caselog": cl, "plain": pl},
            "ratios": {k: cl[k] / pl[k] for k in pl if k in cl and pl[k]},
            "edit": {**result.edit, "allowed_writes": result.allowed_writes},
            "runs": {
                flavour: [
                    {name: build_json(b) for name, b in vars(run).items() if b is not None}
                    for run in runs
                ]
                for flavour, runs in result.runs.items()
            },
            "default_sidebar": {f: build_json(b) for f, b in result.default_sidebar.items()},
        }
    return {
        "schema": 1,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "options": {
            "sizes": options.sizes,
            "repeat": options.repeat,
            "seed": options.seed,
            "jobs": options.jobs,
            "default_sidebar": options.default_sidebar,
            "features": asdict(options.features),
        },
        "sizes": sizes,
        "budget": [asdict(c) for c in checks],
    }


def report(results: list[SizeResult], jobs: int, say: Callable[[str], None]) -> list[Check]:
    """Print the tables and the budget; return the budget's lines."""
    checks = [c for r in results for c in check_size(r, jobs)] + check_growth(results)
    for result in results:
        say("\n" + table(result, jobs))
        edit = result.edit
        say(
            f"\nedit: {edit['case']} lost {edit['lost']!r}, gained {edit['gained']!r}; "
            f"caselog re-wrote {', '.join(result.runs['caselog'][-1].edit.written) or 'nothing'}"
        )
    say("\n| budget | N | measured | limit | |\n| --- | --- | --- | --- | --- |")
    for c in checks:
        say(f"| {c.line} | {c.n} | {c.value} | {c.limit} | {'met' if c.ok else '**MISSED**'} |")
    return checks


def load(path: Path) -> tuple[list[SizeResult], dict[str, Any]]:
    """The results of an earlier run, from its JSON."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def build(raw: dict[str, Any]) -> Build:
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        return Build(**fields)

    def builds(run: dict[str, Any]) -> dict[str, Any]:
        return {"json": None, **{name: build(raw) for name, raw in run.items()}}

    results = []
    for n, size in sorted(data["sizes"].items(), key=lambda item: int(item[0])):
        result = SizeResult(int(n), allowed_writes=size["edit"].pop("allowed_writes"))
        result.edit = size["edit"]
        result.runs = {
            flavour: [Run(**builds(run)) for run in runs] for flavour, runs in size["runs"].items()
        }
        result.default_sidebar = {f: build(b) for f, b in size["default_sidebar"].items()}
        results.append(result)
    return results, data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[200, 1000], help="sizes (200 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each flavour (3)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (1)")
    parser.add_argument("--jobs", type=int, default=2, help="-j of the parallel build (2)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "sphinx-caselog-bench",
        help="where projects, outputs, logs and profiles go",
    )
    parser.add_argument("--out", type=Path, help="the JSON results (default WORKDIR/results.json)")
    parser.add_argument(
        "--no-default-sidebar",
        dest="default_sidebar",
        action="store_false",
        help="skip the run with the theme's default sidebar",
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile one full build")
    parser.add_argument(
        "--smoke", action="store_true", help="N=20, 1 repeat, no default-sidebar run (for CI)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget line is missed")
    parser.add_argument(
        "--report", type=Path, metavar="JSON", help="print the tables of an earlier run's JSON"
    )
    args = parser.parse_args(argv)
    if args.report:
        results, data = load(args.report)
        machine_info = data["machine"]
        print(
            f"{data['date']}: {machine_info['cpu']}, {machine_info['cpus']} CPUs, "
            f"commit {machine_info['commit']}; "
            + ", ".join(f"{k} {v}" for k, v in machine_info["versions"].items() if v)
        )
        checks = report(results, data["options"]["jobs"], print)
        return 1 if args.check and not all(c.ok for c in checks) else 0
    if args.smoke:
        args.n, args.repeat, args.default_sidebar, args.profile = [20], 1, False, False
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.workdir.mkdir(parents=True, exist_ok=True)
    features = Features.detect()
    options = Options(
        sizes=sorted(args.n),
        repeat=args.repeat,
        seed=args.seed,
        jobs=args.jobs,
        workdir=args.workdir.resolve(),
        out=args.out or args.workdir / "results.json",
        default_sidebar=args.default_sidebar,
        profile=args.profile,
        features=features,
    )

    def say(text: str) -> None:
        print(text, flush=True)

    info = machine()
    say(
        f"{info['cpu']}, {info['cpus']} CPUs, {info['memory_gib']} GiB; Python {info['python']}; "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
    )
    say(f"features of the extension: {features}")
    if not features.caselist:
        say("no caselist directive: both flavours get the hand-written listing pages")
    try:
        results = [measure_size(n, options, say) for n in options.sizes]
    except BuildFailed as err:
        print(f"run.py: {err}", file=sys.stderr)
        return 2
    checks = report(results, options.jobs, say)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(
        json.dumps(to_json(results, checks, options), indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    say(f"\nresults: {options.out}")
    return 1 if args.check and not all(c.ok for c in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
