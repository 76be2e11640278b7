#!/usr/bin/env bash
# run-all.sh — the project's test command (README; .ci/run calls exactly this).
#
#   1. installs the client packages that are missing (litmus rclone cadaver ffmpeg, curl, python3; apt-get)
#   2. dotnet test OpenList.DriverHost.sln -c Release          (the xUnit projects)
#   3. tests/clients/run-clients.sh                              (litmus, rclone, rclone-owncloud, cadaver, ffprobe, vlc,
#                                                                 chromium against the host; cloud mounts; relay pages)
#   4. tests/docker/dockerfile-check.sh                          (Dockerfile lint, its publish command run)
#   5. prints the client matrix (tests/clients/matrix.py) and writes it to <work dir>/client-matrix.md
#      (DH_KEEP_WORK=1 keeps the work dir; tests/clients/update-matrix.sh puts a matrix in README.md)
#
# Exits non-zero if 2, 3 or 4 fails. Works from any directory, with no stdin and CI=true.
# The last line is "N passed, N failed": the xUnit test counts plus one per client script and docker step.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=SCRIPTDIR/clients/lib.sh
source "$root/tests/clients/lib.sh"
exec </dev/null

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --version >/dev/null 2>&1; then
  echo "run-all: the .NET SDK is not installed (dotnet not found on PATH)."
  echo "run-all: install the .NET 10 SDK (global.json asks for $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json)) and re-run."
  exit 1
fi
echo "run-all: dotnet $(dotnet --version)"

dh_ensure_packages curl:curl python3:python3 litmus:litmus rclone:rclone cadaver:cadaver ffmpeg:ffmpeg

work="$(mktemp -d "${TMPDIR:-/tmp}/driverhost-runall.XXXXXX")"
if [[ "${DH_KEEP_WORK:-}" == 1 ]]; then trap 'echo "run-all: kept $work"' EXIT; else trap 'rm -rf "$work"' EXIT; fi
# The client scripts append their RESULT lines here (the client matrix); chromium.sh copies its
# screenshots to DH_ARTIFACTS.
export DH_RESULTS="$work/client-results.txt" DH_ARTIFACTS="${DH_ARTIFACTS:-$work/artifacts}"
: >"$DH_RESULTS"

echo
echo "================ dotnet test (Release) ================"
unit_rc=0
dotnet test OpenList.DriverHost.sln -c Release 2>&1 | tee "$work/dotnet-test.log" || unit_rc=$?

# VSTest prints one line per test assembly:
#   "Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42, Duration: ..."
read -r unit_passed unit_failed < <(
  sed -nE 's/.*Failed: *([0-9]+), *Passed: *([0-9]+), *Skipped: *([0-9]+), *Total: *([0-9]+).*/\2 \1/p' \
    "$work/dotnet-test.log" | awk '{p += $1; f += $2} END {print p + 0, f + 0}') || true
if [[ $unit_rc -ne 0 && $unit_failed -eq 0 ]]; then unit_failed=1; fi   # build error etc.: count as one failure

echo
echo "================ real clients ================"
clients_rc=0
bash "$root/tests/clients/run-clients.sh" 2>&1 | tee "$work/clients.log" || clients_rc=$?
read -r cl_passed cl_failed < <(
  tail -n 1 "$work/clients.log" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p') || true
cl_passed="${cl_passed:-0}"; cl_failed="${cl_failed:-0}"
if [[ $clients_rc -ne 0 && $cl_failed -eq 0 ]]; then cl_failed=1; fi

echo
echo "================ docker image ================"
docker_rc=0
bash "$root/tests/docker/dockerfile-check.sh" 2>&1 | tee "$work/docker.log" || docker_rc=$?
read -r dk_passed dk_failed < <(
  tail -n 1 "$work/docker.log" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p') || true
dk_passed="${dk_passed:-0}"; dk_failed="${dk_failed:-0}"
if [[ $docker_rc -ne 0 && $dk_failed -eq 0 ]]; then dk_failed=1; fi

echo
echo "================ client matrix ($work/client-matrix.md) ================"
python3 "$root/tests/clients/matrix.py" "$DH_RESULTS" --out "$work/client-matrix.md" || echo "(no client results)"

echo
echo "================ summary ================"
echo "dotnet test : $([[ $unit_rc -eq 0 ]] && echo PASS || echo "FAIL (exit $unit_rc)")  $unit_passed passed, $unit_failed failed"
echo "real clients: $([[ $clients_rc -eq 0 ]] && echo PASS || echo "FAIL (exit $clients_rc)")  $cl_passed passed, $cl_failed failed"
echo "docker image: $([[ $docker_rc -eq 0 ]] && echo PASS || echo "FAIL (exit $docker_rc)")  $dk_passed passed, $dk_failed failed"
echo "$((unit_passed + cl_passed + dk_passed)) passed, $((unit_failed + cl_failed + dk_failed)) failed"
[[ $unit_rc -eq 0 && $clients_rc -eq 0 && $docker_rc -eq 0 ]]
