"""The pii check: scan the selected columns of the selected datasets, judge what is found."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import metadata
from itertools import groupby
from typing import TYPE_CHECKING

from governance.checks.dataset_selection import select_datasets
from governance.checks.interface import CheckReport
from governance.checks.pii.column_plan import ScanJob, plan_dataset
from governance.checks.pii.evidence import (
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
from governance.checks.pii.scanner import BatchTally, ScanBatch
from governance.checks.pii.spec import PiiSpec
from governance.checks.pii.statistics import (
    exceeds_tolerance,
    load_bound_function,
    upper_bound,
)
from governance.checks.pii.worker_pool import BATCH_SIZE, ScanExecutor
from governance.data.store import DistinctSample
from governance.errors import CheckCannotRun, CheckSkipped, InputError
from governance.personal_data.analyzer import (
    NER_INSTALL_HINT,
    AnalyzerConfig,
    NlpModelNotInstalled,
    analyzer_config,
)
from governance.personal_data.entity_names import NER_ENTITIES
from governance.vocabulary.findings import Finding

if TYPE_CHECKING:  # checks receive a context; building one is the engine's job
    from governance.checks.context import CheckContext

_VALUES_PER_QUERY = 50_000
"""Sampled values fetched per query (a few columns at a time): bounds the memory a sample
holds while keeping one pass over the table for many columns."""


class DataQueryFailed(Exception):  # noqa: N818 - reported as the errored rule's reason
    """DuckDB failed while reading column values; its text (which may quote data) is dropped."""


class NerModelMissing(CheckCannotRun):
    """A rule asks for an entity only NER can find and no spaCy model is configured."""


class PiiCheck:
    def run(self, spec: PiiSpec, context: CheckContext) -> CheckReport:
        import duckdb  # for its errors; the store imported it when it was built

        names = select_datasets(spec.datasets, context.manifest.manifest.datasets)
        if not names:
            raise CheckSkipped(f"no dataset in the manifest matches {spec.datasets!r}")
        try:
            return _Run(spec, context, names).report()
        except duckdb.Error as error:
            raise DataQueryFailed(
                f"reading column values failed ({type(error).__name__}; details withheld "
                "because they may quote the data)"
            ) from None


class _Run:
    def __init__(self, spec: PiiSpec, context: CheckContext, names: tuple[str, ...]):
        self.spec = spec
        self.context = context
        self.names = names
        self.config = (
            _analyzer_config(frozenset(spec.entities), context.nlp_model) if spec.entities else None
        )
        self.samples: dict[int, DistinctSample] = {}
        """The sample drawn for each job (default mode)."""

    def report(self) -> CheckReport:
        summaries: list[DatasetSummary] = []
        columns: list[ColumnEvidence] = []
        jobs: list[tuple[int, ScanJob]] = []
        matched: set[str] = set()
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
        results = self._scan([job for _, job in jobs])
        for position, job in jobs:
            columns[position] = self._scanned(job, results[job.index])
        unmatched = tuple(p for p in self.spec.column_patterns() if p not in matched)
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
        return CheckReport(findings=self._findings(evidence), evidence=evidence)

    def _scan(self, jobs: list[ScanJob]) -> dict[int, BatchTally]:
        results = {job.index: BatchTally(job=job.index) for job in jobs}
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
            results[tally.job].merge(tally)
            if not bound_ready and self._needs_bound(tally):
                load_bound_function()  # while the workers scan the batches in flight
                bound_ready = True
        return results

    def _needs_bound(self, tally: BatchTally) -> bool:
        """Whether this tally's hits are in a sample (not every distinct value), so their
        column's statistics will state the Clopper-Pearson bound."""
        sample = self.samples.get(tally.job)  # None in exhaustive mode: every value scanned
        return bool(tally.entities) and sample is not None and not sample.complete

    def _batches(self, jobs: list[ScanJob], config: AnalyzerConfig) -> Iterator[ScanBatch]:
        for job, chunks in self._values(jobs):
            for chunk in chunks:
                yield ScanBatch(
                    job=job.index,
                    values=tuple(chunk),
                    column=job.facts,
                    entities=self.spec.entities,
                    min_score=self.spec.min_score,
                    config=config,
                )

    def _values(self, jobs: list[ScanJob]) -> Iterator[tuple[ScanJob, Iterable[list[str]]]]:
        """Each job's values in batches: streamed per column in exhaustive mode, else sampled
        for several columns of a dataset at once."""
        spec, data = self.spec, self.context.data
        if spec.mode == "exhaustive":
            for job in jobs:
                column = job.profile.column
                yield (
                    job,
                    data.distinct_batches(job.dataset, column, BATCH_SIZE, spec.max_value_length),
                )
            return
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
                    values = list(sample.values)
                    yield (
                        job,
                        (values[i : i + BATCH_SIZE] for i in range(0, len(values), BATCH_SIZE)),
                    )

    def _scanned(self, job: ScanJob, tally: BatchTally) -> ColumnEvidence:
        spec = self.spec
        declared = self.context.data.spec(job.dataset).declared_pii(job.profile.column)
        sample = self.samples.get(job.index)
        complete = sample is None or sample.complete  # no sample: exhaustive mode
        distinct = tally.scanned if sample is None else sample.distinct
        found = []
        for entity in spec.entities:
            counted = tally.entities.get(entity)
            if counted is None:
                continue
            is_declared = spec.allow_declared and entity in declared
            found.append(
                EntityStatistics(
                    entity=entity,
                    scanned=tally.scanned,
                    hits=counted.hits,
                    hit_rate=counted.hits / tally.scanned,
                    upper_bound=None if complete else upper_bound(counted.hits, tally.scanned),
                    max_score=counted.max_score,
                    examples=tuple(counted.examples),
                    declared=is_declared,
                    violation=not is_declared
                    and exceeds_tolerance(counted.hits, tally.scanned, complete, spec.tolerance),
                )
            )
        return job.evidence.model_copy(
            update={
                "distinct": distinct,
                "scanned": tally.scanned,
                "analysed": tally.analysed,
                "complete": complete,
                "bound_if_none": None if complete else upper_bound(0, tally.scanned),
                "found": tuple(found),
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
