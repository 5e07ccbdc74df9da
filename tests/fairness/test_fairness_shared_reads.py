"""Every fairness rule on a dataset reads the same label's and prediction's values and the same
spread of its sensitive features: the store reads them once per audit, and the rules' results
are those of a store that reads them each time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from governance.checks.context import CheckContext
from governance.checks.fairness.check import FairnessCheck
from governance.checks.fairness.spec import FairnessSpec
from governance.data.store import DatasetStore
from governance.manifest import DatasetSpec


def _store() -> DatasetStore:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], 2_000),
            "race": rng.choice(["A", "B", "C"], 2_000),
            "y": rng.integers(0, 2, 2_000),
            "p": rng.integers(0, 2, 2_000),
        }
    )
    spec = DatasetSpec.model_validate({"label": "y", "prediction": "p"})
    return DatasetStore({"d": spec}, {"d": frame})


def _statements(store: DatasetStore) -> list[str]:
    run = store._run
    seen: list[str] = []

    def counted(name, statement, *arguments):  # type: ignore[no-untyped-def]
        seen.append(statement)
        return run(name, statement, *arguments)

    store._run = counted  # type: ignore[method-assign]
    return seen


def _spec(metric: str) -> FairnessSpec:
    return FairnessSpec.model_validate(
        {"dataset": "d", "metric": metric, "min": 0.8, "sensitive_features": ["sex", "race"]}
    )


def test_a_second_rule_reads_no_value_list_again_and_gets_the_same_result() -> None:
    store = _store()
    context = CheckContext(manifest=None, data=store)  # type: ignore[arg-type]
    seen = _statements(store)
    first = FairnessCheck().run(_spec("selection_rate"), context)
    lists_first = [s for s in seen if "list(DISTINCT" in s or "count(DISTINCT" in s]
    seen.clear()
    second = FairnessCheck().run(_spec("selection_rate"), context)
    assert lists_first  # the first rule looked at its columns
    assert not [s for s in seen if "list(DISTINCT" in s or "count(DISTINCT" in s]
    assert second == first
    fresh = _store()
    alone = FairnessCheck().run(_spec("true_positive_rate"), CheckContext(None, fresh))  # type: ignore[arg-type]
    assert FairnessCheck().run(_spec("true_positive_rate"), context) == alone


def test_the_kept_values_cannot_be_changed_by_a_caller() -> None:
    store = _store()
    values = store.present_values("d", {"y": "BIGINT"}, 3)
    values["y"].append(99)
    assert store.present_values("d", {"y": "BIGINT"}, 3) == {"y": [0, 1]}
