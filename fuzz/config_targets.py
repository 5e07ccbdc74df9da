"""Targets over the YAML inputs: the YAML reader itself, the manifest with everything it names
(policies with `extends:`, waivers), a policy file, and a waivers file."""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path

from hypothesis import strategies as st

from fuzz.workspace import example_copy, seed, write
from fuzz.yaml_trees import SCALARS, Tree, schema_mapping, trees, yaml_files
from governance.config.confinement import InputScope
from governance.config.yaml_document import parse_yaml_text
from governance.engine.audit_definition import load_audit_definition
from governance.errors import GovernanceError
from governance.policy.loader import load_policy_set
from governance.waivers import load_waivers

_FILES = st.sampled_from(
    [
        "MODEL_CARD.md",
        "DATASHEET.md",
        "data/applicants.csv",
        "data",
        "missing.md",
        "waivers.yaml",
        "fuzzed-waivers.yaml",
        "hiring-policy.yaml",
        "../hiring/MODEL_CARD.md",
        "audit.yaml",
    ]
)
_POLICY_REFERENCES = st.sampled_from(
    [
        "hiring-policy.yaml",
        "fuzzed-policy.yaml",
        "builtin:baseline",
        "builtin:gdpr-pii",
        "builtin:nyc-ll144",
        "builtin:eeoc-four-fifths",
        "builtin:nope",
        "builtin:../hiring-policy",
        "missing.yaml",
        "data/applicants.csv",
    ]
)
_COLUMNS = st.sampled_from(
    ["hired", "predicted", "score", "sex", "race_ethnicity", "age_band", "contact_email", "nope"]
)
_NAMES = st.one_of(st.sampled_from(["applicants", "hiring-screen-v3", "a.b", "x" * 130]), st.text())
_RULE_IDS = st.one_of(
    st.sampled_from(["DOC-MC-002", "DOC-DS-007", "ACME-HR-001", "FAIR-001", "PII-001"]),
    st.text(max_size=10),
)

MANIFEST_KEYS = [
    "name",
    "description",
    "model",
    "card",
    "artifact",
    "datasets",
    "path",
    "format",
    "label",
    "positive_label",
    "prediction",
    "score",
    "threshold",
    "sensitive_features",
    "pii_columns",
    "datasheet",
    "policies",
    "waivers",
    "nlp_model",
]
POLICY_KEYS = [
    "policy",
    "version",
    "description",
    "extends",
    "rules",
    "id",
    "title",
    "severity",
    "controls",
    "remediation",
    "override",
    "documentation",
    "fairness",
    "pii",
    "model",
    "document",
    "datasets",
    "required_sections",
    "name",
    "aliases",
    "min_words",
    "required_fields",
    "placeholders",
    "dataset",
    "metrics",
    "compare",
    "measure",
    "reference",
    "aggregate",
    "sensitive_features",
    "per_feature",
    "intersectional",
    "min",
    "max",
    "min_group_size",
    "min_share",
    "require_significance",
    "significance_level",
    "confidence",
    "positive_label",
    "use",
    "threshold",
    "unknown_values",
    "missing_outcomes",
    "max_groups",
    "columns",
    "exclude_columns",
    "entities",
    "min_score",
    "tolerance",
    "sample_size",
    "seed",
    "mode",
    "max_value_length",
    "allow_declared",
    "special_categories",
]
WAIVER_KEYS = "waivers rule scope dataset column group document reason owner approved_by expires"
WAIVER_KEYS_LIST = WAIVER_KEYS.split()


def _dataset() -> st.SearchStrategy[dict[str, Tree]]:
    return schema_mapping(
        {
            "path": _FILES,
            "format": st.sampled_from(["csv", "parquet", "jsonl", "xlsx"]),
            "label": _COLUMNS,
            "positive_label": SCALARS,
            "prediction": _COLUMNS,
            "score": _COLUMNS,
            "threshold": st.floats(),
            "sensitive_features": st.lists(_COLUMNS, max_size=3),
            "pii_columns": st.dictionaries(
                _COLUMNS, st.sampled_from(["EMAIL_ADDRESS", "US_SSN", ""]), max_size=2
            ),
            "datasheet": _FILES,
        },
        MANIFEST_KEYS,
    )


def manifests() -> st.SearchStrategy[Tree]:
    return schema_mapping(
        {
            "name": st.one_of(st.just("hiring-screen-v3"), _NAMES),
            "description": st.text(max_size=20),
            "model": schema_mapping({"card": _FILES, "artifact": _FILES}, MANIFEST_KEYS),
            "datasets": st.dictionaries(_NAMES, _dataset(), max_size=2),
            "policies": st.lists(_POLICY_REFERENCES, min_size=1, max_size=3),
            "waivers": _FILES,
            "nlp_model": st.text(max_size=10),
        },
        MANIFEST_KEYS,
        required=("name", "policies"),
    )


def _check_block() -> st.SearchStrategy[Tree]:
    keys = POLICY_KEYS
    documentation = schema_mapping(
        {
            "document": st.sampled_from(["model_card", "datasheet", "readme"]),
            "required_sections": st.lists(
                st.one_of(
                    st.text(max_size=10),
                    schema_mapping(
                        {"name": st.text(max_size=10), "min_words": st.integers(-5, 50)}, keys
                    ),
                ),
                max_size=3,
            ),
            "required_fields": st.lists(st.text(max_size=8), max_size=2),
            "datasets": st.sampled_from(["*", "applicants", "nope"]),
        },
        keys,
    )
    fairness = schema_mapping(
        {
            "dataset": st.sampled_from(["applicants", "nope"]),
            "metrics": st.lists(
                st.sampled_from(["selection_rate", "true_positive_rate", "accuracy", "bogus"]),
                max_size=3,
            ),
            "compare": st.sampled_from(["ratio_to_max", "difference_to_max", "to_reference"]),
            "min": st.floats(),
            "max": st.floats(),
            "min_group_size": st.integers(-1, 100),
            "sensitive_features": st.lists(_COLUMNS, max_size=3),
            "intersectional": st.booleans(),
            "significance_level": st.floats(),
        },
        keys,
    )
    pii = schema_mapping(
        {
            "datasets": st.sampled_from(["*", "applicants"]),
            "columns": st.one_of(st.just("*"), st.lists(_COLUMNS, max_size=2)),
            "entities": st.lists(st.sampled_from(["EMAIL_ADDRESS", "PERSON", "BOGUS"]), max_size=2),
            "sample_size": st.integers(-1, 2**64),
            "min_score": st.floats(),
        },
        keys,
    )
    return st.one_of(
        st.fixed_dictionaries({"documentation": documentation}),
        st.fixed_dictionaries({"fairness": fairness}),
        st.fixed_dictionaries({"pii": pii}),
        st.dictionaries(
            st.sampled_from(["documentation", "fairness", "pii", "model"]), trees(keys)
        ),
    )


def policies() -> st.SearchStrategy[Tree]:
    rule = st.builds(
        lambda header, check: {**header, **check},
        schema_mapping(
            {
                "id": _RULE_IDS,
                "title": st.text(max_size=10),
                "severity": st.sampled_from(["critical", "high", "medium", "low", "info", "x"]),
                "controls": st.lists(st.sampled_from(["gdpr:art9", "nyc-ll144:5-301(b)"])),
                "override": st.booleans(),
            },
            POLICY_KEYS,
            required=("id", "title", "severity"),
        ),
        _check_block(),
    )
    return schema_mapping(
        {
            "policy": _NAMES,
            "version": st.text(max_size=5),
            "extends": st.lists(_POLICY_REFERENCES, max_size=2),
            "rules": st.lists(rule, max_size=3),
        },
        POLICY_KEYS,
        required=("policy", "rules"),
    )


def waiver_files() -> st.SearchStrategy[Tree]:
    waiver = schema_mapping(
        {
            "rule": _RULE_IDS,
            "scope": schema_mapping(
                {key: st.text(max_size=8) for key in ("dataset", "column", "group", "document")},
                WAIVER_KEYS_LIST,
            ),
            "reason": st.text(max_size=10),
            "owner": st.text(max_size=10),
            "approved_by": st.text(max_size=10),
            "expires": st.one_of(st.dates(), st.sampled_from(["2027-02-30", "tomorrow"])),
        },
        WAIVER_KEYS_LIST,
        required=("rule", "reason", "owner", "approved_by", "expires"),
    )
    return schema_mapping(
        {"waivers": st.lists(waiver, max_size=3)}, WAIVER_KEYS_LIST, required=("waivers",)
    )


@functools.cache
def _seeds(*names: str) -> tuple[bytes, ...]:
    return tuple(seed(name) for name in names)


def any_yaml_input() -> st.SearchStrategy[bytes]:
    keys = (*MANIFEST_KEYS, *POLICY_KEYS, *WAIVER_KEYS_LIST)
    seeds = _seeds("audit.yaml", "hiring-policy.yaml", "waivers.yaml")
    return yaml_files(trees(keys), seeds)


def manifest_input() -> st.SearchStrategy[bytes]:
    return yaml_files(manifests(), _seeds("audit.yaml"))


def policy_input() -> st.SearchStrategy[bytes]:
    return yaml_files(policies(), _seeds("hiring-policy.yaml"))


def waivers_input() -> st.SearchStrategy[bytes]:
    return yaml_files(waiver_files(), _seeds("waivers.yaml"))


def parse_yaml(data: bytes) -> None:
    """The YAML reader on text (undecodable bytes are the file reader's to refuse)."""
    text = data.decode("utf-8", errors="surrogateescape")
    with contextlib.suppress(GovernanceError):
        parse_yaml_text(text, Path("fuzzed.yaml"), "fuzzed file")


def load_manifest_files(data: bytes) -> None:
    """A manifest in the example folder, loaded with every policy and waiver it names."""
    path = write(example_copy() / "fuzzed-audit.yaml", data)
    with contextlib.suppress(GovernanceError):
        load_audit_definition(path)


def load_policy(data: bytes) -> None:
    path = write(example_copy() / "fuzzed-policy.yaml", data)
    with contextlib.suppress(GovernanceError):
        load_policy_set(("fuzzed-policy.yaml",), path.parent, scope=InputScope.around(path))


def load_waiver_file(data: bytes) -> None:
    path = write(example_copy() / "fuzzed-waivers.yaml", data)
    with contextlib.suppress(GovernanceError):
        load_waivers(path, frozenset({"DOC-MC-002", "DOC-DS-007", "ACME-HR-001"}))
