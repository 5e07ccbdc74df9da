"""Proxies: for every model input feature and every sensitive feature, the normalised mutual
information between them over the dataset's rows, from counts the data engine computes
(numeric features cut into quantile bins by the engine, every pair's table counted by the data
layer's `contingency_counts`). A pair above `max_nmi` fails."""

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
from governance.data.engine import CountedFeature, DataEngine, FeatureColumn, FeatureShape
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
    groups = tuple(FeatureColumn(c, types[c], False) for c in sensitive if c not in inputs)
    shapes = store.feature_shapes(name, columns + groups, spec.bins)
    measured = tuple(c for c in columns if _measurable(shapes[c.column], spec.max_categories))
    unknown = (*spec.unknown_values, *dataset.unknown_values)
    cells = _cells_by_pair(store, name, measured, shapes, sensitive, unknown)
    rows = tuple(
        _row(spec, column, feature, shapes[column.column], cells.get((column.column, feature)))
        for column in columns
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


def _cells_by_pair(
    store: DataEngine,
    name: str,
    features: tuple[FeatureColumn, ...],
    shapes: dict[str, FeatureShape],
    sensitive: tuple[str, ...],
    unknown_values: tuple[str, ...],
) -> dict[tuple[str, str], Cells]:
    """The contingency table of each (feature, sensitive feature) pair, rows whose sensitive
    value is unknown left out; a missing feature value (NULL, NaN, blank: several raw values,
    merged here) is a value of its own (None)."""
    unknown = {"", *(value.strip().lower() for value in unknown_values)}
    counted = tuple(CountedFeature(f.column, shapes[f.column].edges) for f in features)
    tables: dict[tuple[str, str], Cells] = {}
    for pair, raw in store.contingency_counts(name, counted, sensitive).items():
        table = tables.setdefault(pair, {})
        for (value, group), count in raw.items():
            if _unknown(group, unknown):
                continue
            key = (_feature_value(value), str(group))
            table[key] = table.get(key, 0) + count
    return tables


def _values(shape: FeatureShape) -> int:
    """How many values a feature's cells can take: its bins, or its values, and missing."""
    return len(shape.edges) + 2 if shape.binned else shape.distinct + 1


def _measurable(shape: FeatureShape, max_categories: int) -> bool:
    """Binned, or with few enough values to group by (an identifier would not be)."""
    return shape.binned or shape.distinct <= max_categories


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
    spec: ProxiesSpec,
    column: FeatureColumn,
    sensitive: str,
    shape: FeatureShape,
    cells: Cells | None,
) -> ProxyRow:
    base = {"feature": column.column, "sensitive_feature": sensitive}
    if not _measurable(shape, spec.max_categories):
        return ProxyRow(
            **base,
            nmi=None,
            mutual_information=None,
            rows=0,
            feature_values=shape.distinct,
            sensitive_values=0,
            failing=True,
            note=f"not measured: about {shape.distinct} distinct values, more than "
            f"max_categories ({spec.max_categories})",
        )
    cells = cells or {}
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
            f"'{row.sensitive_feature}': {row.note}"
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
