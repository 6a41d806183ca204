extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Hostile URLs"
author = "URL Tester"
html_baseurl = "https://example.org/urls/"
exclude_patterns = ["_build"]
