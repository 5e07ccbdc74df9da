"""The model check: runs the one sub-check its rule names."""

from __future__ import annotations

from governance.checks.context import CheckContext
from governance.checks.interface import CheckReport
from governance.checks.model.artifact_hygiene import check_artifact
from governance.checks.model.claims import check_claims
from governance.checks.model.performance_floors import check_performance_floor
from governance.checks.model.prohibited_inputs import check_prohibited_inputs
from governance.checks.model.proxies import check_proxies
from governance.checks.model.spec import ModelCheckSpec


class ModelCheck:
    def run(self, spec: ModelCheckSpec, context: CheckContext) -> CheckReport:
        if spec.prohibited_inputs is not None:
            return check_prohibited_inputs(spec.prohibited_inputs, context)
        if spec.proxies is not None:
            return check_proxies(spec.proxies, context)
        if spec.artifact is not None:
            return check_artifact(spec.artifact, context)
        if spec.claims is not None:
            return check_claims(spec.claims, context)
        assert spec.performance_floor is not None  # the spec holds exactly one sub-check
        return check_performance_floor(spec.performance_floor, context)
