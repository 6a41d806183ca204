extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Every builder"
author = "Case Log Tests"
version = release = "1.0"
