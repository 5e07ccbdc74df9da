"""Every fuzz target by name: what it feeds, and the entry point it calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from fuzz import (
    config_targets,
    dataset_targets,
    document_targets,
    model_targets,
    verify_targets,
)


@dataclass(frozen=True)
class FuzzTarget:
    name: str
    summary: str
    inputs: Callable[[], st.SearchStrategy[Any]]
    """The hypothesis strategy of inputs, built on first use (it may read seed files)."""
    run: Callable[[Any], None]
    """Calls the entry point; returns when only the tool's own errors were raised."""


TARGETS: dict[str, FuzzTarget] = {
    target.name: target
    for target in (
        FuzzTarget(
            "yaml",
            "parse_yaml_text on YAML from any schema's keys, and edited seed files",
            config_targets.any_yaml_input,
            config_targets.parse_yaml,
        ),
        FuzzTarget(
            "manifest",
            "load_audit_definition: the manifest, its policies (extends) and waivers",
            config_targets.manifest_input,
            config_targets.load_manifest_files,
        ),
        FuzzTarget(
            "policy",
            "load_policy_set on one policy file (extends builtin packs and files)",
            config_targets.policy_input,
            config_targets.load_policy,
        ),
        FuzzTarget(
            "waivers",
            "load_waivers against the example's rule ids",
            config_targets.waivers_input,
            config_targets.load_waiver_file,
        ),
        FuzzTarget(
            "csv",
            "DatasetStore on a CSV file: row_count, columns, profile_columns, distinct_samples",
            dataset_targets.csv_files,
            dataset_targets.read_csv,
        ),
        FuzzTarget(
            "jsonl",
            "DatasetStore on a JSON Lines file: the same four reads",
            dataset_targets.jsonl_files,
            dataset_targets.read_jsonl,
        ),
        FuzzTarget(
            "markdown",
            "read_text_file + parse_markdown (front matter, sections) + content_words",
            document_targets.markdown_files,
            document_targets.parse_document,
        ),
        FuzzTarget(
            "croissant",
            "read_croissant (JSON-LD, its RAI properties' text) on edited Croissant files",
            document_targets.croissant_files,
            document_targets.read_croissant_file,
        ),
        FuzzTarget(
            "skops",
            "load_skops on the example's model with its schema or bytes edited, then scoring",
            model_targets.skops_files,
            model_targets.score_skops,
        ),
        FuzzTarget(
            "onnx",
            "load_onnx on the example's ONNX export with its bytes edited, then scoring",
            model_targets.onnx_files,
            model_targets.score_onnx,
        ),
        FuzzTarget(
            "envelope",
            "verify_envelope_line on attestation file contents",
            verify_targets.envelope_lines,
            verify_targets.read_envelope,
        ),
        FuzzTarget(
            "statement",
            "read_statement on in-toto statement payloads",
            verify_targets.statement_payloads,
            verify_targets.read_attested_statement,
        ),
        FuzzTarget(
            "verify",
            "verify_report on a signed report folder with a tampered attestation, "
            "signer.pem or report.pdf",
            verify_targets.tampered_folders,
            verify_targets.verify_tampered_folder,
        ),
    )
}
