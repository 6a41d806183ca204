extensions = ["sphinx_caselog"]
project = "Tag slugs"
