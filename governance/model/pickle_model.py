"""Pickle and joblib files, only on the manifest's explicit opt-in (`model.allow_pickle`, with
the artifact's sha256 pinned and checked by the caller): unpickling runs whatever code the file
names, so the file is first scanned statically with fickling, which reads the opcodes without
executing them, and refused when the scan finds it unsafe."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from governance.model.predictor import InvalidModel
from governance.model.skops_model import SklearnPredictor


@dataclass(frozen=True)
class PickleScan:
    """What the static scan said about an opted-in pickle (recorded in the report)."""

    scanner: str
    severity: str


def scan_pickle(content: bytes) -> PickleScan:
    """fickling's verdict on `content`; `InvalidModel` when it is likely unsafe."""
    import fickling
    from fickling.analysis import Severity, check_safety
    from fickling.fickle import Pickled

    try:
        pickled = Pickled.load(content, fail_on_decode_error=False)
        severity = check_safety(pickled).severity
    except Exception as error:
        raise InvalidModel(f"the pickle scan could not read it ({type(error).__name__})") from None
    scan = PickleScan(scanner=f"fickling {fickling.__version__}", severity=severity.name)
    if severity >= Severity.LIKELY_UNSAFE or pickled.has_invalid_opcode:
        raise InvalidModel(
            f"the pickle scan ({scan.scanner}) rates it {severity.name}: it would run code "
            "when loaded",
            key="allow_pickle",
        )
    return scan


def load_pickle(content: bytes) -> tuple[SklearnPredictor, PickleScan]:
    """The model in a pinned, opted-in pickle, loaded only once the scan passes."""
    scan = scan_pickle(content)
    import joblib

    try:
        model = joblib.load(BytesIO(content))
    except Exception as error:
        raise InvalidModel(f"it is not a readable pickle ({type(error).__name__})") from None
    return SklearnPredictor(model), scan
