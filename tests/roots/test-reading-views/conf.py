extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Reading views"
caselog_publishers = {
    "eur-lex.europa.eu": "EUR-Lex",
    "curia.europa.eu": "Court of Justice of the EU",
}
