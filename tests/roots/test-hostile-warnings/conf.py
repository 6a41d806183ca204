# Triggers every caselog warning subtype, in three configurations (see
# tests/test_hardening.py): as is; with caselog_tags = "broken-tags.yml" for
# caselog.vocabulary (a broken vocabulary is turned off, and caselog.unknown_tag
# with it); with caselog_feed_length = -1 for caselog.config.
extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Every warning"
exclude_patterns = ["_build"]
caselog_tags = "tags.yml"
caselog_max_tags = 2
