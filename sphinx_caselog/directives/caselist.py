"""The ``caselist`` directive: a listing's filter, parsed; rendered after reading."""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from ..config import CaselogConfig
from ..domain import case_domain
from ..model import SORTS, STYLES, CaseFilter, PartialDate
from ..nodes import caselist
from ..slugs import tag_key
from ..urls import excerpt
from ..warnings_ import CaselogWarning
from .base import AnyOption, CaselogDirective

LIST_OPTIONS = ("tags", "all-tags", "kind", "source", "from", "until", "sort", "limit", "style")


class CaselistDirective(CaselogDirective):
    """A listing of the cases that match its filters, emitted as::

        caselist (filter=CaseFilter)   replaced after reading by standard nodes

    Only the filter is parsed here; which cases match is known once every
    document has been read, so ``transforms.ResolveCaseLists`` renders it.
    """

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = AnyOption(
        dict.fromkeys(LIST_OPTIONS, directives.unchanged)
    )

    def run(self) -> list[nodes.Node]:
        caselog: CaselogConfig = case_domain(self.env).config
        self.locate()
        self.read_options(LIST_OPTIONS)
        kinds = tuple(self.split_option("kind"))
        for kind in kinds:
            if kind not in caselog.kinds:
                self.warn(
                    CaselogWarning.OPTION,
                    f"unknown kind {kind!r} in :kind: (caselog_kinds has: "
                    f"{', '.join(caselog.kinds)})",
                    "kind",
                )
        node = caselist(
            docname=self.env.docname,
            filter=CaseFilter(
                tags=self.tag_keys("tags"),
                all_tags=self.tag_keys("all-tags"),
                kinds=kinds,
                sources=tuple(self.split_option("source")),
                date_from=self.parse_bound("from"),
                date_until=self.parse_bound("until"),
                sort=self.choice("sort", SORTS),
                limit=self.parse_limit(),
                style=self.choice("style", STYLES),
            ),
        )
        self.set_source_info(node)
        return [node]

    def tag_keys(self, option: str) -> tuple[str, ...]:
        vocabulary = case_domain(self.env).vocabulary
        keys = tuple(dict.fromkeys(tag_key(text) for text in self.split_option(option)))
        for key in keys:
            if not vocabulary.knows(key):
                self.warn(
                    CaselogWarning.UNKNOWN_TAG,
                    f"tag {key!r} in :{option}: is not in the tag vocabulary",
                    option,
                )
        return keys

    def parse_bound(self, option: str) -> PartialDate | None:
        text = self.options.get(option, "").strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError as err:
            self.warn(CaselogWarning.OPTION, f"bad :{option}: {err}; ignored", option)
            return None

    def choice(self, option: str, allowed: tuple[str, ...]) -> str:
        value = self.options.get(option, "").strip()
        if value and value not in allowed:
            self.warn(
                CaselogWarning.OPTION,
                f"unknown :{option}: {value!r} (one of: {', '.join(allowed)}); "
                f"using {allowed[0]!r}",
                option,
            )
            return allowed[0]
        return value or allowed[0]

    def parse_limit(self) -> int | None:
        text = self.options.get("limit", "").strip()
        if not text:
            return None
        # More than 9 digits is no listing anyone reads (and past 4,300, int() raises).
        if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < 1:
            self.warn(
                CaselogWarning.OPTION,
                f"bad :limit: {excerpt(text, 20)!r}: a whole number from 1 to 999999999",
                "limit",
            )
            return None
        return int(text)
