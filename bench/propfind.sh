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
# shellcheck source=SCRIPTDIR/../tests/clients/lib.sh
source "$here/../tests/clients/lib.sh"

files="${BENCH_FILES:-10000}"
duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-3s}"
threads="${BENCH_THREADS:-2}"
conns="${BENCH_CONNECTIONS:-8}"
wrk_timeout="${BENCH_TIMEOUT:-30s}"
depths="${BENCH_DEPTHS:-1 0}"
peers="${BENCH_PEERS:-host rclone nginx}"

dh_ensure_packages curl:curl python3:python3 wrk:wrk rclone:rclone /usr/sbin/nginx:nginx \
  /usr/lib/nginx/modules/ngx_http_dav_ext_module.so:libnginx-mod-http-dav-ext
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
declare -A url=()

# --- peers -------------------------------------------------------------------------------------------
start_host() {
  dh_build
  dh_write_config "$data" "" "" /files
  dh_start
  url[host]="$DH_BASE_URL/dav/files/"
  dh_wait_ready "$DH_BASE_URL/dav/"
}

start_rclone() {
  local port; port="$(dh_free_port)"
  dh_spawn RCLONE_PID "$DH_WORK/rclone.log" rclone serve webdav "$data" --addr "127.0.0.1:$port"
  url[rclone]="http://127.0.0.1:$port/"
  DH_WAIT_PID="$RCLONE_PID" DH_LOG="$DH_WORK/rclone.log" dh_wait_ready "${url[rclone]}"
}

start_nginx() {
  local port ng module user_line=""; port="$(dh_free_port)"; ng="$DH_WORK/nginx"
  if [[ $EUID -eq 0 ]]; then user_line="user root;"; fi   # workers must read the mktemp -d (0700) tree
  module="$(find /usr/lib/nginx/modules -name 'ngx_http_dav_ext_module.so' 2>/dev/null | head -n 1)"
  [[ -n "$module" ]] || { dh_log "ngx_http_dav_ext_module.so not found under /usr/lib/nginx/modules"; return 1; }
  mkdir -p "$ng/logs" "$ng/tmp"
  cat >"$ng/nginx.conf" <<EOF
load_module $module;
$user_line
worker_processes auto;
daemon off;
pid $ng/nginx.pid;
error_log $ng/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $ng/tmp/body;
  proxy_temp_path $ng/tmp/proxy;
  fastcgi_temp_path $ng/tmp/fastcgi;
  uwsgi_temp_path $ng/tmp/uwsgi;
  scgi_temp_path $ng/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    location / {
      root $data;
      dav_ext_methods PROPFIND OPTIONS;
    }
  }
}
EOF
  dh_spawn NGINX_PID "$ng/logs/stdout.log" nginx -p "$ng/" -e "$ng/logs/error.log" -c "$ng/nginx.conf"
  url[nginx]="http://127.0.0.1:$port/"
  DH_WAIT_PID="$NGINX_PID" DH_LOG="$ng/logs/error.log" dh_wait_ready "${url[nginx]}"
}

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

declare -A rps=() notes=()
measure() {
  local peer="$1" depth="$2" lua out r non2xx sockerr
  lua="$(lua_for "$depth")"; out="$DH_WORK/wrk-$peer-depth$depth.txt"
  wrk -t"$threads" -c"$conns" -d"$warmup" --timeout "$wrk_timeout" -s "$lua" "${url[$peer]}" >/dev/null 2>&1 || true
  wrk -t"$threads" -c"$conns" -d"$duration" --timeout "$wrk_timeout" -s "$lua" "${url[$peer]}" >"$out" 2>&1 || {
    rps[$peer:$depth]="error"; notes[$peer:$depth]="wrk failed: $(tail -n 1 "$out")"; return 0; }
  r="$(sed -nE 's/^Requests\/sec: *([0-9.]+).*/\1/p' "$out")"
  non2xx="$(sed -nE 's/.*Non-2xx or 3xx responses: *([0-9]+).*/\1/p' "$out")"
  sockerr="$(sed -nE 's/.*Socket errors: *(.*)/\1/p' "$out")"
  rps[$peer:$depth]="${r:-error}"
  notes[$peer:$depth]="$(sed -nE 's/^ *([0-9]+) requests in ([^,]+),.*/\1 requests in \2/p' "$out")${non2xx:+; $non2xx non-2xx}${sockerr:+; socket errors: $sockerr}"
}

# --- run ---------------------------------------------------------------------------------------------
active=()
for p in $peers; do
  if "start_$p"; then active+=("$p"); else echo "could not start $p; leaving it out"; fi
done
[[ ${#active[@]} -gt 0 ]] || { echo "no peer started"; exit 1; }

ok=()
for p in "${active[@]}"; do
  good=1
  for d in $depths; do precheck "$p" "$d" || good=0; done
  if [[ $good == 1 ]]; then ok+=("$p"); else echo "leaving $p out of the measurement"; fi
done

for d in $depths; do
  for p in "${ok[@]}"; do
    dh_log "wrk: $p Depth $d (-t$threads -c$conns -d$duration, warm-up $warmup)"
    measure "$p" "$d"
  done
done

ratio() {  # ratio A B -> A/B with 2 decimals, or n/a
  python3 -c 'import sys
try: print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))
except Exception: print("n/a")' "${1:-}" "${2:-}"
}

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
  printf '%-6s %14s %14s\n' "$d" "$(ratio "${rps[host:$d]:-}" "${rps[rclone:$d]:-}")" "$(ratio "${rps[host:$d]:-}" "${rps[nginx:$d]:-}")"
done
[[ ${#ok[@]} -eq $(wc -w <<<"$peers") ]] || { echo "some peers were left out (see above)"; exit 1; }
