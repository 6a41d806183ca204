"""Property tests (hypothesis) of the Jekyll importer: YAML traps in, the text as written out.

The written page is read back the way MyST reads it (its Markdown parser for the heading
and the case fence, its option reader and PyYAML for the options), which is what a build
would see; one slow test builds random posts with Sphinx itself.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from helpers import ROOTS, warnings_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.options import options_to_items
from sphinx.testing.util import SphinxTestApp

from sphinx_caselog.jekyll import (
    ImportOptions,
    convert_one,
    import_jekyll,
    markdown_text,
    yaml_lines,
    yaml_scalar,
)

MYST = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)
FILE = "2014-05-01-trap.md"

#: Plain YAML reads each of these as something other than the text written:
#: booleans, numbers, dates, nulls, sexagesimals, and indicators.
TRAPS = [
    "no", "No", "NO", "yes", "on", "Off", "y", "n", "true", "False",
    "1.10", "1.0", "0o17", "017", "0x1F", "1e3", "1_000", "+1", "-0", ".inf", "-.Inf", ".NaN",
    "1:20", "190:20:30", "2014-05-01", "2014-05-01 10:00:00 +01:00", "2014-5-1",
    "~", "null", "Null", "#hash", "a #b", "a: b", "- item", "[x]", "{x}", "&anchor",
    "*alias", "!tag", "!!str", "%YAML", "@at", "`tick", "'", '"', "'quoted'", "---", "...",
    "?", ":", "|", ">", "<<", "=", "\\", "é", "日本語", "🙂", "1,000", " leading", "trailing ",
]  # fmt: skip

# Characters YAML can hold in a quoted scalar without escapes and Markdown keeps as
# written: no controls, surrogates, line or paragraph separators.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30)
VALUES = st.one_of(st.sampled_from(TRAPS), TEXT)


def single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def double_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plain_form_reads_back(value: str) -> bool:
    """Whether ``key: value`` is valid YAML whose scalar text is *value* (a plain form)."""
    try:
        node = yaml.compose(f"key: {value}\n", Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    if node is None or not node.value or not isinstance(node.value[0][1], yaml.ScalarNode):
        return False
    scalar = node.value[0][1]
    return scalar.style is None and scalar.value == value and scalar.tag != "!"


def post(front_matter: str, body: str = "> A quote.\n") -> bytes:
    return f"---\n{front_matter}\n---\n\n{body}".encode()


def heading_and_options(page: str) -> tuple[str, dict[str, str]]:
    """The page's h1 text and the case's options, as MyST reads them."""
    tokens = MYST.parse(page)
    top = [t for t in tokens if t.level == 0 and t.nesting >= 0]
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.level == 0]
    assert len(headings) == 1
    heading = "".join(c.content for c in tokens[headings[0] + 1].children or [])
    fences = [t for t in top if t.type == "colon_fence"]
    assert len(fences) == 1
    assert fences[0].info == "{case}"
    assert fences[0].map is not None
    assert fences[0].map[1] == page.count("\n")  # the case runs to the last line
    lines = fences[0].content.split("\n")
    assert lines[0] == "---"
    block = "\n".join(lines[1 : lines.index("---", 1)])
    items, state = options_to_items(block)
    assert not state.has_comments
    options = dict(items)
    assert {k: str(v) for k, v in (yaml.safe_load(block) or {}).items()} == options
    return heading, options


# -- front matter -----------------------------------------------------------------------


@given(VALUES, st.sampled_from(["single", "double", "plain"]))
def test_a_title_is_the_text_written(value: str, form: str) -> None:
    if form == "plain" and not plain_form_reads_back(value):
        form = "single"
    written = {"single": single_quoted, "double": double_quoted, "plain": lambda v: v}[form](value)
    page, messages = convert_one(post(f"title: {written}\ndate: 2014-05-01"), FILE)
    assert page is not None, messages
    heading, _ = heading_and_options(page)
    shown = " ".join(value.split())
    nulls = {"", "~", "null", "Null", "NULL"}
    if not shown or (form == "plain" and value in nulls):
        assert heading == "Trap"  # Jekyll's fallback: the slug, titleized
    else:
        assert heading == shown


@given(st.lists(VALUES, min_size=1, max_size=5))
def test_tag_list_items_are_kept_as_written(values: list[str]) -> None:
    items = ", ".join(single_quoted(v) for v in values)
    page, messages = convert_one(post(f"title: T\ntags: [{items}]"), FILE)
    assert page is not None, messages
    _, options = heading_and_options(page)
    kept = [v for v in values if v.strip() and "," not in v]
    shown = [t.strip() for t in options.get("tags", "").split(",") if t.strip()]
    assert [" ".join(t.split()) for t in shown] == list(
        dict.fromkeys(" ".join(v.split()) for v in kept)
    ) or len({v.strip().casefold() for v in kept}) < len(kept)  # duplicates collapse
    if any("," in v for v in values):
        assert any("comma" in m.text for m in messages)


@given(st.sampled_from(["case_date", "date"]), VALUES)
def test_a_bad_date_is_a_located_error_never_a_traceback(key: str, value: str) -> None:
    front = f"title: T\n{key}: {single_quoted(value)}"
    page, messages = convert_one(post(front), FILE)
    errors = [m for m in messages if m.level == "error"]
    if page is None:
        assert errors
        assert all(m.line == 3 for m in errors), errors  # the line of the key
    else:
        assert not errors


@given(st.text(max_size=200))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_any_front_matter_gives_a_page_or_located_errors(front: str) -> None:
    data = post(front)
    page, messages = convert_one(data, FILE)
    lines = data.decode().count("\n") + 1
    if page is None:
        assert messages
        assert all(m.level != "error" or (m.line and 1 <= m.line <= lines) for m in messages)
    else:
        heading_and_options(page)


# -- the page -----------------------------------------------------------------------------

#: Pieces of kramdown, Liquid and MyST syntax, to be put together in any order.
PIECES = [
    "\n", "\n\n", " ", "    ", "> ", ">", "# ", "## ", "### ", "Source", "See also",
    "Context and Discussion", "---", "***", "===", "```", "~~~", "```{raw} html", ":::",
    "::::", ":::{note}", "{raw}`x`", "`", "``", "* ", "- ", "1. ", "[", "]", "(", ")",
    "[a](/2014/05/01/trap.html)", "<https://example.org>", "[t](https://example.org/x)",
    "[t](/tag/x)", "![i](/a.png)", "(label)=", "%", "+++", "{% raw %}", "{% endraw %}",
    "{% if x %}", "{% endif %}", "{% highlight py %}", "{% highlight c linenos %}",
    "{% endhighlight %}", "{{ x }}",
    "{% post_url 2014-05-01-trap %}", "{{ site.baseurl }}", "{: .c}", "{#id}", ":opt: v",
    "[...]", "-- ", "\\", "<b>", "<!-- c -->", "|a|b|", "[^1]", "[^1]: n", "[r]: /x",
]  # fmt: skip
MARKDOWNISH = st.lists(st.one_of(st.sampled_from(PIECES), TEXT), max_size=40).map("".join)


@given(MARKDOWNISH)
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_any_body_stays_inside_its_case(body: str) -> None:
    page, messages = convert_one(post("title: T", body), FILE)
    assert page is not None, messages
    heading_and_options(page)
    assert page.endswith("\n")
    assert "\r" not in page
    (case,) = (t for t in MYST.parse(page) if t.type == "colon_fence")
    lines = case.content.split("\n")
    inside = MYST.parse("\n".join(lines[lines.index("---", 1) + 1 :]))
    # Nothing in the body is MyST syntax the post didn't mean: no comment, target,
    # block break, directive or role but the importer's own; and nothing a case can't
    # hold (sections, transitions).
    for token in inside:
        assert token.type not in {"myst_line_comment", "myst_target", "myst_block_break"}
        assert token.type not in {"heading_open", "hr"}
        if token.type == "colon_fence":
            assert token.info.startswith("{rubric} ")
        if token.type == "fence":
            assert not token.info.startswith("{") or token.info.startswith("{code-block}")
        for child in token.children or []:
            if child.type == "myst_role":
                assert child.meta["name"] == "case:ref"


@given(TEXT)
def test_a_heading_shows_exactly_its_text(value: str) -> None:
    title = " ".join(value.split())
    tokens = MYST.parse(f"# {markdown_text(title)}\n")
    if not title:
        return
    assert "".join(c.content for c in tokens[1].children or []) == title


@given(
    st.one_of(
        st.sampled_from(TRAPS),
        st.text(max_size=30).filter(lambda s: not re.search(r"[\ud800-\udfff]", s)),
    )
)
def test_an_option_value_reads_back_in_myst_and_in_yaml(value: str) -> None:
    block = f"tags: {yaml_scalar(value)}\n"
    items, state = options_to_items(block)
    assert items == [("tags", value)]
    assert not state.has_comments
    assert yaml.safe_load(block) == {"tags": value}


@given(st.lists(TEXT.map(str.strip).filter(bool), min_size=1, max_size=4))
def test_source_lines_read_back_in_myst_and_in_yaml(lines: list[str]) -> None:
    block = f"source: {yaml_lines(lines)}\n"
    ((key, value),), _ = options_to_items(block)
    assert key == "source"
    assert value.rstrip("\n").split("\n") == lines
    assert yaml.safe_load(block)["source"].rstrip("\n").split("\n") == lines


# -- the build: what Sphinx warns about, the importer warned about first ----------------------


@pytest.mark.slow
@given(st.lists(MARKDOWNISH, min_size=60, max_size=60))
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_build_warning_was_reported_by_the_importer(bodies: list[str]) -> None:
    """Import 60 random posts and build them: a page the importer had no warning for
    builds with no warning, and nothing crashes the build."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        posts = root / "_posts"
        posts.mkdir()
        for number, body in enumerate(bodies):
            (posts / f"2014-05-01-p{number:02d}.md").write_text(
                f"---\ntitle: P{number}\ncase_date: 2014\n---\n\n{body}", encoding="utf-8"
            )
        srcdir = root / "src"
        shutil.copytree(ROOTS / "test-importer-roundtrip", srcdir)
        result = import_jekyll([posts], ImportOptions(out=srcdir))
        assert result.exit_status == 0
        warned = {
            Path(m.file).stem[len("2014-05-01-") :] for m in result.messages if m.level == "warning"
        }
        app = SphinxTestApp("html", srcdir=srcdir, status=io.StringIO(), warning=io.StringIO())
        try:
            app.build()
            unexplained = [w for w in warnings_of(app) if Path(w.file).stem not in warned]
            assert unexplained == []
        finally:
            app.cleanup()
