# Hostile case text everywhere it can go. Settings as docs/security.md recommends for
# untrusted input (MyST's raw HTML syntax off). Smart quotes are off so that the page
# text can be compared with the text as written (they change "q" typographically).
extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
myst_disable_syntax = ["html_block", "html_inline"]
project = "Hostile log"
author = "Hostile Tester"
html_baseurl = "https://example.org/hostile/"
smartquotes = False
exclude_patterns = ["_build"]
