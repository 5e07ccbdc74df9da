"""The pii check: scan the selected columns of the selected datasets, judge what is found."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from itertools import groupby
from typing import TYPE_CHECKING, Literal

from governance.checks.dataset_selection import select_datasets
from governance.checks.interface import CheckReport
from governance.checks.pii.column_plan import ScanJob, plan_dataset
from governance.checks.pii.evidence import (
    CandidateCoverage,
    ColumnEvidence,
    DatasetSummary,
    EntityStatistics,
    PiiEvidence,
)
from governance.checks.pii.findings import (
    entity_finding,
    special_category_finding,
    unmatched_pattern_finding,
)
from governance.checks.pii.sample_notes import sample_notes
from governance.checks.pii.scanner import BatchTally, ScanBatch
from governance.checks.pii.spec import PiiSpec
from governance.checks.pii.statistics import (
    exceeds_tolerance,
    load_bound_function,
    scaled_bound,
    upper_bound,
)
from governance.checks.pii.worker_pool import BATCH_SIZE, ScanExecutor
from governance.data.candidate_patterns import CANDIDATE_PATTERNS, candidate_entities
from governance.data.engine import CandidateValues, DistinctSample
from governance.errors import CheckCannotRun, CheckSkipped, InputError
from governance.personal_data.analyzer import (
    NER_INSTALL_HINT,
    AnalyzerConfig,
    NlpModelNotInstalled,
    analyzer_config,
    build_in_background,
)
from governance.personal_data.entity_names import NER_ENTITIES
from governance.vocabulary.findings import Finding

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

_VALUES_PER_QUERY = 50_000
"""Sampled values fetched per query (a few columns at a time): bounds the memory a sample
holds while keeping one pass over the table for many columns."""


class NerModelMissing(CheckCannotRun):
    """A rule asks for an entity only NER can find and no spaCy model is configured."""


class PiiCheck:
    def run(self, spec: PiiSpec, context: CheckContext) -> CheckReport:
        names = select_datasets(spec.datasets, context.manifest.manifest.datasets)
        if not names:
            raise CheckSkipped(f"no dataset in the manifest matches {spec.datasets!r}")
        # The engine's failure while reading values is `DataQueryFailed`, its text withheld.
        return _Run(spec, context, names).report()


@dataclass(frozen=True)
class _Part:
    """Some of a column's entities, scanned on one set of values: the candidates their
    patterns selected, a sample of distinct values, or every distinct value (exhaustive)."""

    job: ScanJob
    entities: tuple[str, ...]
    kind: Literal["candidates", "sample", "every_value"]


class _Run:
    def __init__(self, spec: PiiSpec, context: CheckContext, names: tuple[str, ...]):
        self.spec = spec
        self.context = context
        self.names = names
        self.config = (
            _analyzer_config(frozenset(spec.entities), context.nlp_model) if spec.entities else None
        )
        self.parts: list[_Part] = []
        """Each scanned part, by the id its batches carry."""
        self.samples: dict[int, DistinctSample] = {}
        """The sample drawn for each job (default mode, entities without a pattern)."""
        self.candidates: dict[int, CandidateValues] = {}
        """The candidates selected for each job (default mode, entities with a pattern)."""

    def report(self) -> CheckReport:
        summaries: list[DatasetSummary] = []
        columns: list[ColumnEvidence] = []
        jobs: list[tuple[int, ScanJob]] = []
        matched: set[str] = set()
        # The columns' context words need presidio's analyzer right after the profile query:
        # built on a thread, its import and set-up (about a second) overlap the query.
        building = build_in_background(AnalyzerConfig()) if self.config is not None else None
        try:
            for name in self.names:
                summary, planned, dataset_matched = plan_dataset(
                    self.spec, self.context.data, name, len(jobs)
                )
                summaries.append(summary)
                matched |= dataset_matched
                for item in planned:
                    if isinstance(item, ScanJob):
                        jobs.append((len(columns), item))
                        columns.append(item.evidence)
                    else:
                        columns.append(item)
        finally:
            if building is not None:
                building.join()  # before the scan forks its workers
        unmatched = tuple(p for p in self.spec.column_patterns() if p not in matched)
        if not (self.spec.special_categories or unmatched) and all(s.rows == 0 for s in summaries):
            # Nothing to judge on the column names, values are all the rule reads, and there
            # are none: nothing to pass or fail on.
            empty = ", ".join(f"'{summary.dataset}'" for summary in summaries)
            which = f"dataset {empty} has" if len(summaries) == 1 else f"datasets {empty} have"
            raise CheckSkipped(f"no rows to scan: {which} none")
        results = self._scan([job for _, job in jobs])
        for position, job in jobs:
            columns[position] = self._scanned(job, results)
        evidence = PiiEvidence(
            analyzer=_analyzer_name(self.config),
            entities=self.spec.entities,
            mode=self.spec.mode,
            sample_size=self.spec.sample_size,
            seed=self.spec.seed,
            min_score=self.spec.min_score,
            tolerance=self.spec.tolerance,
            max_value_length=self.spec.max_value_length,
            datasets=tuple(summaries),
            columns=tuple(columns),
            unmatched_column_patterns=unmatched,
        )
        return CheckReport(
            findings=self._findings(evidence), evidence=evidence, notes=sample_notes(evidence)
        )

    def _scan(self, jobs: list[ScanJob]) -> dict[int, BatchTally]:
        """The tally of each part (by part id)."""
        results: dict[int, BatchTally] = {}
        if not jobs or self.config is None:
            return results
        try:
            executor = self.context.resources.shared(
                ("pii-scanner", self.config), lambda: ScanExecutor(_checked(self.config))
            )
        except NlpModelNotInstalled as error:
            raise InputError(str(error)) from None
        bound_ready = False
        for tally in executor.run(self._batches(jobs, self.config)):
            results.setdefault(tally.job, BatchTally(job=tally.job)).merge(tally)
            if not bound_ready and self._needs_bound(tally):
                load_bound_function()  # while the workers scan the batches in flight
                bound_ready = True
        return results

    def _needs_bound(self, tally: BatchTally) -> bool:
        """Whether this tally's hits are in a sample (not every distinct value or candidate),
        so their column's statistics will state the Clopper-Pearson bound."""
        part = self.parts[tally.job]
        if not tally.entities or part.kind == "every_value":
            return False
        index = part.job.index
        drawn = self.candidates[index] if part.kind == "candidates" else self.samples[index]
        return not drawn.complete

    def _batches(self, jobs: list[ScanJob], config: AnalyzerConfig) -> Iterator[ScanBatch]:
        for part, values in self._values(jobs):
            for start in range(0, len(values), BATCH_SIZE):
                yield ScanBatch(
                    job=part,
                    values=values[start : start + BATCH_SIZE],
                    column=self.parts[part].job.facts,
                    entities=self.parts[part].entities,
                    min_score=self.spec.min_score,
                    config=config,
                )

    def _part(self, job: ScanJob, entities: tuple[str, ...], kind: _PartKind) -> int:
        self.parts.append(_Part(job, entities, kind))
        return len(self.parts) - 1

    def _values(self, jobs: list[ScanJob]) -> Iterator[tuple[int, tuple[str, ...]]]:
        """Each part's values, by part id. Exhaustive: every distinct value, streamed. Default:
        for the entities with a candidate pattern, the values the engine found matching one
        (every row checked); for the others, a sample of distinct values drawn for several
        columns of a dataset at once."""
        spec, data = self.spec, self.context.data
        if spec.mode == "exhaustive":
            for job in jobs:
                part = self._part(job, spec.entities, "every_value")
                column = job.profile.column
                for batch in data.distinct_batches(
                    job.dataset, column, BATCH_SIZE, spec.max_value_length
                ):
                    yield part, tuple(batch)
            return
        patterned = candidate_entities(spec.entities)
        sampled = tuple(e for e in spec.entities if e not in patterned)
        for job in jobs if patterned else ():
            candidates = data.candidate_values(
                job.dataset,
                job.profile,
                patterned,
                spec.sample_size,
                spec.seed,
                spec.max_value_length,
            )
            self.candidates[job.index] = candidates
            yield self._part(job, patterned, "candidates"), candidates.values
        if sampled:
            yield from self._sampled(jobs, sampled)

    def _sampled(
        self, jobs: list[ScanJob], entities: tuple[str, ...]
    ) -> Iterator[tuple[int, tuple[str, ...]]]:
        spec, data = self.spec, self.context.data
        per_query = max(1, _VALUES_PER_QUERY // spec.sample_size)
        for dataset, same_dataset in groupby(jobs, key=lambda job: job.dataset):
            group = list(same_dataset)
            for start in range(0, len(group), per_query):
                chunk = group[start : start + per_query]
                samples = data.distinct_samples(
                    dataset,
                    tuple(job.profile for job in chunk),
                    spec.sample_size,
                    spec.seed,
                    spec.max_value_length,
                )
                for job in chunk:
                    sample = samples[job.profile.column]
                    self.samples[job.index] = sample
                    yield self._part(job, entities, "sample"), sample.values

    def _scanned(self, job: ScanJob, results: dict[int, BatchTally]) -> ColumnEvidence:
        spec = self.spec
        declared = self.context.data.spec(job.dataset).declared_pii(job.profile.column)
        parts = [(i, p) for i, p in enumerate(self.parts) if p.job.index == job.index]
        tallies = {p.kind: results.get(i, BatchTally(job=i)) for i, p in parts}
        facts = _ColumnFacts(self, job, tallies)
        found = []
        for entity in spec.entities:
            kind = facts.kind_of(entity)
            counted = tallies[kind].entities.get(entity) if kind in tallies else None
            if counted is None:
                continue
            scanned, exact, share = facts.denominator(kind)
            is_declared = spec.allow_declared and entity in declared
            rate = counted.hits / scanned
            found.append(
                EntityStatistics(
                    entity=entity,
                    scanned=scanned,
                    hits=counted.hits,
                    hit_rate=rate if share is None else rate * share,
                    upper_bound=None
                    if exact
                    else scaled_bound(counted.hits, scanned, 1.0 if share is None else share),
                    candidate_share=share,
                    max_score=counted.max_score,
                    examples=tuple(counted.examples),
                    declared=is_declared,
                    violation=not is_declared
                    and exceeds_tolerance(
                        counted.hits,
                        scanned,
                        exact,
                        spec.tolerance,
                        1.0 if share is None else share,
                    ),
                )
            )
        return job.evidence.model_copy(
            update={
                "distinct": facts.distinct(),
                "scanned": sum(t.scanned for t in tallies.values()),
                "analysed": sum(t.analysed for t in tallies.values()),
                "complete": facts.complete(),
                "bound_if_none": facts.bound_if_none(),
                "found": tuple(found),
                "candidates": facts.coverage(),
            }
        )

    def _findings(self, evidence: PiiEvidence) -> tuple[Finding, ...]:
        findings: list[Finding] = []
        for column in evidence.columns:
            findings.extend(entity_finding(column, s) for s in column.found if s.violation)
            if column.special_category and not column.special_category_declared:
                findings.append(special_category_finding(column))
        findings.extend(
            unmatched_pattern_finding(pattern, self.names)
            for pattern in evidence.unmatched_column_patterns
        )
        return tuple(findings)


_PartKind = Literal["candidates", "sample", "every_value"]


class _ColumnFacts:
    """What a column's scanned parts say about it as a whole."""

    def __init__(self, run: _Run, job: ScanJob, tallies: dict[_PartKind, BatchTally]):
        self._run = run
        self._job = job
        self._tallies = tallies
        self._candidates = run.candidates.get(job.index)
        self._sample = run.samples.get(job.index)
        self._exact_distinct: int | None = None

    def kind_of(self, entity: str) -> _PartKind:
        if "every_value" in self._tallies:
            return "every_value"
        return "candidates" if entity in CANDIDATE_PATTERNS else "sample"

    def denominator(self, kind: _PartKind) -> tuple[int, bool, float | None]:
        """(distinct values a rate is over, whether that is every one, the candidate share
        a sample's rate and bound are scaled by)."""
        if kind == "every_value":
            return self._tallies[kind].scanned, True, None
        if kind == "sample":
            assert self._sample is not None
            return self._tallies[kind].scanned, self._sample.complete, None
        assert self._candidates is not None
        if self._candidates.complete:
            # Every value outside the candidates was decided by the pattern: the rate is over
            # every distinct value, as an exhaustive scan gives it.
            return self._distinct_count(), True, None
        return self._tallies[kind].scanned, False, self._share()

    def _share(self) -> float:
        """The candidates' share of the column's distinct values, both counted exactly (an
        estimate would differ by engine, and with it the rate and bound it scales)."""
        assert self._candidates is not None
        distinct = max(self._distinct_count(), self._candidates.distinct_candidates)
        return self._candidates.distinct_candidates / max(distinct, 1)

    def _distinct_count(self) -> int:
        if self._exact_distinct is None:
            spec, job = self._run.spec, self._job
            self._exact_distinct = self._run.context.data.distinct_count(
                job.dataset, job.profile.column, spec.max_value_length
            )
        return self._exact_distinct

    def distinct(self) -> int | None:
        if "every_value" in self._tallies:
            return self._tallies["every_value"].scanned
        if self._exact_distinct is not None:
            return self._exact_distinct
        return None if self._sample is None else self._sample.distinct

    def complete(self) -> bool:
        drawn = [d for d in (self._candidates, self._sample) if d is not None]
        return all(d.complete for d in drawn)

    def bound_if_none(self) -> float | None:
        """The largest 95% bound an entity found nowhere could still have (None: exact)."""
        bounds = []
        if self._candidates is not None and not self._candidates.complete:
            bounds.append(scaled_bound(0, self._tallies["candidates"].scanned, self._share()))
        if self._sample is not None and not self._sample.complete:
            bounds.append(upper_bound(0, self._tallies["sample"].scanned))
        return max(bounds) if bounds else None

    def coverage(self) -> CandidateCoverage | None:
        found = self._candidates
        if found is None:
            return None
        entities = self._run.spec.entities
        return CandidateCoverage(
            entities=candidate_entities(entities),
            sampled=tuple(e for e in entities if e not in CANDIDATE_PATTERNS),
            rows=found.rows,
            candidate_rows=found.candidate_rows,
            candidates=found.distinct_candidates,
            verified=len(found.values),
            complete=found.complete,
            candidate_share=None if found.complete else self._share(),
        )


def _checked(config: AnalyzerConfig | None) -> AnalyzerConfig:
    assert config is not None
    return config


def _analyzer_name(config: AnalyzerConfig | None) -> str:
    version = metadata.version("presidio-analyzer")
    if config is None:
        return f"presidio-analyzer {version} (not used: column names only)"
    engine = f"spaCy model {config.nlp_model}" if config.nlp_model else "no_op NLP engine"
    return f"presidio-analyzer {version}, {engine}"


def _analyzer_config(entities: frozenset[str], nlp_model: str | None) -> AnalyzerConfig:
    """The configuration that can find `entities`; raises `NerModelMissing` when one of them
    needs NER and no model is named."""
    ner = sorted(entities & NER_ENTITIES)
    if ner and nlp_model is None:
        raise NerModelMissing(
            f"{', '.join(ner)} can only be found by a NER model and none is configured; "
            + NER_INSTALL_HINT
        )
    return analyzer_config(entities, nlp_model)
