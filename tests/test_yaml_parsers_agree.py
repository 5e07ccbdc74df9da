"""YAML is composed by libyaml where it reads text as PyYAML's own parser does, and by PyYAML
everywhere else: whichever parses a file, the data, the positions and every error are those
PyYAML's parser gives. libyaml parses the policies and catalogs every command reads ~15x
faster, which is most of what reading them costs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz.config_targets import any_yaml_input
from governance.config import yaml_document
from governance.config.yaml_document import parse_yaml_text
from governance.errors import InputError
from governance.resources import resource_dir

PATH = Path("p.yaml")


def _outcome(parse: object, text: str) -> tuple[str, str, dict[object, tuple[int, int]]]:
    """What a parse gives: the data (its repr tells 1, 1.0 and True apart) and the positions,
    or the error's text."""
    try:
        document = parse(text, PATH, "policy")  # type: ignore[operator]
    except InputError as error:
        return ("error", str(error), {})
    return ("data", repr(document.data), dict(document.positions))


def _pyyaml_alone(text: str, path: Path, what: str) -> yaml_document.YamlDocument:
    return yaml_document._parsed_by_pyyaml(text, path, what)


@settings(
    max_examples=400,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(any_yaml_input())
def test_any_text_reads_as_pyyaml_alone_reads_it(data: bytes) -> None:
    text = data.decode("utf-8", errors="surrogateescape")
    assert _outcome(parse_yaml_text, text) == _outcome(_pyyaml_alone, text)


@pytest.mark.parametrize(
    "text",
    [
        "a: x\ty\n",  # libyaml takes a tab in a plain value, PyYAML refuses it
        "a: !\n",  # an empty tag: '' for libyaml, null for PyYAML
        "{r f? e: 1}\n",  # libyaml takes this flow key, PyYAML refuses it
        '"\ufeffk": [a, b]\n',  # a byte-order mark: columns counted differently
        "a: x\r\nb: [c,\u2028d]\n",  # other line breaks
    ],
)
def test_where_the_parsers_differ_pyyaml_decides(text: str) -> None:
    assert yaml_document._parsed_by_libyaml(text, PATH) is None
    assert _outcome(parse_yaml_text, text) == _outcome(_pyyaml_alone, text)


def test_the_files_every_audit_reads_are_composed_by_libyaml() -> None:
    """The speed is real: the built-in catalogs and policy packs are read by libyaml (but one
    pack whose comments quote a `?`)."""
    files = [
        *sorted((resource_dir("policies") / "catalogs").glob("*.yaml")),
        *sorted(resource_dir("policies").glob("*.yaml")),
    ]
    by_pyyaml = [
        f.name
        for f in files
        if yaml_document._parsed_by_libyaml(f.read_text(encoding="utf-8"), f) is None
    ]
    assert len(files) > 10 and by_pyyaml == ["nyc-ll144.yaml"]
