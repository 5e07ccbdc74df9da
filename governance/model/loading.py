"""`model.artifact` → a `LoadedModel`: read once, its sha256 checked against the pin, its format
told from name and bytes, loaded only through a format that runs no code (or an opted-in,
pinned, scanned pickle). Every refusal is an `InputError` at the manifest's `model` key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from governance.errors import InputError, InputFileError
from governance.manifest import LoadedManifest, ModelSpec
from governance.model.formats import ModelFormat, UnknownFormat, artifact_format
from governance.model.predictor import InvalidModel, Predictor
from governance.regular_files import open_regular_file

if TYPE_CHECKING:
    from governance.model.pickle_model import PickleScan

_MAX_BYTES = 2 * 1024**3
"""Read whole to hash and load the same bytes: a larger artifact is refused."""


@dataclass(frozen=True)
class LoadedModel:
    """The audited model, as checks see it."""

    path: Path
    display_path: str
    """As reports name it (relative to the manifest's folder)."""
    format: ModelFormat
    sha256: str
    size: int
    features: tuple[str, ...]
    """Its input features, in order: `model.features`, else those the model names."""
    features_declared: bool
    """Whether `features` come from the manifest rather than from the model."""
    predictor: Predictor
    trusted_types: tuple[str, ...] = ()
    """Types beyond skops' defaults that the manifest trusts (skops files only)."""
    pickle_scan: PickleScan | None = None
    """Set when a pickle was loaded on the manifest's opt-in."""


@dataclass(frozen=True)
class _Refusals:
    """Errors about the artifact, at a key of the manifest's `model` block."""

    manifest: LoadedManifest
    shown: str

    def error(self, reason: str, key: str = "artifact", hint: str = "") -> InputError:
        return self.manifest.document.error(
            f"model artifact '{self.shown}': {reason}", ("model", key), hint, InputFileError
        )


def load_model(manifest: LoadedManifest) -> LoadedModel:
    """The model `model.artifact` names; `InputError` at that key when none or refused."""
    spec = manifest.manifest.model
    if spec.artifact is None:
        raise manifest.document.error(
            "the manifest names no model artifact",
            ("model",),
            hint="add 'artifact:' to 'model'",
            kind=InputFileError,
        )
    refusals = _Refusals(manifest, manifest.display_path(spec.artifact))
    content = _read(spec.artifact, refusals)
    digest = hashlib.sha256(content).hexdigest()
    if spec.sha256 is not None and digest != spec.sha256:
        raise refusals.error(
            f"its sha256 is {digest}, not the pinned {spec.sha256}",
            "sha256",
            "the file is not the one reviewed: restore it, or review it and pin its new sha256",
        )
    try:
        found = artifact_format(spec.artifact, content)
        predictor, scan = _load(found, content, spec)
    except UnknownFormat as error:
        raise refusals.error(
            f"unknown model format: {error}", hint="save the model with skops or export it to ONNX"
        ) from None
    except InvalidModel as error:
        raise refusals.error(str(error), error.key, error.hint) from None
    except ModuleNotFoundError as missing:
        raise refusals.error(
            f"loading it needs the package '{missing.name}', which is not installed",
            hint="install the model extra: pip install '.[model]' in the project's folder",
        ) from None
    features, declared = _features(spec, predictor, refusals)
    return LoadedModel(
        path=spec.artifact,
        display_path=refusals.shown,
        format=found,
        sha256=digest,
        size=len(content),
        features=features,
        features_declared=declared,
        predictor=predictor,
        trusted_types=spec.trusted_types if found is ModelFormat.SKOPS else (),
        pickle_scan=scan,
    )


def _load(
    found: ModelFormat, content: bytes, spec: ModelSpec
) -> tuple[Predictor, PickleScan | None]:
    # Each format's runtime (scikit-learn, onnxruntime) is imported only to load its model.
    match found:
        case ModelFormat.SKOPS:
            from governance.model.skops_model import load_skops

            return load_skops(content, spec.trusted_types), None
        case ModelFormat.ONNX:
            from governance.model.onnx_model import load_onnx

            return load_onnx(content, spec.outputs), None
        case ModelFormat.PICKLE:
            if not spec.allow_pickle:
                raise InvalidModel(
                    "it is a pickle (or joblib) file, and loading one runs any code it holds: "
                    "a manifest from a pull request could run anything on this machine",
                    hint="save the model with skops (skops.io.dump) or export it to ONNX; to "
                    "load this exact file anyway, pin 'model.sha256' and set 'allow_pickle: true'",
                )
            from governance.model.pickle_model import load_pickle

            return load_pickle(content)


def _features(
    spec: ModelSpec, predictor: Predictor, refusals: _Refusals
) -> tuple[tuple[str, ...], bool]:
    named = predictor.feature_names
    if spec.features is None:
        if named is None:
            raise refusals.error(
                "the model does not name its input features",
                "features",
                "list them, in the order the model takes them, in 'model.features'",
            )
        return named, False
    if named is not None and named != spec.features:
        raise refusals.error(
            f"'model.features' lists {', '.join(spec.features)} but the model takes "
            f"{', '.join(named)}",
            "features",
        )
    return spec.features, True


def _read(path: Path, refusals: _Refusals) -> bytes:
    with open_regular_file(path) as stream:
        content = stream.read(_MAX_BYTES + 1)
    if len(content) > _MAX_BYTES:
        raise refusals.error(f"it is larger than {_MAX_BYTES // 1024**3} GiB")
    return content
