"""Pickle and joblib files, only on the manifest's explicit opt-in (`model.allow_pickle`, with
the artifact's sha256 pinned and checked by the caller): unpickling runs whatever code the file
names, so the file is first scanned statically with fickling, which reads the opcodes without
executing them. fickling rates every scikit-learn pickle LIKELY_UNSAFE (it imports modules
outside the standard library): that rating is accepted on the opt-in and recorded; a pickle
that calls what runs commands or code (os.system, subprocess, exec, ...: rated likely overtly
malicious or worse), or that the scan cannot read to the end (joblib's raw array buffers), is
refused."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

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
    if pickled.has_invalid_opcode:
        raise InvalidModel(
            f"the pickle scan ({scan.scanner}) cannot read it to the end (a joblib file's raw "
            "array buffers, or a damaged file), so it cannot be shown safe",
            key="allow_pickle",
            hint="save the model with skops, or at least with pickle.dump",
        )
    if severity >= Severity.LIKELY_OVERTLY_MALICIOUS:
        raise InvalidModel(
            f"the pickle scan ({scan.scanner}) rates it {severity.name}: it calls what runs "
            "commands or code when loaded",
            key="allow_pickle",
        )
    return scan


def load_pickle(content: bytes) -> tuple[SklearnPredictor, PickleScan]:
    """The model in a pinned, opted-in pickle, loaded only once the scan passes."""
    scan = scan_pickle(content)
    try:
        model = pickle.loads(content)  # noqa: S301 - pinned, opted in and scanned above
    except Exception as error:
        raise InvalidModel(f"it is not a readable pickle ({type(error).__name__})") from None
    return SklearnPredictor(model), scan
