#!/usr/bin/env bash
# run-clients.sh — real WebDAV clients against our host.
#
# Builds src/DriverHost (Release), starts it on 127.0.0.1:<free port> with a Local mount /local on a
# temp data dir and one read/write user, waits for OPTIONS /dav/ = 200, then runs litmus.sh, rclone.sh,
# rclone-owncloud.sh and cadaver.sh against http://127.0.0.1:<port>/dav/local/, and stops the host. cloud.sh (rclone and
# ffprobe on cloud mounts over the cloud fakes) starts its own fake and host and ignores the arguments.
# ffprobe.sh, vlc.sh and chromium.sh run against /local too. relay.sh (the relay's authorization pages in headless
# Chromium, over the cloud fakes) also starts its own fake and host.
# Every client script prints RESULT lines (tests/clients/matrix.py renders them as the client matrix),
# collected in $DH_RESULTS; when the caller did not set it, run-clients uses $DH_WORK/results.txt and
# prints the matrix at the end.
# Last line: "N passed, N failed" (one per client script); exit 1 if any failed.
# Env: CLIENTS (default "litmus rclone rclone-owncloud cadaver ffprobe vlc chromium cloud relay"), DH_KEEP_WORK=1 keeps the
# temp dir (server log, data), DH_ARTIFACTS: where chromium.sh and relay.sh copy their screenshots.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

clients="${CLIENTS:-litmus rclone rclone-owncloud cadaver ffprobe vlc chromium cloud relay}"
nclients=$(wc -w <<<"$clients")
user="litmus"
pass="pw-$RANDOM-$RANDOM"
started=$SECONDS

give_up() { echo "run-clients: $1"; echo "0 passed, $nclients failed"; exit 1; }

dh_ensure_packages curl:curl python3:python3 litmus:litmus rclone:rclone cadaver:cadaver ffmpeg:ffmpeg || give_up "could not install the client packages"
dh_build || give_up "build of src/DriverHost failed"
dh_workdir
own_results=""
if [[ -z "${DH_RESULTS:-}" ]]; then DH_RESULTS="$DH_WORK/results.txt"; own_results=1; fi
export DH_RESULTS; touch "$DH_RESULTS"
dh_write_config "$DH_WORK/data" "$user" "$pass" || give_up "could not write the config (hash-password failed?)"
dh_start || give_up "could not start the host"
dh_wait_ready "$DH_BASE_URL/dav/" "$user" "$pass" || give_up "the host did not answer OPTIONS $DH_BASE_URL/dav/ with 200"

url="$DH_BASE_URL/dav/local/"
npass=0; nfail=0; results=()
for c in $clients; do
  echo
  echo "################ $c ($url) ################"
  t0=$SECONDS
  set +e
  bash "$here/$c.sh" "$url" "$user" "$pass" </dev/null
  rc=$?
  set -e
  if [[ $rc -eq 0 ]]; then
    npass=$((npass + 1)); results+=("PASS  $c ($((SECONDS - t0)) s)")
  else
    nfail=$((nfail + 1)); results+=("FAIL  $c ($((SECONDS - t0)) s, exit $rc)")
  fi
  if ! dh_alive "$DH_PID"; then
    echo "the host process is gone after $c"; dh_print_log 100
    break
  fi
done

if [[ $nfail -gt 0 ]]; then
  echo
  echo "----- server log: warnings and errors (last 60) -----"
  grep -nE '\b(WRN|ERR|FTL|CRT|warn|fail|error|Error|Exception|exception)\b' "$DH_LOG" | tail -n 60 | cut -c1-400 || true
  echo "----- end -----"
fi
dh_stop

if [[ -n "$own_results" && -s "$DH_RESULTS" ]]; then
  echo
  echo "---- client matrix ($DH_RESULTS) ----"
  python3 "$here/matrix.py" "$DH_RESULTS" || true
fi

echo
echo "---- real clients against driverhost ($((SECONDS - started)) s) ----"
printf '%s\n' "${results[@]}"
ran=$((npass + nfail))
if [[ $ran -lt $nclients ]]; then
  echo "$((nclients - ran)) client(s) not run (the host died)"; nfail=$((nfail + nclients - ran))
fi
echo "$npass passed, $nfail failed"
[[ $nfail -eq 0 ]]
