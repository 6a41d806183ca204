# The project the Jekyll fixtures are imported into (tests/test_importer_build.py):
# only a configuration; every page comes from `sphinx-caselog import-jekyll`.
extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Imported case log"
# Straight quotes, so that titles and quotes compare with the posts character for character.
smartquotes = False
