extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Case log A"
caselog_publishers = {"rfc-editor.org": "IETF"}
