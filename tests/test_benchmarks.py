"""The benchmark harness works (issue 8): a smoke run of ``benchmarks/run.py``.

Benchmarks are not tests: this asserts no timing, only that the harness builds both
flavours, measures every figure, and writes its JSON. CI runs it through the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).parents[1] / "benchmarks" / "run.py"


@pytest.mark.slow
def test_the_benchmark_smoke_run_measures_both_flavours(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(RUN), "--smoke", "--workdir", str(tmp_path), "--out", str(out)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "caselog/plain" in result.stdout or "ratio" in result.stdout.lower()
    data = json.loads(out.read_text(encoding="utf-8"))
    lines = {(entry["line"], entry["n"]) for entry in data["budget"]}
    for figure in (
        "full HTML build",
        "peak RSS",
        "no-change rebuild",
        "no-change: documents read / written",
        "edit tags: wall time vs plain's one-file rebuild",
    ):
        assert (figure, 20) in lines, f"no {figure!r} line at N=20 in the results"
    assert "20" in data["sizes"]
