extensions = ["sphinx_caselog"]
project = "Many cases"
html_baseurl = "https://example.org/many/"
