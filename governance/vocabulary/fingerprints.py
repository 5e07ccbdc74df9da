"""Finding fingerprints: one stable name per finding, the same across runs and machines, by
which a later audit recognises it (`governance diff`, `audit --baseline`, SARIF
`partialFingerprints`).

What goes into the hash, and why. A finding is named by its rule id, its scope (dataset,
column, group, document) and its subject (the entity type, section, field or metric within
that scope) — never by its message, which holds figures that move between runs, nor its line,
which moves when a document is edited. Scope and subject are identifiers taken from the inputs,
and identifiers may hold personal data (a column named after an e-mail address, an age band
holding an SSN). A bare sha256 of such a raw identifier would publish it in a reversible form:
the value space is small enough to guess (every SSN, every address at a known domain) and
check against the fingerprint. So the fingerprint is computed only from the fields *as the
report already shows them* — masked when the result was built (`Identifier`) — and so reveals
nothing a reader of the report does not already see. No raw part enters through a keyed
construction either: a key every machine shares is public, and a key per machine would break
"the same on every machine".

The cost is that two findings of one rule whose identifiers differ only in their masked parts
(two columns named after different e-mail addresses, both shown `j***@e***.com`) have the same
fields. Such findings get a disambiguator: their ordinal among the findings of the rule with
those fields, in the order the check reports them, which is deterministic (columns in dataset
order, groups in reading order). The ordinal is hashed with the fields, so every fingerprint
has the same form; the first of any set is the one it would be alone. Only the rare collisions
can shift: if the first of two such columns disappears, the second takes its fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from governance.vocabulary.findings import Finding

FINGERPRINT_VERSION = "governanceFinding/v1"
"""Names the construction (SARIF's `name/vN` form for a `partialFingerprints` key); it is hashed
in, so a change of construction can never be mistaken for a changed finding."""


def finding_fields(rule_id: str, finding: Finding) -> tuple[str | None, ...]:
    """What names a finding, as the report shows it: rule, scope (masked) and subject."""
    scope = finding.scope
    return (rule_id, scope.dataset, scope.column, scope.group, scope.document, finding.subject)


def fingerprinted(rule_id: str, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """`findings` of rule `rule_id`, each with its fingerprint (one already set is kept: a
    result read back from audit.json keeps what it recorded)."""
    seen: Counter[tuple[str | None, ...]] = Counter()
    out = []
    for finding in findings:
        fields = finding_fields(rule_id, finding)
        seen[fields] += 1
        if finding.fingerprint is None:
            finding = finding.model_copy(update={"fingerprint": _digest(fields, seen[fields])})
        out.append(finding)
    return tuple(out)


def _digest(fields: tuple[str | None, ...], ordinal: int) -> str:
    canonical = json.dumps([FINGERPRINT_VERSION, *fields, ordinal], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
