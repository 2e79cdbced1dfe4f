"""Read YAML with line numbers, so lint messages can say ``file:line``.

Mappings become ``LocatedDict`` (a dict with ``.line``); everything else is plain YAML. Uses
PyYAML's safe loader only: the libyaml-backed ``CSafeLoader`` where PyYAML was built with it (the
wheels are; about eight times faster on a form definition, same tree and lines), else the pure
Python ``SafeLoader``.
"""

from __future__ import annotations

from pathlib import Path

import yaml


class LocatedDict(dict):
    """A mapping that remembers the 1-based line it starts on."""

    line: int | None = None


_SAFE_BASE: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SAFE_BASE):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlError(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def read_yaml(path: Path) -> object:
    """Parse a YAML file; raises ``YamlError`` with the line of the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(f"Kan ikke lese fila: {exc}", None) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlError(f"Ugyldig YAML: {problem}", line) from None
