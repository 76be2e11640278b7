#!/usr/bin/env bash
# update-matrix.sh — runs tests/clients/run-clients.sh (CLIENTS and CLOUD_STEPS are passed through, so a
# subset can be run) with DH_RESULTS collecting every client's RESULT lines, then rewrites the client
# matrix between <!-- matrix:begin --> and <!-- matrix:end --> in README.md from that run
# (tests/clients/matrix.py --update-readme). The README is updated even when a client failed (the
# matrix shows the ✗); exit status is run-clients.sh's.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
results="$(mktemp "${TMPDIR:-/tmp}/driverhost-results.XXXXXX")"
trap 'rm -f "$results"' EXIT
rc=0
DH_RESULTS="$results" bash "$here/run-clients.sh" </dev/null || rc=$?
echo
python3 "$here/matrix.py" "$results" --update-readme "$root/README.md"
exit $rc
