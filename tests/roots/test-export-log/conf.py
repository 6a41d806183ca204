extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Export café"
author = "Export Tester"
exclude_patterns = ["_build"]
caselog_publishers = {"rfc-editor.org": "IETF", "example.org": "Example"}
caselog_tags = {
    "mass surveillance": {
        "title": "Mass surveillance",
        "description": "Collection at scale.",
        "aliases": ["bulk-spying"],
    },
    "privacy": {"title": "Privacy"},
    "café": {"title": "Café & <Bar>", "description": 'Tea & "coffee" </script>'},
    "encryption": None,
}
