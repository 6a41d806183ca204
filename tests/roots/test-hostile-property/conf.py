# The property tests (tests/test_properties.py) write case.rst into a copy.
# Smart quotes are off: they change "q" and -- typographically, which is not escaping.
extensions = ["sphinx_caselog"]
project = "Generated"
html_baseurl = "https://example.org/generated/"
smartquotes = False
exclude_patterns = ["_build"]
