"""One pass of counts: every group of every sensitive-feature set reduced to confusion counts
in a single DuckDB group-by (GROUPING SETS: one scan of the data for all the sets), from which
every rate, difference, ratio, interval and test is then derived exactly."""

from __future__ import annotations

from dataclasses import dataclass, fields

from governance.checks.fairness.outcome_columns import OutcomeColumns
from governance.data.store import DatasetStore, quote_identifier

GroupKey = tuple[str, ...]


@dataclass(frozen=True)
class ConfusionCounts:
    """What one group's rows reduce to. A row whose label or prediction is missing is counted
    in `outcome_missing` and in none of the confusion cells."""

    rows: int = 0
    outcome_missing: int = 0
    selected: int = 0
    """Rows with a selection (prediction or score >= threshold) that is positive."""
    with_selection: int = 0
    """Rows whose selection is known (the selection rate's denominator)."""
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    scored: int = 0
    """Rows with a score (the scoring rate's denominator)."""
    scoring_above: int = 0
    """Rows scoring above the full sample's median score (LL144's scoring rate)."""

    def __add__(self, other: ConfusionCounts) -> ConfusionCounts:
        return ConfusionCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


@dataclass(frozen=True)
class FeatureSetCounts:
    """The groups of one sensitive-feature set (one feature, or an intersection)."""

    features: tuple[str, ...]
    groups: dict[GroupKey, ConfusionCounts]
    """Known groups, keyed by their values in `features` order, in sorted order."""
    unknown: ConfusionCounts
    """Rows whose value is missing or unknown for any feature of the set."""


@dataclass(frozen=True)
class DatasetCounts:
    overall: ConfusionCounts
    median_score: float | None
    feature_sets: tuple[FeatureSetCounts, ...]


def sensitive_value_sql(column: str, unknown_values: tuple[str, ...]) -> tuple[str, list[str]]:
    """SQL giving the column's value as text, or NULL when missing or unknown (with the
    parameters for the unknown markers)."""
    quoted = quote_identifier(column)
    text = f"CAST({quoted} AS VARCHAR)"
    markers = ["", "nan", *(value.strip().lower() for value in unknown_values)]
    placeholders = ", ".join("?" for _ in markers)
    return (
        f"CASE WHEN {quoted} IS NULL OR lower(trim({text})) IN ({placeholders}) THEN NULL "
        f"ELSE {text} END",
        markers,
    )


def group_confusion_counts(
    store: DatasetStore,
    name: str,
    features: tuple[str, ...],
    feature_sets: tuple[tuple[str, ...], ...],
    outcomes: OutcomeColumns,
    unknown_values: tuple[str, ...],
) -> DatasetCounts:
    """Confusion counts per group of every feature set, and overall, in one query."""
    select, parameters = _source_columns(features, outcomes, unknown_values)
    aliases = [f"f{index}" for index in range(len(features))]
    sets = [tuple(aliases[features.index(f)] for f in feature_set) for feature_set in feature_sets]
    grouping = ", ".join(f"({', '.join(s)})" for s in sets)
    median = "(SELECT median(s) FROM source)" if outcomes.score is not None else "NULL"
    sql = f"""
        WITH source AS (SELECT {", ".join(select)} FROM {{dataset}})
        SELECT GROUPING({", ".join(aliases)}) AS grouping_id, {", ".join(aliases)},
            count(*),
            count(*) FILTER (WHERE y_missing OR p_missing),
            count(*) FILTER (WHERE p = 1 AND NOT y_missing),
            count(*) FILTER (WHERE p IS NOT NULL AND NOT y_missing),
            count(*) FILTER (WHERE y = 1 AND p = 1),
            count(*) FILTER (WHERE y = 0 AND p = 1),
            count(*) FILTER (WHERE y = 1 AND p = 0),
            count(*) FILTER (WHERE y = 0 AND p = 0),
            count(s),
            count(*) FILTER (WHERE s > {median}),
            {median}
        FROM source
        GROUP BY GROUPING SETS ({grouping}{", " if grouping else ""}())
    """
    rows = store.query(name, sql, parameters)
    return _assemble(rows, features, feature_sets)


def _source_columns(
    features: tuple[str, ...], outcomes: OutcomeColumns, unknown_values: tuple[str, ...]
) -> tuple[list[str], list[object]]:
    """The per-row projection: sensitive values (NULL when unknown), y and p as 1/0/NULL,
    whether the label is missing (always false when no label is used), the score."""
    select: list[str] = []
    parameters: list[object] = []
    for index, feature in enumerate(features):
        expression, markers = sensitive_value_sql(feature, unknown_values)
        select.append(f"{expression} AS f{index}")
        parameters.extend(markers)
    label = outcomes.label
    if label is None:
        select += ["NULL::INTEGER AS y", "false AS y_missing"]
    else:
        positive, more = _positive_sql(label.column, label.positive)
        select += [
            f"CASE WHEN {label.missing_sql()} THEN NULL WHEN {positive} THEN 1 ELSE 0 END AS y",
            f"{label.missing_sql()} AS y_missing",
        ]
        parameters.extend(more)
    if outcomes.prediction is not None:
        prediction = outcomes.prediction
        positive, more = _positive_sql(prediction.column, prediction.positive)
        select.append(
            f"CASE WHEN {prediction.missing_sql()} THEN NULL WHEN {positive} THEN 1 ELSE 0 END AS p"
        )
        parameters.extend(more)
    elif outcomes.threshold is not None and outcomes.score is not None:
        score = outcomes.score
        select.append(
            f"CASE WHEN {score.missing_sql()} THEN NULL "
            f"WHEN CAST({quote_identifier(score.column)} AS DOUBLE) >= ? THEN 1 ELSE 0 END AS p"
        )
        parameters.append(outcomes.threshold)
    else:
        select.append("NULL::INTEGER AS p")
    select.append("p IS NULL AS p_missing" if outcomes.selects else "false AS p_missing")
    if outcomes.score is not None:
        score = outcomes.score
        select.append(
            f"CASE WHEN {score.missing_sql()} THEN NULL "
            f"ELSE CAST({quote_identifier(score.column)} AS DOUBLE) END AS s"
        )
    else:
        select.append("NULL::DOUBLE AS s")
    return select, parameters


def _positive_sql(column: str, positive: object) -> tuple[str, list[object]]:
    if positive is None:
        return "false", []
    return f"{quote_identifier(column)} = ?", [positive]


def _assemble(
    rows: list[tuple[object, ...]],
    features: tuple[str, ...],
    feature_sets: tuple[tuple[str, ...], ...],
) -> DatasetCounts:
    width = len(features)
    everything = (1 << width) - 1
    masks = {
        everything - sum(1 << (width - 1 - features.index(f)) for f in feature_set): feature_set
        for feature_set in feature_sets
    }
    overall = ConfusionCounts()
    median: float | None = None
    groups: dict[tuple[str, ...], dict[GroupKey, ConfusionCounts]] = {s: {} for s in feature_sets}
    unknown: dict[tuple[str, ...], ConfusionCounts] = {s: ConfusionCounts() for s in feature_sets}
    for row in rows:
        grouping_id = int(row[0])  # type: ignore[call-overload]
        values = row[1 : 1 + width]
        counts = ConfusionCounts(*(int(v) for v in row[1 + width : -1]))  # type: ignore[call-overload]
        if grouping_id == everything:
            overall = counts
            median = None if row[-1] is None else float(row[-1])  # type: ignore[arg-type]
            continue
        feature_set = masks[grouping_id]
        key = tuple(values[features.index(f)] for f in feature_set)
        if any(value is None for value in key):
            unknown[feature_set] = unknown[feature_set] + counts
        else:
            groups[feature_set][tuple(str(v) for v in key)] = counts
    return DatasetCounts(
        overall=overall,
        median_score=median,
        feature_sets=tuple(
            FeatureSetCounts(
                features=feature_set,
                groups=dict(sorted(groups[feature_set].items())),
                unknown=unknown[feature_set],
            )
            for feature_set in feature_sets
        ),
    )
