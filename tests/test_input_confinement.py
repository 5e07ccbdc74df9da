"""Every path a manifest, a policy (`extends:` included) or a waivers file names is read only
inside the manifest's folder or a folder allowed with `--allow-path`, and only when it is a
regular file; a refusal exits 2 naming file:line (key), writes nothing and quotes no content."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import governance
from governance.cli.app import app
from governance.engine.input_files import hash_manifest_inputs
from governance.errors import InputError
from tests.conftest import DOC_POLICY, GOOD_CARD

runner = CliRunner()

SECRET = "SECRET-LINE-do-not-print-4711"
"""The content of every file outside the audit's folder: it must never reach any output."""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """`project/` holds the audit; `outside/` beside it holds files it must not reach."""
    folder = tmp_path / "project"
    _write(folder / "card.md", GOOD_CARD)
    _write(folder / "policy.yaml", DOC_POLICY)
    outside = tmp_path / "outside"
    _write(outside / "secret.md", f"# {SECRET}\n\n## Intended use\n\n{SECRET} {SECRET}\n")
    _write(outside / "secret.csv", f"{SECRET},b\n{SECRET},2\n")
    _write(outside / "policy.yaml", DOC_POLICY.replace("DOC-1", "DOC-OUT"))
    return folder


def _manifest(project: Path, body: str) -> Path:
    return _write(project / "audit.yaml", "name: confined\n" + textwrap.dedent(body))


def _audit(manifest: Path, *extra: str):
    out = manifest.parent.parent / "out"
    result = runner.invoke(
        app, ["audit", str(manifest), "--out", str(out), "--format", "json", *extra]
    )
    return result, out


def _refused(manifest: Path, *located: str, extra: tuple[str, ...] = ()) -> str:
    """Audit through the CLI, expect the refusal, and return what the user saw."""
    result, out = _audit(manifest, *extra)
    seen = result.output + result.stderr
    assert result.exit_code == 2, seen
    assert "Traceback" not in seen
    assert SECRET not in seen
    assert not out.exists()
    for part in located:
        assert part in result.stderr, result.stderr
    return result.stderr


def test_relative_escape_is_refused_naming_the_line_and_how_to_widen(project):
    manifest = _manifest(
        project,
        """\
        model: {card: ../outside/secret.md}
        policies: [policy.yaml]
        """,
    )
    stderr = _refused(manifest, "audit.yaml:2:", "(model.card)", "outside the manifest's folder")
    assert "--allow-path DIR" in stderr


def test_deep_dot_dot_path_to_a_system_file_is_refused(project):
    manifest = _manifest(
        project,
        """\
        model: {card: ../../../../../../../../etc/passwd}
        policies: [policy.yaml]
        """,
    )
    stderr = _refused(manifest, "audit.yaml:2:", "(model.card)")
    assert "root:" not in stderr


def test_absolute_dataset_path_is_refused(project, tmp_path):
    manifest = _manifest(
        project,
        f"""\
        model: {{card: card.md}}
        datasets:
          d: {{path: {tmp_path / "outside" / "secret.csv"}}}
        policies: [policy.yaml]
        """,
    )
    _refused(manifest, "audit.yaml:4:", "(datasets.d.path)", "outside")


def test_symlink_inside_the_folder_leading_outside_is_refused(project, tmp_path):
    (project / "notes.md").symlink_to(tmp_path / "outside" / "secret.md")
    manifest = _manifest(
        project,
        """\
        model: {card: notes.md}
        policies: [policy.yaml]
        """,
    )
    stderr = _refused(manifest, "(model.card)", "'notes.md' is outside", "it leads to")
    assert (tmp_path / "outside" / "secret.md").as_posix() in stderr


def test_symlinked_folder_leading_outside_is_refused(project, tmp_path):
    (project / "docs").symlink_to(tmp_path / "outside", target_is_directory=True)
    manifest = _manifest(
        project,
        """\
        model: {card: card.md}
        datasets:
          d: {path: docs/secret.csv, datasheet: card.md}
        policies: [policy.yaml]
        """,
    )
    _refused(manifest, "(datasets.d.path)", "outside")


def test_a_manifest_that_links_out_of_its_folder_is_refused(project, tmp_path):
    # A checkout under audit can hold audit.yaml as a link to any YAML or JSON file the
    # runner can read, whose keys the errors would quote.
    _write(tmp_path / "outside" / "config.yaml", f"{SECRET}: 1\nname: x\n")
    manifest = project / "audit.yaml"
    manifest.symlink_to(tmp_path / "outside" / "config.yaml")
    stderr = _refused(manifest, "audit.yaml:", "the audit manifest is a symbolic link", "leads to")
    assert "--allow-path DIR" in stderr
    result, _ = _audit(manifest, "--allow-path", str(tmp_path / "outside"))
    assert result.exit_code == 2 and "unknown key" in result.stderr  # read once allowed


def test_a_manifest_linked_inside_its_folder_is_read(project):
    _manifest(project, "model: {card: card.md}\npolicies: [policy.yaml]\n").rename(
        project / "real.yaml"
    )
    (project / "audit.yaml").symlink_to(project / "real.yaml")
    result, _ = _audit(project / "audit.yaml")
    assert result.exit_code == 0, result.output


def test_symlink_staying_inside_the_folder_is_followed(project):
    (project / "current.md").symlink_to(project / "card.md")
    manifest = _manifest(
        project,
        """\
        model: {card: current.md}
        policies: [policy.yaml]
        """,
    )
    result, _ = _audit(manifest)
    assert result.exit_code == 0, result.stderr


def test_fifo_is_refused_without_waiting_on_it(project):
    os.mkfifo(project / "pipe.csv")
    manifest = _manifest(
        project,
        """\
        model: {card: card.md}
        datasets:
          d: {path: pipe.csv}
        policies: [policy.yaml]
        """,
    )
    _refused(manifest, "audit.yaml:4:", "(datasets.d.path)", "a FIFO (named pipe)")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_device_is_refused_even_in_an_allowed_folder(project, device):
    manifest = _manifest(
        project,
        f"""\
        model: {{card: {device}}}
        policies: [policy.yaml]
        """,
    )
    _refused(manifest, "(model.card)", "is a device", extra=("--allow-path", "/dev"))


def test_directory_is_refused(project):
    (project / "docs").mkdir()
    manifest = _manifest(
        project,
        """\
        model: {card: docs}
        policies: [policy.yaml]
        """,
    )
    _refused(manifest, "(model.card)", "is a directory")


def test_policy_outside_the_folder_is_refused(project):
    manifest = _manifest(
        project,
        """\
        model: {card: card.md}
        policies: [builtin:baseline, ../outside/policy.yaml]
        """,
    )
    _refused(manifest, "audit.yaml:3:", "(policies.1)", "outside")


def test_extends_cannot_leave_the_manifest_folder(project):
    _write(
        project / "policies" / "team.yaml",
        """\
        policy: team
        extends: [../../outside/policy.yaml]
        rules: []
        """,
    )
    manifest = _manifest(
        project,
        """\
        model: {card: card.md}
        policies: [policies/team.yaml]
        """,
    )
    _refused(manifest, "team.yaml:2:", "(extends.0)", "outside")


def test_extends_may_reach_a_sibling_folder_inside_the_manifest_folder(project):
    _write(project / "shared" / "base.yaml", DOC_POLICY)
    _write(
        project / "teams" / "team.yaml",
        "policy: team\nextends: [../shared/base.yaml]\nrules: []\n",
    )
    manifest = _manifest(project, "model: {card: card.md}\npolicies: [teams/team.yaml]\n")
    result, _ = _audit(manifest)
    assert result.exit_code == 0, result.stderr


def test_waivers_outside_the_folder_are_refused(project, tmp_path):
    _write(tmp_path / "outside" / "waivers.yaml", "waivers: []\n")
    manifest = _manifest(
        project,
        """\
        model: {card: card.md}
        policies: [policy.yaml]
        waivers: ../outside/waivers.yaml
        """,
    )
    _refused(manifest, "audit.yaml:4:", "(waivers)", "outside")


def test_allow_path_widens_the_scope(project, tmp_path):
    outside = tmp_path / "outside"
    _write(outside / "card.md", GOOD_CARD)
    manifest = _manifest(
        project,
        """\
        model: {card: ../outside/card.md}
        policies: [policy.yaml, ../outside/policy.yaml]
        """,
    )
    _refused(manifest, "(model.card)")
    result, out = _audit(manifest, "--allow-path", str(outside))
    assert result.exit_code == 0, result.stderr
    inputs = {i["path"] for i in json.loads((out / "audit.json").read_text())["inputs"]}
    assert (outside / "card.md").as_posix() in inputs


def test_allow_path_must_be_a_folder(project, tmp_path):
    manifest = _manifest(project, "model: {card: card.md}\npolicies: [policy.yaml]\n")
    result, out = _audit(manifest, "--allow-path", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert "--allow-path" in result.stderr and "not a folder" in result.stderr
    assert not out.exists()


def test_python_api_confines_and_widens_with_allow_paths(project, tmp_path):
    manifest = _manifest(
        project,
        """\
        model: {card: ../outside/secret.md}
        policies: [policy.yaml]
        """,
    )
    with pytest.raises(InputError) as caught:
        governance.audit(manifest)
    assert caught.value.location is not None and caught.value.location.key == "model.card"
    assert SECRET not in str(caught.value)
    result = governance.audit(manifest, allow_paths=[tmp_path / "outside"])
    assert result.inputs[-1].path == (tmp_path / "outside" / "secret.md").as_posix()
    one_folder = governance.audit(manifest, allow_paths=str(tmp_path / "outside"))
    assert one_folder.inputs == result.inputs


def test_verify_inputs_rehashes_under_the_same_confinement(project, tmp_path):
    manifest = _manifest(
        project,
        """\
        model: {card: ../outside/secret.md}
        policies: [policy.yaml]
        """,
    )
    with pytest.raises(InputError, match="outside the manifest's folder"):
        hash_manifest_inputs(manifest)
    audited = governance.audit(manifest, allow_paths=[tmp_path / "outside"])
    rehashed = hash_manifest_inputs(manifest, allowed=[tmp_path / "outside"])
    assert rehashed == audited.inputs


def test_verify_command_accepts_allow_path(project, tmp_path):
    manifest = _manifest(project, "model: {card: card.md}\npolicies: [policy.yaml]\n")
    report = tmp_path / "report"
    report.mkdir()
    (report / "audit.json").write_text("{}")  # a report folder, not an empty one (exit 2)
    result = runner.invoke(
        app,
        [
            "verify",
            str(report),
            "--allow-untrusted",
            "--inputs",
            str(manifest),
            "--allow-path",
            str(tmp_path / "outside"),
        ],
    )
    assert "No such option" not in result.output + result.stderr
    assert result.exit_code == 1  # an unsigned folder verifies nothing


def test_policies_validate_confines_extends_to_the_policy_folder(tmp_path):
    _write(tmp_path / "outside" / "base.yaml", DOC_POLICY)
    team = _write(
        tmp_path / "team" / "team.yaml",
        "policy: team\nextends: [../outside/base.yaml]\nrules: []\n",
    )
    refused = runner.invoke(app, ["policies", "validate", str(team)])
    assert refused.exit_code == 2
    assert "team.yaml:2:" in refused.stderr and "(extends.0)" in refused.stderr
    assert "outside the policy's folder" in refused.stderr
    allowed = runner.invoke(
        app, ["policies", "validate", str(team), "--allow-path", str(tmp_path / "outside")]
    )
    assert allowed.exit_code == 0, allowed.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_manifest_that_is_not_a_regular_file_is_refused_without_blocking(tmp_path, kind):
    """The manifest is named on the command line, so it is not confined; it is still opened
    without waiting on a writer, and its type is checked on the open file."""
    if kind == "fifo":
        manifest = tmp_path / "audit.yaml"
        os.mkfifo(manifest)
    else:
        manifest = Path("/dev/zero")
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", str(manifest), "--out", str(out)])
    assert result.exit_code == 2, result.stderr
    expected = "a FIFO (named pipe)" if kind == "fifo" else "a device"
    assert f"audit manifest is {expected}, not a file" in result.stderr
    assert not out.exists()


def test_a_path_swapped_for_a_fifo_after_confinement_is_refused_on_read(tmp_path):
    from governance.text_files import read_text_file

    path = tmp_path / "card.md"
    os.mkfifo(path)  # what a swap after the check would leave: opening it must not block
    with pytest.raises(InputError, match="document is a FIFO"):
        read_text_file(path, "document")


def test_the_duckdb_engine_opens_only_the_datasets_files(tmp_path: Path) -> None:
    """Should a statement ever carry text of a manifest or a data file into SQL (a column
    name did, through str.format), the connection still reads no other file, writes none,
    attaches none, installs nothing, and cannot be switched back."""
    from governance.data.store import DatasetStore
    from governance.manifest import DatasetSpec

    secret = _write(tmp_path / "outside" / "secret.txt", SECRET)
    data = _write(tmp_path / "audit" / "people.csv", "id,name\n1,Ann\n2,Bo\n")
    store = DatasetStore({"people": DatasetSpec(path=data)})
    try:
        assert store.row_count("people") == 2
        hostile = [
            f"SELECT * FROM read_text('{secret}')",
            f"SELECT * FROM read_csv('{secret}')",
            f"COPY (SELECT 1) TO '{tmp_path / 'written.csv'}'",
            f"ATTACH '{tmp_path / 'other.db'}'",
            "INSTALL httpfs",
            "SET enable_external_access = true",
            f"SET allowed_paths = ['{secret}']",
        ]
        for statement in hostile:
            with pytest.raises(Exception, match="[Pp]ermission|Cannot") as refused:
                store.query("people", lambda table, s=statement: s)
            assert SECRET not in str(refused.value)
        assert not (tmp_path / "written.csv").exists()
        assert not (tmp_path / "other.db").exists()
        assert store.row_count("people") == 2  # the dataset itself still reads
    finally:
        store.close()
