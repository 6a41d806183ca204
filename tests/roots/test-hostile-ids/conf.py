extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Colliding ids"
html_baseurl = "https://example.org/ids/"
exclude_patterns = ["_build"]
