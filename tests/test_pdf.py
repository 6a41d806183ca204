"""Real PDF builds: LaTeX from the extension, compiled by latexmk, read back with pdftotext.

These are the PDF checks of ``.ci/run`` (which installs TeX Live first). Outside
CI they are skipped when the TeX tools are missing; in CI (``CI=true``) a
missing tool fails them, so a broken install step can't pass silently.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOTS, need

pytestmark = pytest.mark.slow
DOCS = Path(__file__).parents[1] / "docs"


def latexpdf(srcdir: Path, build: Path, *options: str) -> tuple[str, str]:
    """``sphinx-build -M latexpdf``: returns the LaTeX log and the PDF's text."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(srcdir), str(build), "-W",
         "--keep-going", *options],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    latex = build / "latex"
    (pdf,) = latex.glob("*.pdf")
    text_file = latex / "pdf.txt"  # to a file: a pipe can kill pdftotext early
    subprocess.run(["pdftotext", str(pdf), str(text_file)], check=True)
    log = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in latex.glob("*.log"))
    return log, text_file.read_text(encoding="utf-8")


def assert_clean_log(log: str) -> None:
    assert not re.search(r"^! ", log, re.MULTILINE), "LaTeX error"
    assert not re.search(r"LaTeX Warning: (Hyper )?[Rr]eference .* undefined", log)
    assert "Missing character" not in log


def flat(text: str) -> str:
    """PDF text with line breaks and hyphenation undone, for phrase searches."""
    return re.sub(r"\s+", " ", text.replace("-\n", ""))


def test_root_with_every_part_compiles_and_reads_back(tmp_path: Path) -> None:
    need("latexmk", "pdflatex", "pdftotext")
    log, text = latexpdf(ROOTS / "test-pdf", tmp_path)
    assert_clean_log(log)
    page = flat(text)
    for expected in (
        # titles, quote text, the written-out source URLs
        "CJEU invalidates the Data Retention Directive",
        "IETF declares “pervasive monitoring” an attack",
        "The IETF community’s technical assessment is that PM is an attack",
        "https://www.rfc-editor.org/rfc/rfc7258",
        "https://curia.europa.eu/juris/liste.jsf?num=C-293/12",
        "café, naïve, Zürich",
        # labels, listing, and the three indices
        "Context and Discussion",
        "Sources",
        "TAG INDEX",
        "SOURCE INDEX",
        "TIMELINE",
    ):
        assert expected in page or expected.upper() in page, expected
    # the long URL is written out in full, broken across lines rather than cut
    assert "keeps/going/on/and/on/for/ever" in text.replace("\n", "")


def test_latex_links_never_point_at_html(tmp_path: Path) -> None:
    need("latexmk", "pdflatex", "pdftotext")
    latexpdf(ROOTS / "test-pdf", tmp_path)
    (tex,) = (tmp_path / "latex").glob("*.tex")
    source = tex.read_text(encoding="utf-8")
    assert not re.search(r"\\(?:sphinxhref|href|sphinxurl|url)\{[^}]*\.html", source)
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]*)\}\}", source))
    for target in re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", source):
        assert target in labels, target


def test_docs_pdf(tmp_path: Path) -> None:
    """The demo log's PDF: every case title, and the index headings."""
    need("latexmk", "pdflatex", "pdftotext")
    log, text = latexpdf(DOCS, tmp_path)
    assert_clean_log(log)
    page = flat(text)
    for title in (
        "The Guardian reveals NSA collection of Verizon phone records",
        "CJEU strikes down the EU–US Safe Harbour decision",
        "Apple refuses to build a backdoor into the iPhone",
        "UK Investigatory Powers Act 2016 receives Royal Assent",
        "https://www.rfc-editor.org/rfc/rfc7258",
    ):
        assert title in page, title
    for heading in ("TAG INDEX", "SOURCE INDEX", "TIMELINE"):
        assert heading in page, heading
    # a case's closing parts never open a page: "Tags" or "See also" alone at the top
    # (the running header is the page's first line, its heading the second)
    for number, sheet in enumerate(text.split("\f"), 1):
        lines = [line.strip() for line in sheet.splitlines() if line.strip()]
        assert lines[1:2] not in (["Tags"], ["See also"]), f"page {number} opens with {lines[1:2]}"


def test_cyrillic_under_xelatex(tmp_path: Path) -> None:
    need("latexmk", "xelatex", "pdftotext")
    log, text = latexpdf(ROOTS / "test-pdf-xelatex", tmp_path)
    assert_clean_log(log)  # includes: no "Missing character"
    page = flat(text)
    assert "Суд признал директиву недействительной" in page
    assert "Директива о хранении данных признана недействительной" in page
