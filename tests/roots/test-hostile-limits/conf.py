# The caselog_max_* limits are set small by the tests (confoverrides).
extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Limits"
exclude_patterns = ["_build"]
