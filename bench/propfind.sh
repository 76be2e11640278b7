#!/usr/bin/env bash
# bench/propfind.sh — PROPFIND throughput on a 10,000-file directory: our host vs rclone serve webdav
# vs nginx + dav-ext, all on 127.0.0.1 over the same directory. See bench/README.md.
#
# Env (defaults):
#   BENCH_FILES=10000        files in the directory
#   BENCH_DURATION=10s       wrk -d per measured run
#   BENCH_WARMUP=3s          wrk -d of the unmeasured warm-up run before each measured one
#   BENCH_THREADS=2          wrk -t
#   BENCH_CONNECTIONS=8      wrk -c
#   BENCH_TIMEOUT=30s        wrk --timeout (a Depth: 1 answer is several MB)
#   BENCH_DEPTHS="1 0"       PROPFIND Depth values to measure
#   BENCH_PEERS="host rclone nginx"
#   DH_KEEP_WORK=1           keep the temp dir (server logs, wrk outputs)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

files="${BENCH_FILES:-10000}"
depths="${BENCH_DEPTHS:-1 0}"

bench_ensure_tools
dh_workdir

# --- the directory -----------------------------------------------------------------------------------
data="$DH_WORK/data"; mkdir -p "$data"
python3 - "$data" "$files" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open(os.path.join(d, f"file-{i:05d}.txt"), "w") as f:
        f.write(f"small file {i}\n")
PY
chmod -R a+rX "$DH_WORK"
dh_log "created $files files in $data"

body='<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:displayname/><D:getcontentlength/><D:getlastmodified/><D:resourcetype/></D:prop></D:propfind>'

# --- checks ------------------------------------------------------------------------------------------
# precheck PEER DEPTH — 207, and the expected number of <response> elements.
precheck() {
  local peer="$1" depth="$2" out="$DH_WORK/precheck-$1-$2.xml" code n want_min want_max
  code="$(curl -s -o "$out" -w '%{http_code}' -m 60 -X PROPFIND -H "Depth: $depth" \
    -H 'Content-Type: application/xml; charset=utf-8' --data-binary "$body" "${url[$peer]}")" || code="curl-failed"
  n="$(python3 -c 'import re,sys;print(len(re.findall(rb"<(?:[A-Za-z][\w.-]*:)?response[\s>]", open(sys.argv[1],"rb").read())))' "$out" 2>/dev/null || echo 0)"
  if [[ "$depth" == 0 ]]; then want_min=1; want_max=1; else want_min=$files; want_max=$((files + 2)); fi
  if [[ "$code" != 207 || $n -lt $want_min || $n -gt $want_max ]]; then
    echo "precheck FAILED: $peer Depth $depth -> HTTP $code, $n responses (want $want_min..$want_max), $(stat -c %s "$out" 2>/dev/null || echo 0) bytes"
    head -c 600 "$out" 2>/dev/null; echo
    return 1
  fi
  echo "precheck ok: $peer Depth $depth -> 207, $n responses, $(stat -c %s "$out") bytes"
}

lua_for() {
  local f="$DH_WORK/propfind-depth$1.lua"
  cat >"$f" <<EOF
wrk.method = "PROPFIND"
wrk.headers["Depth"] = "$1"
wrk.headers["Content-Type"] = "application/xml; charset=utf-8"
wrk.body = [[$body]]
EOF
  echo "$f"
}

# --- run ---------------------------------------------------------------------------------------------
bench_start_peers "$data"

ok=()
for p in "${active[@]}"; do
  good=1
  for d in $depths; do precheck "$p" "$d" || good=0; done
  if [[ $good == 1 ]]; then ok+=("$p"); else echo "leaving $p out of the measurement"; fi
done

for d in $depths; do
  for p in "${ok[@]}"; do
    bench_wrk "$p" "$p:$d" "${url[$p]}" "$(lua_for "$d")"
  done
done

echo
echo "PROPFIND on a directory of $files files; wrk -t$threads -c$conns -d$duration; $(nproc) CPUs; all on 127.0.0.1"
printf '%-6s %-8s %12s  %s\n' depth peer "req/s" "notes"
for d in $depths; do
  for p in $peers; do
    printf '%-6s %-8s %12s  %s\n' "$d" "$p" "${rps[$p:$d]:-n/a}" "${notes[$p:$d]:-}"
  done
done
echo
printf '%-6s %14s %14s\n' depth "host/rclone" "host/nginx"
for d in $depths; do
  printf '%-6s %14s %14s\n' "$d" "$(bench_ratio "${rps[host:$d]:-}" "${rps[rclone:$d]:-}")" "$(bench_ratio "${rps[host:$d]:-}" "${rps[nginx:$d]:-}")"
done
[[ ${#ok[@]} -eq $(wc -w <<<"$peers") ]] || { echo "some peers were left out (see above)"; exit 1; }
