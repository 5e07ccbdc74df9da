"""Proxies: for every model input feature and every sensitive feature, the normalised mutual
information between them over the dataset's rows, from the counts of one data-engine operation,
`proxy_counts` (numeric features cut into quantile bins by the engine, every pair's table
counted there). A pair above `max_nmi` fails."""

from __future__ import annotations

import math

from governance.checks.context import CheckContext
from governance.checks.fairness.outcome_columns import refuse_nested
from governance.checks.interface import CheckReport
from governance.checks.model.dataset_choice import measured_dataset, require_columns
from governance.checks.model.evidence import ModelCheckEvidence, ProxyRow
from governance.checks.model.input_features import model_input_features
from governance.checks.model.mutual_information import normalized_mutual_information
from governance.checks.model.spec import ProxiesSpec, SubCheck
from governance.data.column_types import is_numeric
from governance.data.engine import FeatureColumn, FeatureCounts, ProxyRequest
from governance.errors import InputError
from governance.vocabulary.findings import Finding, FindingScope

Cells = dict[tuple[object, object], int]


def check_proxies(spec: ProxiesSpec, context: CheckContext) -> CheckReport:
    store = context.data
    name = measured_dataset(spec.dataset, store, "proxies")
    dataset = store.spec(name)
    sensitive = (
        tuple(dataset.sensitive_column(feature) for feature in spec.sensitive_features)
        if spec.sensitive_features
        else dataset.sensitive_columns
    )
    if not sensitive:
        raise InputError(
            f"dataset '{name}' declares no sensitive_features and the rule names none",
            hint="add 'sensitive_features:' to the dataset in the manifest or to the rule",
        )
    inputs = model_input_features(context)
    require_columns(store, name, inputs, "model input features")
    require_columns(store, name, sensitive, "sensitive features")
    types = store.column_types(name)
    for column in (*inputs, *sensitive):
        refuse_nested(name, column, types[column], "a model input or sensitive feature")
    columns = tuple(FeatureColumn(c, types[c], is_numeric(types[c])) for c in inputs)
    request = ProxyRequest(columns, sensitive, spec.bins, spec.max_categories)
    counts = store.proxy_counts(name, request)
    unknown = _unknown_markers((*spec.unknown_values, *dataset.unknown_values))
    rows = tuple(
        _row(spec, column, feature, counts[column], _known_cells(counts[column], feature, unknown))
        for column in inputs
        for feature in sensitive
    )
    findings = tuple(_finding(name, row, spec.max_nmi) for row in rows if row.failing)
    evidence = ModelCheckEvidence(
        check=SubCheck.PROXIES,
        dataset=name,
        threshold=spec.max_nmi,
        normalization=spec.normalization.value,
        proxies=rows,
    )
    return CheckReport(findings=findings, evidence=evidence)


def _unknown_markers(unknown_values: tuple[str, ...]) -> set[str]:
    return {"", *(value.strip().lower() for value in unknown_values)}


def _known_cells(counts: FeatureCounts, sensitive: str, unknown: set[str]) -> Cells | None:
    """The contingency table of a (feature, sensitive feature) pair, rows whose sensitive
    value is unknown left out; a missing feature value (NULL, NaN, blank: several raw values,
    merged here) is a value of its own (None). None when the feature was not counted."""
    if counts.tables is None:
        return None
    table: Cells = {}
    for (value, group), count in counts.tables[sensitive].items():
        if _unknown(group, unknown):
            continue
        key = (_feature_value(value), str(group))
        table[key] = table.get(key, 0) + count
    return table


def _feature_value(value: object) -> str | None:
    """A counted feature value as a category: None for a missing one (NULL, NaN, blank)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    text = str(value)
    return None if not text.strip() else text


def _unknown(value: object, markers: set[str]) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return str(value).strip().lower() in markers


def _row(
    spec: ProxiesSpec, column: str, sensitive: str, counts: FeatureCounts, cells: Cells | None
) -> ProxyRow:
    base = {"feature": column, "sensitive_feature": sensitive}
    if cells is None:
        return ProxyRow(
            **base,
            nmi=None,
            mutual_information=None,
            rows=0,
            feature_values=counts.distinct,
            sensitive_values=0,
            failing=True,
            note=f"not measured: {counts.distinct} distinct values, more than "
            f"max_categories ({spec.max_categories})",
        )
    rows = sum(cells.values())
    feature_values = len({x for x, _ in cells})
    sensitive_values = len({s for _, s in cells})
    if sensitive_values < 2:
        return ProxyRow(
            **base,
            nmi=None,
            mutual_information=None,
            rows=rows,
            feature_values=feature_values,
            sensitive_values=sensitive_values,
            failing=True,  # the data cannot show whether the feature predicts it
            note="not measured: fewer than two known sensitive values",
        )
    nmi, information = normalized_mutual_information(cells, spec.normalization)
    return ProxyRow(
        **base,
        nmi=nmi,
        mutual_information=information,
        rows=rows,
        feature_values=feature_values,
        sensitive_values=sensitive_values,
        failing=nmi > spec.max_nmi,
    )


def _finding(name: str, row: ProxyRow, limit: float) -> Finding:
    if row.nmi is None:
        message = (
            f"model input feature '{row.feature}' could not be measured against "
            f"'{row.sensitive_feature}': {(row.note or '').removeprefix('not measured: ')}"
        )
    else:
        message = (
            f"model input feature '{row.feature}' predicts sensitive feature "
            f"'{row.sensitive_feature}': normalised mutual information {row.nmi:.3f} > "
            f"{limit:g} over {row.rows} rows"
        )
    return Finding(
        message=message,
        scope=FindingScope(dataset=name, column=row.feature),
        subject=row.sensitive_feature,
    )
