"""The kinds of text an audit result holds, each made safe for every output when the value is
built: a result cannot hold raw personal data in an identifier, nor a character that forges or
hides text, so no renderer (present or future) has to remember to clean anything.

- `Identifier`: a name taken from the inputs (column, group label, heading, dataset, file,
  waiver scope): personal data found in it is masked, and it is kept on one line.
- `QuotingText`: a sentence the tool wrote that may quote identifiers (a finding, a reason, a
  note): masked the same way, line breaks kept.
- `Prose`: text a policy or manifest author wrote (titles, descriptions, remediation, waiver
  reasons): control and bidirectional characters escaped, line breaks kept.
- `FileName`: a path relative to the manifest, as committed: escaped and on one line, never
  masked, since reports and code-scanning views use it to find the file (masking the digits of
  `applicants-20261126.csv` would break the link).
- `Name`: a name a policy author chose (a rule's id), as read back from an audit.json that may
  have been edited: escaped and on one line, never masked (rules are looked up by it).
- `Address`: a URL or host path the tool read (a git remote, credentials already removed):
  escaped and on one line like `FileName`, for the same reason never masked.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from governance.personal_data.identifiers import mask_identifier, mask_in_text
from governance.text_escaping import escape_controls, escape_controls_in_prose

Identifier = Annotated[str, AfterValidator(mask_identifier)]
QuotingText = Annotated[str, AfterValidator(mask_in_text)]
Prose = Annotated[str, AfterValidator(escape_controls_in_prose)]
FileName = Annotated[str, AfterValidator(escape_controls)]
Name = Annotated[str, AfterValidator(escape_controls)]
Address = Annotated[str, AfterValidator(escape_controls)]
