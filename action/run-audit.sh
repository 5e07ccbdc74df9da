#!/usr/bin/env bash
# The audit step of the GitHub Action (action.yml): every input arrives in the environment,
# never interpolated into this script. It records the audit's exit code as a step output
# instead of failing, so that the SARIF upload and the artifact still happen; the action's
# last step applies the gate.
#
# Inputs: MANIFEST FAIL_ON FORMATS OUT, optional SIGNING_KEY (PEM text, from a secret) with
# SIGNING_CERT (a file), GOVERNANCE_KEY_PASSPHRASE for an encrypted key.
# GitHub's files: GITHUB_OUTPUT, GITHUB_STEP_SUMMARY; RUNNER_TEMP for the key's temporary copy.
set -euo pipefail

manifest=${MANIFEST:-audit.yaml}
out=${OUT:-reports/governance}
formats=${FORMATS:-console,json,md,pdf,sarif,junit}
# The annotations, the code-scanning upload and the step summary read these two.
case ",$formats," in *,sarif,*) ;; *) formats="$formats,sarif" ;; esac
case ",$formats," in *,md,*) ;; *) formats="$formats,md" ;; esac

signing=()
key_dir=""
remove_key() { if [ -n "$key_dir" ]; then rm -rf -- "$key_dir"; fi; }
trap remove_key EXIT
if [ -n "${SIGNING_KEY:-}" ]; then
  if [ -z "${SIGNING_CERT:-}" ]; then
    echo "::error title=governance::signing-key needs signing-cert (the certificate file)"
    exit 2
  fi
  # A private folder and file (umask 077), removed on exit; the key is never echoed.
  key_dir=$(umask 077 && mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/governance-key.XXXXXX")
  (umask 077 && printf '%s\n' "$SIGNING_KEY" >"$key_dir/signing-key.pem")
  signing=(--sign --key "$key_dir/signing-key.pem" --cert "$SIGNING_CERT")
fi

# The console summary quotes column names and group labels from the data under audit, and a
# wrapped line could start with `::`: the runner ignores workflow commands until the random
# token is echoed again.
resume=$(python -c 'import secrets; print(secrets.token_hex(16))')
echo "::stop-commands::$resume"
# The report folder as it is before the audit: publishing swaps a new folder in, so a folder
# of another identity afterwards is the one this audit wrote.
identity() { ls -di -- "$out" 2>/dev/null | awk '{print $1}' || true; }
before=$(identity)
status=0
governance audit "$manifest" --out "$out" --fail-on "${FAIL_ON:-high}" --format "$formats" \
  ${signing[@]+"${signing[@]}"} || status=$?
echo "::$resume::"
remove_key
key_dir=""

echo "exit-code=$status" >>"${GITHUB_OUTPUT:-/dev/null}"
# The report folder is read (annotations, the step summary) and kept as an artifact only when
# this audit wrote it, whatever its exit (3 may follow a published set, one report short): a
# folder left as it was is the checkout's (a refusal, a crash or a kill writes nothing), which
# could plant a report of its own. Nor when a link is on its way below the current folder or in
# it, as the audit itself refuses (the link's target would be printed or uploaded).
linked() {
  local path=$1 here
  here=$(pwd -P)
  while [ "$path" != / ] && [ "${path%/}" != "$path" ]; do path=${path%/}; done
  case $path in
    "$here"/*) path=${path#"$here"/} ;;
    /*) if [ -L "$path" ]; then return 0; fi; path=. ;;  # outside the checkout: itself only
  esac
  while [ "$path" != . ] && [ "$path" != / ]; do
    if [ -L "$path" ]; then return 0; fi
    path=$(dirname -- "$path")
  done
  [ -n "$(find "$1/" -mindepth 1 -maxdepth 1 -type l -print -quit)" ]
}
after=$(identity)
if [ -z "$after" ] || [ "$after" = "$before" ] || [ ! -d "$out" ] || linked "$out"; then
  exit 0
fi
echo "report-folder=$out" >>"${GITHUB_OUTPUT:-/dev/null}"
base=$(dirname -- "$manifest")
if [ -f "$out/report.sarif" ]; then
  python -m governance.ci.annotations "$out/report.sarif" --base "$base"
  scan="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/governance-code-scanning.sarif"
  python -m governance.ci.code_scanning "$out/report.sarif" --base "$base" --out "$scan"
  echo "code-scanning-sarif=$scan" >>"${GITHUB_OUTPUT:-/dev/null}"
fi
if [ -f "$out/summary.md" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat -- "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
