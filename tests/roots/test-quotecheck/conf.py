extensions = ["myst_parser", "sphinx_caselog"]
myst_enable_extensions = ["colon_fence"]
project = "Quotecheck"
exclude_patterns = ["_build"]
# Sources are on a server the test starts on 127.0.0.1; the test writes its port
# over PORT in a copy of this root. Short timeouts keep the slow source fast.
caselog_quotecheck_timeout = 0.5
caselog_quotecheck_retries = 1
caselog_quotecheck_rate_limit = 0
caselog_quotecheck_workers = 4
caselog_quotecheck_ignore = [r"http://127\.0\.0\.1:\d+/ignored"]
