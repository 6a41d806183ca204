"""Build configuration of the sphinx-caselog documentation and demo case log."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinx-caselog"
author = "sphinx-caselog developers"
copyright = "2026, sphinx-caselog developers"
extensions = ["myst_parser", "sphinx_caselog", "caselog_docs"]
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "sphinx-caselog"
# Publishes the JSON Schema of caselog.json as _static/caselog.schema.json.
html_static_path = ["../sphinx_caselog/schema"]
language = "en"

caselog_publishers = {
    "rfc-editor.org": "IETF",
    "ietf.org": "IETF",
    "curia.europa.eu": "Court of Justice of the EU",
    "eur-lex.europa.eu": "EUR-Lex",
    "legislation.gov.uk": "UK Parliament",
    "ohchr.org": "UN OHCHR",
    "undocs.org": "United Nations",
}

caselog_tags = "tags.yml"

latex_documents = [
    ("index", "sphinx-caselog.tex", "sphinx-caselog", author, "manual"),
]
