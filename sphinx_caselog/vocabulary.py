"""The tag vocabulary (``caselog_tags``): canonical tags, their titles, descriptions, aliases.

Read from a dict in ``conf.py`` or from a YAML file. The YAML is *composed*
(``yaml.compose`` with the safe loader), not constructed: every value stays the
text as written (``no`` stays ``no``), and every complaint has a line number.
A vocabulary that can't be read is one ``caselog.vocabulary`` error, and the
build goes on without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .slugs import display_name, tag_key
from .warnings_ import CaselogWarning, file_location

_FIELDS = ("title", "description", "aliases")
#: A vocabulary is a few hundred tags; a larger file is a mistake (or ``/dev/zero``).
MAX_FILE_SIZE = 1 << 20
#: (tag as written, its details, its line in the YAML file if known)
RawEntry = tuple[str, dict[str, Any], int | None]
_NULL = "tag:yaml.org,2002:null"


class VocabularyEntry(NamedTuple):
    key: str
    title: str
    description: str
    aliases: tuple[str, ...]


class Vocabulary(NamedTuple):
    """Canonical tags by key, and each alias key's canonical key."""

    entries: dict[str, VocabularyEntry]
    aliases: dict[str, str]
    #: the YAML file it was read from: documents depend on it
    path: str | None = None

    def canonical(self, key: str) -> str:
        return self.aliases.get(key, key)

    def knows(self, key: str) -> bool:
        """True when no vocabulary is set, or *key* (or its alias) is in it."""
        return not self.entries or self.canonical(key) in self.entries


EMPTY = Vocabulary({}, {})


class VocabularyError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
        raise VocabularyError(f"{what} must be text", _line(node))
    return str(node.value)


def _from_yaml(node: yaml.Node | None) -> list[RawEntry]:
    """(tag, {title, description, aliases}, line) for each entry of a composed document."""
    if node is None:
        return []
    result: list[RawEntry] = []
    if not isinstance(node, yaml.MappingNode):
        raise VocabularyError("the vocabulary must map each tag to its details", _line(node))
    for key_node, value_node in node.value:
        name = _text(key_node, "a tag")
        details: dict[str, Any] = {}
        if isinstance(value_node, yaml.MappingNode):
            for field_node, field_value in value_node.value:
                field = _text(field_node, "a field name")
                if field not in _FIELDS:
                    raise VocabularyError(
                        f"tag {name!r}: unknown field {field!r} (known: {', '.join(_FIELDS)})",
                        _line(field_node),
                    )
                if field == "aliases" and isinstance(field_value, yaml.SequenceNode):
                    details[field] = [_text(n, "an alias") for n in field_value.value]
                else:
                    details[field] = _text(field_value, f"tag {name!r}: {field}")
        elif not (isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL):
            raise VocabularyError(
                f"tag {name!r} must map to title, description and aliases", _line(value_node)
            )
        result.append((name, details, _line(key_node)))
    return result


def _from_dict(value: dict[Any, Any]) -> list[RawEntry]:
    result: list[RawEntry] = []
    for name, given in value.items():
        if not isinstance(name, str):
            raise VocabularyError(f"tag {name!r} must be text")
        details = {} if given is None else given
        if not isinstance(details, dict) or not set(details) <= set(_FIELDS):
            raise VocabularyError(
                f"tag {name!r} must map to a dict of {', '.join(_FIELDS)}, not {details!r}"
            )
        aliases = details.get("aliases", [])
        ok = all(isinstance(details.get(f, ""), str) for f in ("title", "description")) and (
            isinstance(aliases, str)
            or (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases))
        )
        if not ok:
            raise VocabularyError(f"tag {name!r}: title, description and aliases must be text")
        result.append((name, details, None))
    return result


def _build(raw: list[RawEntry], path: str | None) -> Vocabulary:
    entries: dict[str, VocabularyEntry] = {}
    aliases: dict[str, str] = {}
    for name, details, line in raw:
        key = tag_key(name)
        if key in entries or key in aliases:
            raise VocabularyError(f"tag {name!r} is already in the vocabulary", line)
        alias_texts = details.get("aliases", [])
        if isinstance(alias_texts, str):
            alias_texts = [alias_texts]
        entries[key] = VocabularyEntry(
            key,
            display_name(details.get("title") or name),
            details.get("description", "").strip(),
            tuple(alias_texts),
        )
        for alias in alias_texts:
            alias_key = tag_key(alias)
            if alias_key == key:
                continue
            if alias_key in entries or aliases.get(alias_key, key) != key:
                raise VocabularyError(f"alias {alias!r} of {name!r} names another tag", line)
            aliases[alias_key] = key
    return Vocabulary(entries, aliases, path)


def _read_limited(path: Path) -> str:
    """The file's text: a regular file (a link to ``/dev/zero`` or a FIFO would read
    forever) of at most :data:`MAX_FILE_SIZE` bytes."""
    try:
        if not path.is_file():
            raise VocabularyError("is not a regular file")
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_SIZE + 1)
        if len(data) > MAX_FILE_SIZE:
            raise VocabularyError(f"is larger than {MAX_FILE_SIZE // 1024} KiB")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise VocabularyError(f"can't be read: {err}") from err


def load_vocabulary(value: dict[Any, Any] | str, confdir: Path) -> Vocabulary:
    """The vocabulary ``caselog_tags`` describes, or :data:`EMPTY` after one error."""
    if not value:
        return EMPTY
    location = str(confdir / "conf.py")
    try:
        if isinstance(value, dict):
            return _build(_from_dict(value), None)
        path = confdir / value
        location = str(path)
        text = _read_limited(path)
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            raise VocabularyError(
                f"is not valid YAML: {err.problem}", mark.line + 1 if mark else None
            ) from err
        except yaml.YAMLError as err:
            raise VocabularyError(f"is not valid YAML: {err}") from err
        except RecursionError as err:
            raise VocabularyError("is nested too deeply to be a tag vocabulary") from err
        except Exception as err:  # the loader's own bugs must not crash the build
            raise VocabularyError(f"can't be read as YAML: {err!r}") from err
        return _build(_from_yaml(node), str(path))
    except VocabularyError as err:
        CaselogWarning.VOCABULARY.error(
            f"tag vocabulary {err}; building without a vocabulary",
            location=file_location(location, err.line),
        )
        return EMPTY
