"""Regenerate the page images of the demo log's PDF shown on docs/pdf.md.

Builds ``docs/`` with ``sphinx-build -M latexpdf`` into a temporary folder, finds
a case page and the Tag index page by their text, and renders them with
``pdftoppm`` into ``docs/_static/``. Needs the TeX Live packages that ``.ci/run``
installs (latexmk, pdflatex) and poppler-utils.

    python docs/scripts/pdf_page_images.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
STATIC = DOCS / "_static"
#: (output name, texts that must all be on the page)
PAGES = (
    ("pdf-case-page", ("CJEU strikes down the EU", "Context and Discussion", "Sources")),
    ("pdf-index-page", ("TAG INDEX",)),
)


def page_texts(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)[1])  # type: ignore[index]
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
        for n in range(1, count + 1)
    ]  # fmt: skip


def main() -> int:
    with tempfile.TemporaryDirectory() as build:
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(DOCS), build, "-q"], check=True
        )
        pdf = Path(build) / "latex" / "sphinx-caselog.pdf"
        texts = page_texts(pdf)
        for name, markers in PAGES:
            number = next(i for i, t in enumerate(texts, 1) if all(m in t for m in markers))
            prefix = STATIC / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-singlefile",
                 "-f", str(number), "-l", str(number), str(pdf), str(prefix)],
                check=True,
            )  # fmt: skip
            print(f"{prefix}.png: page {number}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
