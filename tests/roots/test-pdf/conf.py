extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "PDF case log"
author = "Test"
caselog_publishers = {"rfc-editor.org": "IETF", "ietf.org": "IETF"}
latex_documents = [("index", "pdfcaselog.tex", "PDF case log", "Test", "manual")]
