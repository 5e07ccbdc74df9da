"""YAML inputs: every mistake is one InputError naming the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.cli.app import app
from governance.config.yaml_document import load_yaml_document
from governance.errors import InputError
from governance.waivers import load_waivers


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_yaml_document(path, "policy")
    return caught.value


def test_positions_of_keys_and_items_are_kept(write):
    document = load_yaml_document(write("p.yaml", "a:\n  b: 1\n  c: [x, y]\n"), "policy")
    assert document.locate(("a", "c", 1)).line == 3
    assert document.locate(("a", "b")).line == 2
    assert document.locate(("a", "missing")).line == 1


def test_malformed_yaml_names_line_and_column(write):
    error = _error(write("p.yaml", "rules:\n  - id: A\n    title: [unclosed\n"))
    assert error.location is not None and error.location.line == 4
    assert "not valid YAML" in error.message


def test_duplicate_keys_are_refused(write):
    error = _error(write("p.yaml", "policy: a\npolicy: b\n"))
    assert "duplicate key 'policy'" in error.message
    assert error.location is not None and error.location.line == 2


def test_anchors_and_aliases_are_refused(write):
    error = _error(write("p.yaml", "a: &x [1, 2]\nb: *x\n"))
    assert "aliases are not supported" in error.message


def test_python_object_tags_never_construct_anything(write):
    error = _error(write("p.yaml", "a: !!python/object/apply:os.system ['echo hacked']\n"))
    assert "unsupported tag" in error.message


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"# only a comment\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"policy: caf\xe9\n", "not UTF-8"),
    ],
)
def test_unreadable_files(tmp_path, content, problem):
    path = tmp_path / "p.yaml"
    path.write_bytes(content)
    assert problem in _error(path).message


def test_missing_file(tmp_path):
    assert "not found" in _error(tmp_path / "absent.yaml").message


def test_directory_instead_of_file(tmp_path):
    assert "directory" in _error(tmp_path).message


def test_an_integer_of_thousands_of_digits_is_one_short_error(write):
    error = _error(write("p.yaml", "policy: a\nmin_group_size: " + "9" * 5000 + "\n"))
    assert error.message == "a number too long to be read (5,000 characters)"
    assert error.location is not None and error.location.line == 2
    assert error.location.key == "min_group_size"


def test_an_invalid_value_is_quoted_by_its_start_only(write):
    error = _error(write("p.yaml", f"expires: 2027-02-30T10:00:00.{'0' * 3000}\n"))
    assert error.message.startswith("invalid value '2027-02-30")
    assert len(error.message) < 200


def test_waiver_with_impossible_date_names_line(write):
    path = write(
        "w.yaml",
        """\
        waivers:
          - rule: A
            reason: r
            owner: o
            approved_by: p
            expires: 2027-02-30
        """,
    )
    with pytest.raises(InputError) as caught:
        load_waivers(path, frozenset({"A"}))
    assert caught.value.location is not None and caught.value.location.line == 6
    assert "2027-02-30" in caught.value.message


def test_waiver_with_malformed_date(write):
    path = write(
        "w.yaml",
        """\
        waivers:
          - rule: A
            reason: r
            owner: o
            approved_by: p
            expires: next spring
        """,
    )
    with pytest.raises(InputError) as caught:
        load_waivers(path, frozenset({"A"}))
    assert "expires" in str(caught.value)
    assert caught.value.location is not None and caught.value.location.line == 6


def test_waiver_without_reason(write):
    path = write(
        "w.yaml",
        """\
        waivers:
          - rule: A
            reason: "  "
            owner: o
            approved_by: p
            expires: 2027-01-01
        """,
    )
    with pytest.raises(InputError) as caught:
        load_waivers(path, frozenset({"A"}))
    assert "reason" in str(caught.value)
    assert caught.value.location is not None and caught.value.location.line == 3


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_lists_nested_too_deeply_are_refused_at_their_line(write, depth):
    error = _error(write("p.yaml", "policy: p\nrules: " + "[" * depth + "]" * depth + "\n"))
    assert "nests lists or mappings too deeply" in error.message
    assert error.location is not None and error.location.line == 2


def test_a_catalog_nested_too_deeply_is_one_error_on_the_command_line(write):
    write("catalog.yaml", "framework: deep\ntitle: t\nitems: " + "[" * 5000 + "]" * 5000)
    policy = write(
        "policy.yaml",
        "policy: p\ncatalogs: [catalog.yaml]\nrules:\n  - id: R1\n    title: t\n"
        "    severity: high\n    controls: [deep:a]\n"
        "    documentation: {document: model_card, required_sections: [Intro]}\n",
    )
    done = CliRunner().invoke(app, ["policies", "coverage", str(policy)])
    assert done.exit_code == 2, done.output
    assert "catalog.yaml:3: control catalog nests lists or mappings too deeply" in done.output
