# test_hardening.py writes huge.rst or huge.md (a case with a 1 MB title, 10,000 tags
# and 10,000 sources) into a copy.
extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Huge input"
exclude_patterns = ["_build"]
