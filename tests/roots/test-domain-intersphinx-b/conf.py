# intersphinx_mapping is given by the test (it names project A's output folder).
extensions = ["myst_parser", "sphinx.ext.intersphinx", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Project B"
