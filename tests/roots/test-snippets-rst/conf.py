extensions = ["sphinx_caselog"]
project = "Snippets"
