"""What the published summary of an NYC Local Law 144 bias audit holds (6 RCNY §5-303, with
§§5-301 and 5-302), element by element: where this report gives it, and what the employer or
the independent auditor adds because the audit cannot know or check it (the data's kind and
origin, the AEDT's distribution date, the auditor's independence, why a small category was
left out). Worked out only for an audit whose rules cite the nyc-ll144 framework, from the
figures its fairness rules recorded; identifiers in it come from the result, already masked."""

from __future__ import annotations

from dataclasses import dataclass

from governance.checks.fairness.evidence import FairnessEvidence, GroupStatus
from governance.engine.result import AuditResult, ModelInfo, RuleResult

FRAMEWORK = "nyc-ll144"


@dataclass(frozen=True)
class SummaryElement:
    element: str
    """What the summary must hold."""
    provision: str
    """Where the rules ask for it."""
    in_report: str
    """Where this report gives it; empty when it does not."""
    to_add: str
    """What the employer or the auditor adds; empty when the report gives all of it."""
    short: str
    """The element in a few words, for one-line summaries."""


def ll144_summary(result: AuditResult) -> tuple[SummaryElement, ...]:
    """The elements of the published summary, or none when no rule cites NYC LL144."""
    rules = tuple(r for r in result.rules if _cites_ll144(r))
    if not rules:
        return ()
    figures = tuple(
        (rule, rule.evidence) for rule in rules if isinstance(rule.evidence, FairnessEvidence)
    )
    computed = "" if figures else _NOT_COMPUTED
    return (
        SummaryElement(
            "Date of the bias audit",
            "§5-303",
            f"{result.audit.created_at:%Y-%m-%d}, the date "
            + ("these figures were computed" if figures else "of this audit, which computed none"),
            "",
            short="the audit date",
        ),
        SummaryElement(
            "Source and explanation of the data: historical data of the AEDT, or test data",
            "§5-302, §5-303",
            _datasets(figures, result.model),
            "Whether the data are historical data of the AEDT (whose use, over which period) or "
            "test data, and for test data why historical data was not used and how the test "
            "data were made: this audit cannot tell.",
            short="the data's source and kind",
        ),
        SummaryElement(
            "Number of applicants, selection or scoring rate and impact ratio of every "
            "category, by sex, by race/ethnicity and intersectionally",
            "§5-301(b)(1)-(3), (c)(1)-(4), §5-303",
            _tables(rules, figures),
            computed,
            short="rates and impact ratios",
        ),
        SummaryElement(
            "Number of individuals of unknown category",
            "§5-301(b)(5), (c)(5), §5-303",
            _unknown(figures),
            computed,
            short="unknown-category counts",
        ),
        SummaryElement(
            "Categories under 2% of the data left out of the impact ratios",
            "§5-301(d)",
            _excluded(figures),
            "The independent auditor's justification for leaving each one out: the report "
            "states only its share of the data."
            if _any_excluded(figures)
            else computed,
            short="why each small category was left out",
        ),
        SummaryElement(
            "Groups the AEDT classifies candidates into, if it does",
            "§5-301(b)(4)",
            "",
            "Selection rates and impact ratios per group, for an AEDT that classifies "
            "candidates into groups: these rules do not compute them.",
            short="per-group figures of a classifying AEDT",
        ),
        SummaryElement(
            "Distribution date of the AEDT",
            "§5-303",
            "",
            "The AEDT's distribution date (the date the employer began using it): this "
            "audit cannot know it.",
            short="the AEDT's distribution date",
        ),
        SummaryElement(
            "An independent auditor",
            "§5-300; Admin. Code §20-870",
            f"run by {result.audit.run_by}" if result.audit.run_by else "",
            "Who the independent auditor is: the report records who ran it, not their "
            "independence.",
            short="the independent auditor",
        ),
    )


_NOT_COMPUTED = "This audit computed no such figures: no LL144 fairness rule ran to the end."


def _cites_ll144(rule: RuleResult) -> bool:
    return any(control.partition(":")[0] == FRAMEWORK for control in rule.controls)


Figures = tuple[tuple[RuleResult, FairnessEvidence], ...]


def _datasets(figures: Figures, model: ModelInfo | None) -> str:
    rows = {evidence.dataset: evidence.rows for _, evidence in figures}
    if not rows:
        return ""
    scored = {info.dataset for info in model.scored} if model else set()
    listed = "; ".join(
        f"dataset '{name}', {count:,} rows"
        + (_scored_by(model) if model and name in scored else "")
        for name, count in rows.items()
    )
    return f"{listed} (each file's sha256 under Inputs)"


def _scored_by(model: ModelInfo) -> str:
    """The data's decisions are not the AEDT's recorded ones: the audit computed them."""
    return (
        ", its selections and scores computed by this audit with the model "
        f"{model.artifact} (sha256 {model.sha256[:12]}…)"
    )


def _tables(rules: tuple[RuleResult, ...], figures: Figures) -> str:
    shown = [rule.id for rule, _ in figures]
    not_run = [
        f"{rule.id} {rule.outcome.value}: {rule.reason}"
        for rule in rules
        if rule.kind == "fairness" and rule.reason
    ]
    parts = [f"the tables of {', '.join(shown)}"] if shown else []
    return "; ".join([*parts, *not_run])


def _unknown(figures: Figures) -> str:
    """Each feature's count of unknown rows, per dataset (named when there are several): a
    selection and a scoring rule on one dataset count the same rows once."""
    counts: dict[str, dict[str, int]] = {}
    for _, evidence in figures:
        for feature_set in evidence.feature_sets:
            of_dataset = counts.setdefault(evidence.dataset, {})
            of_dataset.setdefault(feature_set.label, feature_set.unknown_rows)
    if len(counts) == 1:
        (of_dataset,) = counts.values()
        return _counted(of_dataset, "; ")
    return "; ".join(f"{dataset}: {_counted(of, ', ')}" for dataset, of in counts.items())


def _counted(counts: dict[str, int], separator: str) -> str:
    return separator.join(f"{label}: {count:,}" for label, count in counts.items())


def _any_excluded(figures: Figures) -> bool:
    return any(_excluded_groups(evidence) for _, evidence in figures)


def _excluded_groups(evidence: FairnessEvidence) -> set[str]:
    return {
        group.group
        for feature_set in evidence.feature_sets
        for comparison in feature_set.rates
        for group in comparison.groups
        if group.status is GroupStatus.EXCLUDED
    }


def _excluded(figures: Figures) -> str:
    if not figures:
        return ""
    ruled = [(rule.id, sorted(_excluded_groups(evidence))) for rule, evidence in figures]
    listed = [f"{rule}: {', '.join(groups)}" for rule, groups in ruled if groups]
    if not listed:
        return "none left out"
    return "left out, each with its count and rate in its rule's notes: " + "; ".join(listed)
