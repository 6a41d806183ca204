extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Every builder"
author = "Case Log Tests"
version = release = "1.0"
copyright = "2026, Case Log Tests"
