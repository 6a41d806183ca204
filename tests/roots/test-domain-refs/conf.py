extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Domain refs"
caselog_publishers = {
    "rfc-editor.org": "IETF",
    "ietf.org": "IETF",
    "example.org": "Example",
    "news.example.org": "Example News",
    "www.eff.org": "EFF",
}
