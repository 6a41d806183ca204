extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Listing filters"
caselog_publishers = {
    "rfc-editor.org": "IETF",
    "ietf.org": "IETF",
    "curia.europa.eu": "CJEU",
}
