"""How each builder writes the outer ``case`` node; the standard nodes inside write themselves.

HTML gets a semantic ``<article>``; LaTeX a page-breakable framed environment from
``sphinxcaselog.sty`` with a ``\\label`` for every id; text, man and texinfo just
write the contents. (The ``caselist`` placeholder never reaches a writer.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from .nodes import case, caselist

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
    self.body.append("\n")


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
