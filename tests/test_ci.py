"""CI runs what tox defines: ``.ci/run``, ``tox.ini``, ``pyproject.toml`` and the README agree.

No builds: these read the four files, so that a change to one of them that the others
do not follow fails here rather than in a CI run that tests something else.
"""

from __future__ import annotations

import configparser
import re
import subprocess
import tomllib
from pathlib import Path

REPO = Path(__file__).parent.parent
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")
LOWER = REPO / ".ci" / "lower-bounds.txt"


def tox() -> configparser.ConfigParser:
    config = configparser.ConfigParser(interpolation=None)
    config.read(REPO / "tox.ini", encoding="utf-8")
    return config


def commands(section: str) -> list[str]:
    return [line.strip() for line in tox()[section]["commands"].splitlines() if line.strip()]


def test_the_lower_bounds_file_pins_pyprojects_lower_bounds() -> None:
    declared = {}
    for requirement in tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"][
        "dependencies"
    ]:
        if match := re.fullmatch(r"([A-Za-z0-9_.-]+)>=([\d.]+)", requirement):
            declared[match[1].lower()] = match[2]
    pinned = re.findall(
        r"^([A-Za-z0-9_.-]+)==([\d.]+)\.\*$", LOWER.read_text("utf-8"), re.MULTILINE
    )
    # every dependency with a lower bound is pinned to it, and nothing else is
    assert sorted(name.lower() for name, _ in pinned) == sorted(declared)
    for name, version in pinned:
        assert declared[name.lower()] == version, (name, version, declared.get(name.lower()))


def test_tox_and_ci_install_the_lower_bounds_from_the_one_file() -> None:
    assert tox()["testenv:py-sphinx81"]["deps"].strip() == "-r .ci/lower-bounds.txt"
    assert commands("testenv:py-sphinx81") == ["python -m pytest {posargs}"]
    assert ".venv-min/bin/pip install -r .ci/lower-bounds.txt -e '.[test]'\n" in CI
    assert "\n.venv-min/bin/python -m pytest\n" in CI


def test_ci_runs_the_lint_commands_of_tox() -> None:
    lint = commands("testenv:lint")
    assert lint, "tox.ini's lint environment runs nothing"
    for command in lint:
        assert f"\n.venv/bin/{command}\n" in CI, command


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (command,) = re.findall(r"^python3 -m venv \.venv .*pytest$", readme, re.MULTILINE)
    # "|| exit": a failure anywhere in the && list stops CI (set -e alone would not)
    assert f"\n{command} || exit\n" in CI
    assert commands("testenv") == ["python -m pytest {posargs}"]


def apt_packages(present: set[str], tmp_path: Path) -> list[str]:
    """What step 1 of .ci/run would ask apt-get for on a machine with only ``present``."""
    step = CI[CI.index("packages=()") : CI.index("# --- browser suite")]
    bin_dir = tmp_path / "-".join(sorted(present))
    bin_dir.mkdir()
    for tool in present:
        (bin_dir / tool).write_text("#!/bin/sh\n")
        (bin_dir / tool).chmod(0o755)
    # apt-get is a shell function here, so nothing is installed; it prints what it was asked
    script = 'apt-get() { [ "$1" = install ] && printf "%s\\n" "$@"; true; }\n' + step
    done = subprocess.run(
        ["/bin/bash", "-c", script],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in done.stdout.splitlines() if not line.startswith("-")][1:]


def test_ci_asks_apt_only_for_what_is_missing(tmp_path: Path) -> None:
    tools = {"latexmk", "pdflatex", "xelatex", "xindy", "pdftotext", "chromium", "java", "npm"}
    # a NodeSource machine: npm is there, and Debian's npm would conflict with its nodejs
    wanted = apt_packages(tools - {"chromium", "java"}, tmp_path)
    assert "chromium" in wanted and "default-jre-headless" in wanted
    assert "npm" not in wanted and "latexmk" not in wanted
    assert "npm" in apt_packages(tools - {"npm"}, tmp_path)
