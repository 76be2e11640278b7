#!/usr/bin/env bash
# rclone-owncloud.sh URL USER PASS — rclone's webdav backend with `vendor = owncloud` (checksums read from
# oc:checksums, mtimes sent as X-OC-Mtime) against a WebDAV collection URL.
#
# Steps (PASS/FAIL each; on FAIL the tail of the step's log, rclone -v --dump headers, follows):
#   copy a tree up (file mtimes set to 2021-03-04 05:06:07 UTC), no "corrupted on transfer", then at once
#     lsjson -R: the sizes re-read right after the PUTs are the local sizes
#   lsjson -R --hash: the hash the mount advertises equals sha1sum/md5sum of the local file (none: no hash)
#   rclone checksum SHA1|MD5 against a sum file made by sha1sum/md5sum: 0 differences
#   check: 0 differences
#   mtime: ModTime is the source's (RCO_MTIME=keep) or the upload time, and then the PUT was not answered
#     "X-OC-Mtime: accepted" (RCO_MTIME=server); a second copy sends no PUT (keep: by modtime; server: --checksum)
#   sync with a changed size, a deletion and a new file (hash mounts: sync --checksum, plus a same-size,
#     same-mtime change only a hash can see); check --download: 0 differences
#   copyto on the server (COPY)
#   423: the target locked by another client (curl LOCK, Timeout: Second-5); rclone's retry writes it after expiry
#   5xx: the cloud fake fails the upload call (RCO_FAKE_URL + RCO_FAULT_OP); rclone's retry completes the copy
#   purge
# Env: RCO_HASH sha1|md5|none (what the mount's driver reports; default none = Local); RCO_MTIME keep|server
# (default keep); RCO_SERVER_COPY=0 skips the COPY step; RCO_SUM_VENDOR, the vendor for the --checksum steps
# (default owncloud; rclone 1.60's owncloud vendor compares MD5 first, so SHA1-only mounts use nextcloud,
# which reads SHA1 only); RCO_FAKE_URL and RCO_FAULT_OP, the cloud fake and its upload operation name (no 5xx
# step without them); RCO_ONLY_FAULT=1 runs only the 5xx step (and a purge): the caller runs it while no
# other client uses that provider.
# RESULT lines: client rclone-owncloud, ops write list checksum mtime sync copy retry delete.
# Exit 1 if any step failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

if [[ $# -lt 1 ]]; then echo "usage: $0 URL [USER PASS]" >&2; exit 2; fi
url="$1"; user="${2:-}"; pass="${3:-}"
[[ "$url" == */ ]] || url="$url/"
kind="${RCO_HASH:-none}"; mtime_mode="${RCO_MTIME:-keep}"; sum_vendor="${RCO_SUM_VENDOR:-owncloud}"
fake_url="${RCO_FAKE_URL:-}"; fault_op="${RCO_FAULT_OP:-}"
step_timeout="${RCLONE_STEP_TIMEOUT:-180}"
readme="#rclone-checksums-mtimes-and-retries"

dh_ensure_packages rclone:rclone python3:python3 curl:curl
dh_workdir
check_py="$here/lsjson_check.py"
logs="$DH_WORK/logs"; mkdir -p "$logs"

conf="$DH_WORK/rclone.conf"
{
  for remote in dut:owncloud sum:"$sum_vendor"; do
    printf '[%s]\ntype = webdav\nurl = %s\nvendor = %s\n' "${remote%%:*}" "$url" "${remote#*:}"
    if [[ -n "$user" ]]; then printf 'user = %s\npass = %s\n' "$user" "$(rclone obscure "$pass")"; fi
  done
} >"$conf"
rcl() {
  timeout "$step_timeout" rclone --config "$conf" --retries 1 --low-level-retries 1 --stats 0 \
    --dump headers -v "$@"
}
base="rclone-oc-$$-$RANDOM"
REM="dut:$base"
curl_auth=(); [[ -z "$user" ]] || curl_auth=(-u "$user:$pass")

# --- local tree (every file's mtime 2021-03-04 05:06:07 UTC) -------------------------------------------
src="$DH_WORK/src"; mkdir -p "$src/中文"
printf 'alpha\n' >"$src/a.txt"
printf 'to be deleted\n' >"$src/b.txt"
head -c 65536 /dev/urandom >"$src/c.bin"
printf '内容 content\n' >"$src/中文/名 字.txt"
: >"$src/empty.txt"
old_mtime="$(date -u -d '2021-03-04 05:06:07' +%s)"
find "$src" -type f -exec touch -d "@$old_mtime" {} +

# --- step runner ---------------------------------------------------------------------------------------
npass=0; nfail=0; stepno=0; log=""
declare -A op_status=() op_note=()
record() {  # record OP pass|fail|n/a NOTE — the first failure (or the last n/a, or the passes) wins
  local op="$1" st="$2" note="$3"
  case "${op_status[$op]:-}:$st" in
    fail:*) return 0 ;;
    *:fail) op_status[$op]=fail; op_note[$op]="failed: $note" ;;
    n/a:pass) op_note[$op]="${op_note[$op]}; passed: $note" ;;
    *:n/a) op_status[$op]=n/a; op_note[$op]="$note${op_note[$op]:+; passed: ${op_note[$op]}}" ;;
    *) op_status[$op]=pass; op_note[$op]="${op_note[$op]:+${op_note[$op]}, }$note" ;;
  esac
}
step() {  # step OP NAME CMD... — runs CMD with its output in a log of its own
  local op="$1" name="$2"; shift 2
  stepno=$((stepno + 1)); log="$logs/$(printf '%02d' "$stepno").log"
  if "$@" >"$log" 2>&1; then
    npass=$((npass + 1)); echo "PASS  rclone-owncloud: $name"; record "$op" pass "$name"
  else
    nfail=$((nfail + 1)); echo "FAIL  rclone-owncloud: $name"; record "$op" fail "$name"
    echo "----- log of '$name' (last 60 lines) -----"
    tail -n 60 "$log" | grep -viE '^[[:space:]]*authorization:' | cut -c1-400
    echo "----- end of log -----"
  fi
}
puts() { grep -cE ' : PUT /' "$1" || true; }          # PUT requests in an rclone --dump headers log
no_corruption() { ! grep -qiE 'corrupted on transfer|ERROR :' "$log"; }

do_copy() {  # then at once lsjson -R: every size re-read right after its PUT is the local size
  rcl copy "$src" "$REM" && no_corruption || return 1
  rcl lsjson -R "$REM" >"$DH_WORK/tree.json" || return 1
  python3 "$check_py" tree "$src" "$DH_WORK/tree.json" 0 4102444800
}
do_hashes() {
  rcl lsjson -R --hash --files-only "$REM" >"$DH_WORK/hash.json" || return 1
  python3 "$check_py" hashes "$src" "$DH_WORK/hash.json" "$kind"
}
do_checksum_file() {  # rclone checksum SHA1|MD5 SUMFILE remote: 0 differences
  local tool; tool="${kind}sum"
  (cd "$src" && find . -type f -printf '%P\0' | xargs -0 "$tool") >"$DH_WORK/sums.txt"
  rcl checksum "${kind^^}" "$DH_WORK/sums.txt" "$REM" || return 1
  grep -q ' 0 differences found' "$log" && grep -q "$(wc -l <"$DH_WORK/sums.txt") matching files" "$log"
}
do_check() {
  rcl check "$src" "$REM" || return 1
  grep -q ' 0 differences found' "$log"
}
do_mtime_kept() {
  rcl lsjson "$REM/a.txt" >"$DH_WORK/a.json" || return 1
  python3 - "$DH_WORK/a.json" <<'PY' >"$DH_WORK/a-list.json"
import json, sys; print(json.dumps([dict(e, Path="a.txt") for e in json.load(open(sys.argv[1]))]))
PY
  python3 "$check_py" mtime "$DH_WORK/a-list.json" a.txt "$old_mtime" || return 1
  local before; before="$(puts "$log")"
  rcl copy "$src" "$REM" || return 1
  echo "second copy: $(( $(puts "$log") - before )) PUT(s)"; [[ "$(puts "$log")" == "$before" ]]
}
do_mtime_server() {
  # The first copy's PUTs carried X-OC-Mtime; the mount keeps its own time, so no answer may claim it.
  if grep -qiE '^X-Oc-Mtime: *accepted' "$logs/01.log"; then echo "a PUT was answered X-OC-Mtime: accepted"; return 1; fi
  grep -qiE '^X-Oc-Mtime: *[0-9]' "$logs/01.log" || { echo "rclone sent no X-OC-Mtime"; return 1; }
  rcl lsjson "$REM/a.txt" >"$DH_WORK/a.json" || return 1
  python3 - "$DH_WORK/a.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))[0]
print(f"a.txt ModTime {e['ModTime']} (the source's is 2021-03-04T05:06:07Z; this mount keeps the upload time)")
sys.exit(0 if not e["ModTime"].startswith("2021-03-04T05:06:07") else 1)
PY
  local before; before="$(puts "$log")"
  rcl copy --checksum "$src" "sum:$base" || return 1
  echo "second copy --checksum: $(( $(puts "$log") - before )) PUT(s)"; [[ "$(puts "$log")" == "$before" ]]
}
do_sync() {  # a changed size, a deletion, a new file; on hash mounts also a same-size, same-mtime change
  local ref="$DH_WORK/ref" remote="$REM" how=sync
  printf 'alpha changed, longer\n' >"$src/a.txt"; rm "$src/b.txt"; printf 'new\n' >"$src/new.txt"
  if [[ "$kind" != none ]]; then
    touch -r "$src/c.bin" "$ref"; head -c 65536 /dev/urandom >"$src/c.bin"; touch -r "$ref" "$src/c.bin"
    remote="sum:$base"; how="sync --checksum"
  fi
  rcl $how "$src" "$remote" || return 1
  echo "$how: $(puts "$log") PUT(s)"
  rcl cat "$REM/c.bin" | cmp - "$src/c.bin" || return 1
  rcl lsjson -R "$REM" >"$DH_WORK/l.json" || return 1
  python3 "$check_py" absent "$DH_WORK/l.json" b.txt && python3 "$check_py" has "$DH_WORK/l.json" new.txt 4 || return 1
  rcl check "$src" "$REM" --download && grep -q ' 0 differences found' "$log" || return 1
}
do_copyto_server() {
  rcl copyto "$REM/中文/名 字.txt" "$REM/copies/名 字 copy.txt" || return 1
  grep -qE ' : COPY /' "$log" || { echo "no COPY request was sent"; return 1; }
  rcl cat "$REM/copies/名 字 copy.txt" | cmp - "$src/中文/名 字.txt"
}
do_locked() {  # another client holds a 5 s lock on the target; rclone retries until it has expired
  local body code target="${url}$base/a.txt" t0=$SECONDS
  body='<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>another client</D:owner></D:lockinfo>'
  code="$(curl -s -o /dev/null -w '%{http_code}' "${curl_auth[@]}" -X LOCK -H 'Timeout: Second-5' -H 'Content-Type: application/xml' --data "$body" "$target")"
  echo "LOCK by another client: $code"; [[ "$code" == 200 ]] || return 1
  printf 'written after the lock expired\n' >"$DH_WORK/locked.txt"
  timeout "$step_timeout" rclone --config "$conf" --retries 8 --retries-sleep 1s --low-level-retries 1 --stats 0 \
    --dump headers -v copyto "$DH_WORK/locked.txt" "$REM/a.txt" || return 1
  echo "copyto done after $((SECONDS - t0)) s"
  grep -qE ' : HTTP/1.1 423' "$log" || { echo "rclone never saw 423"; return 1; }
  rcl cat "$REM/a.txt" | cmp - "$DH_WORK/locked.txt"
}
do_fault() {  # the cloud fake fails the upload call; the host answers 5xx, rclone's retry completes the copy
  local f="$DH_WORK/fault.bin" code
  head -c 300000 /dev/urandom >"$f"
  code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$fake_url/_fake/faults/fail-next?operation=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$fault_op")&count=1&status=503")"
  echo "fault injected on $fault_op: $code"; [[ "$code" == 200 || "$code" == 204 ]] || return 1
  timeout "$step_timeout" rclone --config "$conf" --retries 4 --retries-sleep 1s --low-level-retries 1 --stats 0 \
    --dump headers -v copyto "$f" "$REM/fault.bin" || return 1
  grep -A6 -E ' : HTTP/1.1 5[0-9][0-9]' "$log" | grep -E 'HTTP/1.1|Retry-After' | sed 's/^.* : //' | sort | uniq -c
  grep -qE ' : HTTP/1.1 5[0-9][0-9]' "$log" || { echo "rclone never saw a 5xx (the fault did not reach the client)"; return 1; }
  rcl cat "$REM/fault.bin" | cmp - "$f"
}
do_purge() {
  rcl purge "$REM" || return 1
  rcl lsjson dut: >"$DH_WORK/root.json" && python3 "$check_py" absent "$DH_WORK/root.json" "$base"
}

echo "rclone $(rclone version 2>/dev/null | head -n 1) vendor owncloud against $url (hash: $kind, mtime: $mtime_mode, --checksum vendor: $sum_vendor)"
t_start=$SECONDS
if [[ "${RCO_ONLY_FAULT:-}" == 1 ]]; then
  # Alone, so that no other client's upload to the same provider meets the injected fault.
  step write "mkdir" rcl mkdir "$REM"
  step retry "5xx: provider fails $fault_op once, rclone's retry completes the copy" do_fault
  step delete "purge" do_purge
  for op in write retry delete; do
    [[ -z "${op_status[$op]:-}" ]] || dh_result rclone-owncloud "$url" "$op" "${op_status[$op]}" "${op_note[$op]}"
  done
  echo "rclone-owncloud: $npass passed, $nfail failed ($((SECONDS - t_start)) s)"
  [[ $nfail -eq 0 ]]; exit
fi
step write "copy tree up (owncloud, X-OC-Mtime), no corrupted transfer; at once lsjson -R: sizes = local sizes" do_copy
if [[ "$kind" != none ]]; then step checksum "lsjson -R --hash: ${kind} values = local ${kind}sum" do_hashes
else step list "lsjson -R --hash: no hash listed (the mount reports none)" do_hashes; fi
if [[ "$kind" != none ]]; then
  step checksum "rclone checksum ${kind^^} (sum file from ${kind}sum): 0 differences" do_checksum_file
else
  record checksum n/a "the mount reports no hash, so rclone compares sizes only: [why]($readme)"
fi
step list "check: 0 differences" do_check
if [[ "$mtime_mode" == keep ]]; then
  step mtime "X-OC-Mtime kept: lsjson ModTime = source mtime; a second copy sends no PUT" do_mtime_kept
else
  step mtime "X-OC-Mtime not kept and not acknowledged; a second copy --checksum sends no PUT" do_mtime_server
  record mtime n/a "the provider keeps its own upload time, not the client's: [why]($readme)"
fi
if [[ "$kind" == none ]]; then
  step sync "sync: changed size, deletion, new file; check --download 0 differences" do_sync
else
  step sync "sync --checksum ($sum_vendor): changed size, same-size same-mtime change, deletion, new file; check --download 0 differences" do_sync
fi
[[ "${RCO_SERVER_COPY:-1}" == 0 ]] || step copy "copyto on the server (COPY)" do_copyto_server
step retry "423: target locked by another client (5 s), rclone retries until it expires" do_locked
if [[ -n "$fake_url" && -n "$fault_op" ]]; then
  step retry "5xx: provider fails $fault_op once, rclone's retry completes the copy" do_fault
fi
step delete "purge" do_purge

for op in list write checksum mtime sync copy retry delete; do
  [[ -z "${op_status[$op]:-}" ]] || dh_result rclone-owncloud "$url" "$op" "${op_status[$op]}" "${op_note[$op]}"
done
echo "rclone-owncloud: $npass passed, $nfail failed ($((SECONDS - t_start)) s)"
[[ $nfail -eq 0 ]]
