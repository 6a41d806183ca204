"""How each builder writes the outer ``case`` node; the standard nodes inside write themselves.

HTML gets a semantic ``<article>``; LaTeX a page-breakable framed environment from
``sphinxcaselog.sty`` with a ``\\label`` for every id; text, man and texinfo just
write the contents. (The ``caselist`` placeholder never reaches a writer.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from .nodes import case, caselist, find_part

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator


#: The parts of a case whose first child is a label (a rubric): headings one level down.
_PARTS = ("caselog-context", "caselog-sources", "caselog-tags", "caselog-see-also")


def visit_case_html(self: HTML5Translator, node: case) -> None:
    """An ``<article>`` headed by its title, a real ``<h2>`` to ``<h6>`` one level below
    the enclosing section (themes build their navigation from Sphinx's sections,
    not from the page's headings), its parts' labels headings one level further
    down to assistive technology (``role="heading"``: ``<p>`` to the theme)."""
    level = min(self.section_level + 1, 6)
    self.body.append(self.starttag(node, "article"))
    for child in node.children:
        if not isinstance(child, nodes.Element):
            child.walkabout(self)
        elif "caselog-title" in child["classes"]:
            _heading(self, child, f"h{max(level, 2)}", None)
        elif any(part in child["classes"] for part in _PARTS) and child.children:
            label = child.children[0]
            self.body.append(self.starttag(child, "div", "", CLASS="docutils container"))
            if isinstance(label, nodes.rubric):
                _heading(self, label, "p", min(level + 1, 6), "rubric")
            else:
                label.walkabout(self)
            for rest in child.children[1:]:
                rest.walkabout(self)
            self.body.append("</div>\n")
        else:
            child.walkabout(self)
    self.body.append("</article>\n")
    raise nodes.SkipNode


def _heading(
    self: HTML5Translator, node: nodes.Element, tag: str, level: int | None, *classes: str
) -> None:
    aria: dict[str, Any] = {"role": "heading", "aria-level": level} if level is not None else {}
    self.body.append(self.starttag(node, tag, "", CLASS=" ".join(classes), **aria))
    for child in node.children:
        child.walkabout(self)
    self.body.append(f"</{tag}>\n")


def depart_case_html(self: HTML5Translator, node: case) -> None:
    pass  # visit_case_html writes the whole article


def visit_case_latex(self: LaTeXTranslator, node: case) -> None:
    self.body.append("\n\\begin{sphinxcaselog}")
    # hypertarget_to gives each id a \label (and \phantomsection), so refs and
    # index entries pointing at the case land on it.
    self.body.append(self.hypertarget_to(node))
    self.body.append(f"\\sphinxcaselogtail{{{tail_lines(node)}}}\n")


#: about how many characters a line of a case holds in print (10pt, inside the rule)
_CHARS_PER_LINE = 70
#: the most room the closing parts ask for, a quarter of a page: a longer tail starts
#: where it is and breaks between its sources (Tags and See also never open a page,
#: sphinxcaselog.sty forbids a break before them), rather than leave half a page empty
_MOST_TAIL_LINES = 12


def tail_lines(node: case) -> int:
    """How many lines the closing parts (Sources, Tags, See also) take in print,
    about: each label and the space around it, each paragraph by its length, each
    URL written out on a line of its own. TeX can't pull lines back to an earlier
    page, so ``\\needspace`` asks for this much room before they start."""
    lines = 0
    for name in ("sources", "tags", "see-also"):
        part = find_part(node, name)
        if part is None:
            continue
        lines += 2
        for para in part.findall(nodes.paragraph):
            urls = sum("caselog-source-url" in i["classes"] for i in para.findall(nodes.inline))
            lines += urls + -(-len(para.astext()) // _CHARS_PER_LINE)
    return min(lines, _MOST_TAIL_LINES)


def depart_case_latex(self: LaTeXTranslator, node: case) -> None:
    self.body.append("\n\\end{sphinxcaselog}\n")


def _pass(self: Any, node: case) -> None:
    pass


def _skip(self: Any, node: nodes.Element) -> None:
    # A caselist placeholder is always replaced after reading; this only keeps a
    # third-party writer that sees one anyway from crashing on an unknown node.
    raise nodes.SkipNode


def setup_visitors(app: Sphinx) -> None:
    app.add_node(
        case,
        html=(visit_case_html, depart_case_html),
        latex=(visit_case_latex, depart_case_latex),
        text=(_pass, _pass),
        man=(_pass, _pass),
        texinfo=(_pass, _pass),
    )
    app.add_node(
        caselist,
        **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), (_skip, None)),  # type: ignore[arg-type]
    )
