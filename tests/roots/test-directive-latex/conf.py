extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "LaTeX cases"
author = "Case Log Tests"
version = release = "1.0"
latex_documents = [("index", "caselog-latex.tex", "LaTeX cases", "Case Log Tests", "howto")]
