extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Archived sources"
exclude_patterns = ["_build"]
html_baseurl = "https://example.org/log/"
latex_documents = [("index", "sources.tex", "Archived sources", "Tester", "manual")]
