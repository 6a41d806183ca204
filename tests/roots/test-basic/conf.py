extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Basic case log"
caselog_publishers = {"rfc-editor.org": "IETF", "ietf.org": "IETF"}
