extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Tag pages"
caselog_tags = {
    "privacy": {
        "title": "Privacy",
        "description": "The right to respect for private life.",
        "aliases": ["private life"],
    },
    "encryption": {"title": "Encryption", "description": "Keeping communications confidential."},
    "data retention": {"title": "Data retention"},
}
