"""Artifact hygiene: the model file is in a format that runs no code when loaded (told by its
content), under a size limit, and its sha256 is pinned (manifest or model card) and matches."""

from __future__ import annotations

import re
from pathlib import Path

from governance.checks.context import CheckContext
from governance.checks.interface import CheckReport
from governance.checks.model.artifact_format import sniff_format
from governance.checks.model.evidence import ArtifactEvidence, ModelCheckEvidence
from governance.checks.model.model_card import card_front_matter
from governance.checks.model.spec import ArtifactFormat, ArtifactSpec, SubCheck
from governance.errors import InputError
from governance.hashing import file_sha256
from governance.manifest import SHA256_PATTERN
from governance.vocabulary.findings import Finding, FindingLocation

_MEGABYTE = 1_000_000
_UNSAFE = {
    ArtifactFormat.PICKLE: "pickle/joblib files run arbitrary code when loaded",
    ArtifactFormat.UNKNOWN: "its format is not recognised, so loading it cannot be judged safe",
}


def check_artifact(spec: ArtifactSpec, context: CheckContext) -> CheckReport:
    model = context.manifest.manifest.model
    allowed = tuple(f.value for f in spec.allowed_formats)
    if model.artifact is None:
        evidence = ArtifactEvidence(path=None, allowed_formats=allowed)
        finding = Finding(
            message="no model artifact is declared in the manifest ('model.artifact')",
            subject="declared",
        )
        return _report((finding,), evidence)
    shown = context.manifest.display_path(model.artifact)
    sniffed = sniff_format(model.artifact)
    digest, size = file_sha256(model.artifact)
    pinned, pinned_in = _pin(spec, context)
    evidence = ArtifactEvidence(
        path=shown,
        format=sniffed.format.value,
        format_detail=sniffed.detail,
        allowed_formats=allowed,
        size_bytes=size,
        max_bytes=int(spec.max_megabytes * _MEGABYTE),
        sha256=digest,
        pinned_sha256=pinned,
        pinned_in=pinned_in,
    )
    location = FindingLocation(path=shown)
    problems: list[tuple[str, str]] = []  # (subject, sentence)
    if sniffed.format not in spec.allowed_formats:
        why = _UNSAFE.get(sniffed.format, "the rule does not allow it")
        problems.append(
            ("format", f"the artifact is {sniffed.detail}, not an allowed format ({why})")
        )
    if size > spec.max_megabytes * _MEGABYTE:
        problems.append(("size", f"the artifact has {size} bytes, over {spec.max_megabytes:g} MB"))
    if pinned is None and spec.require_pin:
        problems.append(
            (
                "pin",
                "the artifact's sha256 is not pinned (manifest 'model.sha256', or "
                f"'{spec.card_sha256_key}' in the model card's front matter)",
            )
        )
    if pinned is not None and pinned != digest:
        # The digests themselves are in the evidence: a message masks long hex runs.
        problems.append(
            (
                "pin",
                f"the artifact's sha256 does not match the one pinned in the {pinned_in} "
                "(the file changed, or the pin is stale)",
            )
        )
    findings = tuple(
        Finding(message=problem, subject=subject, location=location)
        for subject, problem in problems
    )
    return _report(findings, evidence)


def _report(findings: tuple[Finding, ...], evidence: ArtifactEvidence) -> CheckReport:
    return CheckReport(
        findings=findings, evidence=ModelCheckEvidence(check=SubCheck.ARTIFACT, artifact=evidence)
    )


def _pin(spec: ArtifactSpec, context: CheckContext) -> tuple[str | None, str | None]:
    """The pinned sha256 and where: the manifest's, else the model card's front matter (both
    given and different is the user's mistake)."""
    model = context.manifest.manifest.model
    from_card = _card_pin(spec, model.card) if model.card is not None else None
    if model.sha256 is not None and from_card is not None and from_card != model.sha256:
        raise InputError(
            "the manifest's 'model.sha256' and the model card's "
            f"'{spec.card_sha256_key}' pin different digests",
            hint="keep one pin, or make both the artifact's sha256",
        )
    if model.sha256 is not None:
        return model.sha256, "manifest"
    return (from_card, "model card") if from_card is not None else (None, None)


def _card_pin(spec: ArtifactSpec, card: Path) -> str | None:
    front = card_front_matter(card)
    value = front.data.get(spec.card_sha256_key) if front is not None else None
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(SHA256_PATTERN, value):
        assert front is not None
        raise front.document.error(
            f"'{spec.card_sha256_key}' must be a sha256: 64 lowercase hexadecimal digits",
            (spec.card_sha256_key,),
            hint="write it in quotes: YAML reads a digest of digits only as a number",
        )
    return value
