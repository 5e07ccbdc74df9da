#!/usr/bin/env bash
# The complete example audit: every report format, the PDF signed, then verified.
# Run from anywhere after `pip install .`; writes into reports/ of the repository.
# Exits 1, as the audit does: the example fails its gate on purpose (see the README).
set -uo pipefail
cd "$(dirname "$0")/../.."

keys=reports/example-keys
if [ ! -f "$keys/signing-key.pem" ]; then
  governance keys init --name "Example Auditor" --org "Acme (example)" \
    --email auditor@acme.example --out "$keys" || exit
fi

governance audit examples/hiring/audit.yaml \
  --format console,json,md,html,pdf,sarif,junit,oscal,openmetrics,cyclonedx --run-by "Example Auditor (Acme)" \
  --sign --key "$keys/signing-key.pem" --cert "$keys/signing-cert.pem"
status=$?
[ "$status" -le 1 ] || exit "$status"

echo
governance verify reports/hiring-screen-v3 --trust "$keys/signing-cert.pem" \
  --inputs examples/hiring/audit.yaml || exit
exit "$status"
