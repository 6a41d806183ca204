extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Material from the world"
html_baseurl = "https://example.org/world/"
exclude_patterns = ["_build", "included.md", "included_rst.rst"]
