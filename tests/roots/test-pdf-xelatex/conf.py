extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Cyrillic case log"
author = "Test"
language = "ru"
latex_engine = "xelatex"
latex_documents = [("index", "cyrillic.tex", "Cyrillic case log", "Test", "manual")]
