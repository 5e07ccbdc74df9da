"""Every check kind, by the YAML key that introduces it in a rule: adding a kind is one entry
here. The kind names, the union of specs a rule may hold and the union of evidence a result may
carry are derived from this one dict. Reading policies needs the specs only: a kind's check and
its evidence model are imported when first used (the evidence union with them)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar, Union

from pydantic import Field

from governance.checks.declarations.spec import DeclarationsSpec
from governance.checks.documentation.spec import DocumentationSpec
from governance.checks.fairness.spec import FairnessSpec
from governance.checks.interface import Check, CheckEvidence, CheckSpec
from governance.checks.model.spec import ModelCheckSpec
from governance.checks.pii.spec import PiiSpec
from governance.checks.prediction_agreement.spec import PredictionAgreementSpec

S = TypeVar("S", bound=CheckSpec)


@dataclass(frozen=True)
class CheckKind(Generic[S]):
    """One kind: its check, the spec its rule block parses into, the evidence it records (both
    pydantic models whose `kind` literal is the kind's name)."""

    load_check: Callable[[], Check[S]]
    """Builds its check, importing it when a rule of the kind first runs: reading and
    validating policies needs the specs only, not the checks' machinery."""
    spec: type[S]
    load_evidence: Callable[[], type[CheckEvidence]]
    """Imports its evidence model, which only results need (some import the check's
    machinery)."""
    reads_measurements: bool = False
    """Its rules run after every other rule and see their evidence (`CheckContext.measured`)."""

    @cached_property
    def check(self) -> Check[S]:
        return self.load_check()

    @cached_property
    def evidence(self) -> type[CheckEvidence]:
        evidence: type[CheckEvidence] = self.load_evidence()
        return evidence


def _imported(module: str, name: str) -> Callable[[], Any]:
    return lambda: _attribute(module, name)()


def _class(module: str, name: str) -> Callable[[], Any]:
    return lambda: _attribute(module, name)


def _attribute(module: str, name: str) -> Any:
    return getattr(importlib.import_module(f"governance.checks.{module}"), name)


CHECKS: dict[str, CheckKind[Any]] = {
    "documentation": CheckKind(
        _imported("documentation.check", "DocumentationCheck"),
        DocumentationSpec,
        _class("documentation.evidence", "DocumentationEvidence"),
    ),
    "fairness": CheckKind(
        _imported("fairness.check", "FairnessCheck"),
        FairnessSpec,
        _class("fairness.evidence", "FairnessEvidence"),
    ),
    "pii": CheckKind(
        _imported("pii.check", "PiiCheck"), PiiSpec, _class("pii.evidence", "PiiEvidence")
    ),
    "model": CheckKind(
        _imported("model.check", "ModelCheck"),
        ModelCheckSpec,
        _class("model.evidence", "ModelCheckEvidence"),
    ),
    "prediction_agreement": CheckKind(
        _imported("prediction_agreement.check", "PredictionAgreementCheck"),
        PredictionAgreementSpec,
        _class("prediction_agreement.evidence", "PredictionAgreementEvidence"),
    ),
    "declarations": CheckKind(
        _imported("declarations.check", "DeclarationsCheck"),
        DeclarationsSpec,
        _class("declarations.evidence", "DeclarationsEvidence"),
        reads_measurements=True,
    ),
}
CHECK_KINDS: frozenset[str] = frozenset(CHECKS)

if TYPE_CHECKING:
    AnyCheckSpec = CheckSpec
    AnyCheckEvidence = CheckEvidence
else:
    # Tagged unions for pydantic (their JSON form is in the published schema); mypy, which
    # cannot follow a union built at run time, sees the contracts they satisfy.
    AnyCheckSpec = Annotated[
        Union[tuple(kind.spec for kind in CHECKS.values())],  # noqa: UP007
        Field(discriminator="kind"),
    ]

    @cache
    def _evidence_union() -> Any:
        return Annotated[
            Union[tuple(kind.evidence for kind in CHECKS.values())],  # noqa: UP007
            Field(discriminator="kind"),
        ]

    def __getattr__(name: str) -> Any:
        """`AnyCheckEvidence`, built (its models imported) when first imported."""
        if name == "AnyCheckEvidence":
            return _evidence_union()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
