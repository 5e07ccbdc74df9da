"""`bom.cdx.json`: a CycloneDX 1.6 ML bill of materials of what the audit examined.

The model is a `machine-learning-model` component (the BOM's subject) named and licensed as its
card says, whose `modelCard` holds the card's task, use cases, limitations and ethical
considerations and the audit's measured figures and failing groups; each dataset is a `data`
component and every other input a `file`, each with its sha256; the tool and the libraries that
shaped a figure are the BOM's tools; the verdict and each rule's outcome are properties.
cyclonedx-python-lib builds and serialises the BOM; it does not model `modelCard` nor a
component's `data` yet, so those two are added to its JSON, and the tests validate the whole
against the 1.6 schema.

Deterministic: the serial number is derived from the input digests and the audit's time, the
timestamp is the audit's, and every `bom-ref` is named from the input it stands for.
"""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from governance.checks.fairness.evidence import FairnessEvidence, GroupStatus
from governance.checks.fairness.metrics import LABELS
from governance.checks.model.evidence import ModelCheckEvidence
from governance.checks.prediction_agreement.evidence import PredictionAgreementEvidence
from governance.engine.result import AuditResult, CardSectionKind, InputFile, Outcome

if TYPE_CHECKING:
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component
    from cyclonedx.model.license import DisjunctiveLicense

MODEL_REF = "model"
_SERIAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:governance:ml-bom")


def render_cyclonedx(result: AuditResult) -> str:
    from cyclonedx.output.json import JsonV1Dot6

    with warnings.catch_warnings():
        # The library warns when the model depends on nothing; audited on its documents alone
        # (no dataset), it does not, and the graph is complete.
        warnings.filterwarnings("ignore", "The Component this BOM is describing", UserWarning)
        document = json.loads(JsonV1Dot6(_bom(result)).output_as_string())
    for component in [document["metadata"]["component"], *document.get("components", ())]:
        if component["bom-ref"] == MODEL_REF:
            component["modelCard"] = _model_card(result)
        elif component["type"] == "data":
            component["data"] = [{"type": "dataset", "name": component["name"]}]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def serial_number(result: AuditResult) -> uuid.UUID:
    """The same for the same audit of the same inputs, different when any input differs."""
    digests = sorted(f"{i.role}:{i.path}:{i.sha256}" for i in result.inputs)
    if result.model is not None:
        digests += sorted(f"predictions:{s.predictions_sha256}" for s in result.model.scored)
    key = "\n".join([result.audit.name, result.audit.created_at.isoformat(), *digests])
    return uuid.uuid5(_SERIAL_NAMESPACE, key)


def _bom(result: AuditResult) -> Bom:
    from cyclonedx.model import Property
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.tool import ToolRepository

    tools = [
        Component(
            type=ComponentType.APPLICATION,
            name=result.tool.name,
            version=result.tool.version,
            bom_ref="tool:governance",
        ),
        *(
            Component(
                type=ComponentType.LIBRARY, name=name, version=version, bom_ref=f"tool:{name}"
            )
            for name, version in sorted(result.tool.libraries.items())
        ),
    ]
    model = _model(result)
    components = [
        *(_input(i) for i in result.inputs if i.role != "model_artifact"),  # the model
        *_predictions(result),
    ]
    bom = Bom(
        serial_number=serial_number(result),
        metadata=BomMetaData(
            timestamp=result.audit.created_at,
            tools=ToolRepository(components=tools),
            component=model,
            properties=[Property(name=name, value=value) for name, value in _outcomes(result)],
        ),
        components=components,
    )
    # The model's figures were measured on the data: the audited model depends on it.
    bom.register_dependency(model, [c for c in components if c.type is ComponentType.DATA])
    return bom


def _model(result: AuditResult) -> Component:
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.component import Component, ComponentType

    artifact = next((i for i in result.inputs if i.role == "model_artifact"), None)
    card = result.model_card
    properties = [Property(name="governance:audit", value=result.audit.name)]
    if card is not None:
        properties.append(Property(name="governance:model_card", value=card.path))
    if artifact is not None:
        properties.append(Property(name="governance:artifact", value=artifact.path))
    if result.model is not None:
        properties.append(Property(name="governance:format", value=result.model.format))
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=(card.name if card else None) or result.audit.name,
        licenses=[_license(card.license)] if card and card.license else [],
        description=result.audit.description or None,
        bom_ref=MODEL_REF,
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=artifact.sha256)] if artifact else [],
        properties=properties,
    )


def _license(text: str) -> DisjunctiveLicense:
    """An SPDX license id when the card's `license` is one (`apache-2.0`), else its name."""
    from cyclonedx.model.license import DisjunctiveLicense
    from cyclonedx.spdx import fixup_id

    spdx_id = fixup_id(text)
    return DisjunctiveLicense(id=spdx_id) if spdx_id else DisjunctiveLicense(name=text)


def _input(item: InputFile) -> Component:
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.component import Component, ComponentType

    return Component(
        type=ComponentType.DATA if item.role == "dataset" else ComponentType.FILE,
        name=item.path,
        bom_ref=f"input:{item.role}:{item.path}",
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=item.sha256)],
        properties=[
            Property(name="governance:role", value=item.role),
            Property(name="governance:size", value=str(item.size)),
        ],
    )


def _predictions(result: AuditResult) -> Iterator[Component]:
    """The model's predictions per dataset it scored: the data the fairness figures are of."""
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.component import Component, ComponentType

    from governance.hashing import digest_set

    for scored in result.model.scored if result.model else ():
        ((scheme, digest),) = digest_set(scored.predictions_sha256).items()
        # A digest of another scheme (partitions-sha256, on Spark) is no SHA-256 of a file.
        hashes = [HashType(alg=HashAlgorithm.SHA_256, content=digest)] if scheme == "sha256" else []
        yield Component(
            type=ComponentType.DATA,
            name=f"predictions of the model on {scored.dataset}",
            bom_ref=f"predictions:{scored.dataset}",
            hashes=hashes,
            properties=[
                Property(name="governance:rows", value=str(scored.rows)),
                Property(name="governance:prediction_column", value=scored.prediction_column),
                *([] if hashes else [Property(name=f"governance:{scheme}", value=digest)]),
            ],
        )


def _outcomes(result: AuditResult) -> Iterator[tuple[str, str]]:
    yield "governance:audit", result.audit.name
    yield "governance:verdict", result.verdict.value
    yield "governance:fail_on", result.audit.fail_on.value
    for outcome, count in result.counts.items():
        yield f"governance:rules:{outcome}", str(count)
    for rule in sorted(result.rules, key=lambda r: r.id):
        yield f"governance:rule:{rule.id}", rule.outcome.value
        # What its verdict leaves out or assumes (a group not compared), as every format says.
        for note in rule.notes:
            yield f"governance:rule:{rule.id}:note", note.text


def _model_card(result: AuditResult) -> dict[str, Any]:
    datasets = [f"input:dataset:{i.path}" for i in result.inputs if i.role == "dataset"]
    if result.model is not None:
        datasets += [f"predictions:{s.dataset}" for s in result.model.scored]
    parameters: dict[str, Any] = {"datasets": [{"ref": ref} for ref in datasets]}
    if result.model_card is not None and result.model_card.task:
        parameters["task"] = result.model_card.task
    if result.model is not None and result.model.features:
        parameters["inputs"] = [{"format": "tabular"}]
    card: dict[str, Any] = {"bom-ref": "model-card", "modelParameters": parameters}
    if result.model is not None and result.model.features:
        # In the model's order (the library sorts a component's properties).
        card["properties"] = [
            {"name": "governance:input_feature", "value": feature}
            for feature in result.model.features
        ]
    metrics = _unique(list(_performance_metrics(result)))
    if metrics:
        card["quantitativeAnalysis"] = {"performanceMetrics": metrics}
    considerations = _considerations(result)
    if considerations:
        card["considerations"] = considerations
    return card


def _performance_metrics(result: AuditResult) -> Iterator[dict[str, Any]]:
    for rule in sorted(result.rules, key=lambda r: r.id):
        match rule.evidence:
            case FairnessEvidence() as fairness:
                yield from _fairness_metrics(fairness)
            case ModelCheckEvidence() as model:
                for claim in model.claims:
                    if claim.measured is not None:
                        yield _metric(
                            claim.metric,
                            claim.measured,
                            f"dataset {model.dataset}",
                            claim.ci_low,
                            claim.ci_high,
                        )
                for floor in model.floors:
                    if floor.rate is not None and floor.status == "compared":
                        slice_ = f"{model.dataset}: {floor.group}"
                        yield _metric(
                            str(model.metric), floor.rate, slice_, floor.ci_low, floor.ci_high
                        )
            case PredictionAgreementEvidence() as agreement:
                yield _metric(
                    "disagreement with the recorded predictions",
                    agreement.disagreement,
                    f"dataset {agreement.dataset}",
                )
            case _:
                pass


def _fairness_metrics(evidence: FairnessEvidence) -> Iterator[dict[str, Any]]:
    for feature_set in evidence.feature_sets:
        for comparison in feature_set.rates:
            label = LABELS[comparison.metric]
            for group in comparison.groups:
                if group.status is not GroupStatus.COMPARED or group.rate is None:
                    continue
                slice_ = f"{evidence.dataset}: {group.group}"
                yield _metric(label, group.rate, slice_, group.ci_low, group.ci_high)
                if group.impact_ratio is not None:
                    yield _metric(f"{label} impact ratio", group.impact_ratio, slice_)


def _metric(
    kind: str, value: float, slice_: str, low: float | None = None, high: float | None = None
) -> dict[str, Any]:
    metric: dict[str, Any] = {"type": kind, "value": repr(float(value)), "slice": slice_}
    if low is not None and high is not None:
        metric["confidenceInterval"] = {
            "lowerBound": repr(float(low)),
            "upperBound": repr(float(high)),
        }
    return metric


def _unique(metrics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each (measure, slice) once: several rules may measure the same rate of the same group
    (an LL144 table and the four-fifths rule)."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for metric in metrics:
        seen.setdefault((metric["type"], metric["slice"]), metric)
    return list(seen.values())


def _considerations(result: AuditResult) -> dict[str, Any]:
    """What the card says of the model's uses, limitations and ethics, and what the audit found
    against the model and its data: each failed or waived rule of the model, its data or its
    fairness, with its remediation, and each group such a rule fails."""
    assessments = []
    risks = []
    for rule in sorted(result.rules, key=lambda r: r.id):
        if rule.outcome not in (Outcome.FAILED, Outcome.WAIVED) or rule.kind == "documentation":
            continue  # a gap in the documents is not a risk of the model: its outcome says it
        risk = {"name": f"{rule.id} ({rule.severity.value}, {rule.outcome.value}): {rule.title}"}
        if rule.remediation:
            risk["mitigationStrategy"] = rule.remediation
        risks.append(risk)
        for group, harm in _failing_groups(rule.evidence):
            assessment = {"groupAtRisk": group, "harms": f"{harm} (rule {rule.id})"}
            if rule.remediation:
                assessment["mitigationStrategy"] = rule.remediation
            assessments.append(assessment)
    considerations: dict[str, Any] = dict(_card_considerations(result))
    risks = [*considerations.pop("ethicalConsiderations", []), *risks]
    if risks:
        considerations["ethicalConsiderations"] = risks
    if assessments:
        considerations["fairnessAssessments"] = assessments
    return considerations


def _card_considerations(result: AuditResult) -> Iterator[tuple[str, list[Any]]]:
    """What the model card itself says of its uses, limitations and ethics."""
    sections = result.model_card.sections if result.model_card else ()
    texts = {kind: [s.text for s in sections if s.kind is kind] for kind in CardSectionKind}
    if texts[CardSectionKind.INTENDED_USE]:
        yield "useCases", texts[CardSectionKind.INTENDED_USE]
    limitations = texts[CardSectionKind.LIMITATIONS] + [
        f"Out of scope: {text}" for text in texts[CardSectionKind.OUT_OF_SCOPE_USE]
    ]
    if limitations:
        yield "technicalLimitations", limitations
    if texts[CardSectionKind.ETHICAL_CONSIDERATIONS]:
        ethics = texts[CardSectionKind.ETHICAL_CONSIDERATIONS]
        yield "ethicalConsiderations", [{"name": text} for text in ethics]


def _failing_groups(evidence: object) -> Iterator[tuple[str, str]]:
    match evidence:
        case FairnessEvidence():
            for feature_set in evidence.feature_sets:
                for comparison in feature_set.rates:
                    for group in comparison.groups:
                        if group.failing:
                            yield (
                                group.group,
                                _fairness_harm(
                                    LABELS[comparison.metric], group.rate, group.compared
                                ),
                            )
        case ModelCheckEvidence():
            for floor in evidence.floors:
                if floor.failing:
                    yield floor.group, f"{evidence.metric} {_figure(floor.rate)}"
        case _:
            pass


def _fairness_harm(label: str, rate: float | None, compared: float | None) -> str:
    harm = f"{label} {_figure(rate)}"
    return harm + (f", compared value {_figure(compared)}" if compared is not None else "")


def _figure(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"
