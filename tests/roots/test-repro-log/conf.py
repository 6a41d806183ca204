# Twelve documents plus an index: every view over the cases (pages, listings, tag
# pages, indices, caselog.json, feeds, LaTeX), and a few warnings, for builds
# that must be byte-identical whatever the hash seed, time zone, folder or -j.
extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Reproducible log"
author = "Repro Tester"
copyright = "%Y, Repro Tester"
html_baseurl = "https://example.org/repro/"
exclude_patterns = ["_build"]
caselog_publishers = {"rfc-editor.org": "IETF", "example.org": "Example", "example.net": "Example"}
