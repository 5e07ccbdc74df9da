"""What the report records about the audited model: the artifact loaded and, per dataset it
scored, a digest of the predictions its numbers came from."""

from __future__ import annotations

from governance.engine.result import ModelInfo, ScoredDatasetInfo
from governance.model.formats import ModelFormat
from governance.model.source import ModelSource


def model_info(source: ModelSource) -> ModelInfo | None:
    """The model the audit loaded, or None when no rule needed it."""
    model = source.loaded
    if model is None:
        return None
    scan = model.pickle_scan
    return ModelInfo(
        artifact=model.display_path,
        format=model.format.value,
        sha256=model.sha256,
        size=model.size,
        features=model.features,
        trusted_types=model.trusted_types,
        pickle_opt_in=model.format is ModelFormat.PICKLE,
        pickle_scan=None if scan is None else f"{scan.scanner}: {scan.severity}",
        scored=tuple(
            ScoredDatasetInfo(
                dataset=scored.dataset,
                rows=scored.rows,
                prediction_column=scored.prediction_column,
                score_column=scored.score_column,
                predictions_sha256=scored.predictions_sha256,
            )
            for scored in sorted(source.scored, key=lambda scored: scored.dataset)
        ),
    )
