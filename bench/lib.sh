# shellcheck shell=bash
# Shared helpers for the benchmarks (bench/*.sh). Source it; it sources tests/clients/lib.sh (dh_* helpers)
# and defines functions and variables, changing nothing until a function is called.
#
#   bench_ensure_tools                  apt-get install curl, python3, wrk, rclone, nginx + dav-ext if missing
#   bench_start_peers DATA              start every peer of BENCH_PEERS on DATA; fills url[PEER] and `active`
#   bench_wrk PEER KEY URL [LUA]        unmeasured warm-up, then a measured wrk run; fills rps[KEY], notes[KEY]
#   bench_ratio A B                     A/B with 2 decimals, or n/a
#
# Peers (all on 127.0.0.1, random ports, serving the same directory DATA):
#   host    this project: Release build, `driverhost serve`, a Local mount /files, no users; url .../dav/files/
#   rclone  rclone serve webdav DATA
#   nginx   nginx + ngx_http_dav_ext_module (dav_ext_methods PROPFIND OPTIONS), root DATA, sendfile on
#
# Env (defaults): BENCH_DURATION=10s BENCH_WARMUP=3s BENCH_THREADS=2 BENCH_CONNECTIONS=8 BENCH_TIMEOUT=30s
#                 BENCH_PEERS="host rclone nginx"; DH_KEEP_WORK=1 keeps the temp dir (logs, wrk outputs).
bench_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../tests/clients/lib.sh
source "$bench_here/../tests/clients/lib.sh"

duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-3s}"
threads="${BENCH_THREADS:-2}"
conns="${BENCH_CONNECTIONS:-8}"
wrk_timeout="${BENCH_TIMEOUT:-30s}"
peers="${BENCH_PEERS:-host rclone nginx}"

declare -A url=() rps=() notes=()
active=()

bench_ensure_tools() {
  dh_ensure_packages curl:curl python3:python3 wrk:wrk rclone:rclone /usr/sbin/nginx:nginx \
    /usr/lib/nginx/modules/ngx_http_dav_ext_module.so:libnginx-mod-http-dav-ext
}

bench_start_host() {
  local data="$1"
  dh_build
  dh_write_config "$data" "" "" /files
  dh_start
  url[host]="$DH_BASE_URL/dav/files/"
  dh_wait_ready "$DH_BASE_URL/dav/"
}

bench_start_rclone() {
  local data="$1" port; port="$(dh_free_port)"
  dh_spawn RCLONE_PID "$DH_WORK/rclone.log" rclone serve webdav "$data" --addr "127.0.0.1:$port"
  url[rclone]="http://127.0.0.1:$port/"
  DH_WAIT_PID="$RCLONE_PID" DH_LOG="$DH_WORK/rclone.log" dh_wait_ready "${url[rclone]}"
}

bench_start_nginx() {
  local data="$1" port ng module user_line=""; port="$(dh_free_port)"; ng="$DH_WORK/nginx"
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
  sendfile on;
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

# bench_start_peers DATA — starts each peer of $peers; the ones that came up are in `active`.
bench_start_peers() {
  local p
  active=()
  for p in $peers; do
    if "bench_start_$p" "$1"; then active+=("$p"); else echo "could not start $p; leaving it out"; fi
  done
  [[ ${#active[@]} -gt 0 ]] || { echo "no peer started"; return 1; }
}

# bench_wrk PEER KEY URL [LUA] — warm-up run (not measured), then the measured one; wrk's output is kept in
# $DH_WORK/wrk-KEY.txt (':' replaced by '-'). rps[KEY] is requests/second or "error".
bench_wrk() {
  local peer="$1" key="$2" target="$3" lua="${4:-}" out r non2xx sockerr script=()
  [[ -n "$lua" ]] && script=(-s "$lua")
  out="$DH_WORK/wrk-${key//:/-}.txt"
  dh_log "wrk: $peer $key (-t$threads -c$conns -d$duration, warm-up $warmup)"
  wrk -t"$threads" -c"$conns" -d"$warmup" --timeout "$wrk_timeout" "${script[@]}" "$target" >/dev/null 2>&1 || true
  wrk -t"$threads" -c"$conns" -d"$duration" --timeout "$wrk_timeout" "${script[@]}" "$target" >"$out" 2>&1 || {
    rps[$key]="error"; notes[$key]="wrk failed: $(tail -n 1 "$out")"; return 0; }
  r="$(sed -nE 's/^Requests\/sec: *([0-9.]+).*/\1/p' "$out")"
  non2xx="$(sed -nE 's/.*Non-2xx or 3xx responses: *([0-9]+).*/\1/p' "$out")"
  sockerr="$(sed -nE 's/.*Socket errors: *(.*)/\1/p' "$out")"
  rps[$key]="${r:-error}"
  notes[$key]="$(sed -nE 's/^ *([0-9]+) requests in ([^,]+),.*/\1 requests in \2/p' "$out")${non2xx:+; $non2xx non-2xx}${sockerr:+; socket errors: $sockerr}"
}

bench_ratio() {
  python3 -c 'import sys
try: print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))
except Exception: print("n/a")' "${1:-}" "${2:-}"
}
