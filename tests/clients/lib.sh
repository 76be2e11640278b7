# shellcheck shell=bash
# Shared helpers for the real-client scripts (tests/clients/*.sh) and the benchmarks (bench/*.sh).
# Source it; it defines functions and a few variables and changes nothing until a function is called.
#
#   dh_ensure_packages bin:pkg ...   apt-get install the packages whose binary is missing (update once)
#   dh_free_port                     print a free TCP port on 127.0.0.1
#   dh_build                         dotnet build src/DriverHost -c Release (once per process tree)
#   dh_workdir                       create DH_WORK (mktemp -d) and register cleanup on EXIT
#   dh_write_config DATA [USER PASS] write $DH_WORK/drivers.json: /local -> DATA; one read/write user, or none
#   dh_start                         start the host in the background (own process group), log in $DH_WORK
#   dh_wait_ready URL [USER PASS]    poll OPTIONS URL until 200 (DH_READY_TIMEOUT s, default 60)
#   dh_stop                          stop the host (kill its process group)
#   dh_defer CMD                     run CMD at EXIT (before the work dir is removed)
#   dh_result CLIENT URL OP STATUS [NOTE]  print a machine-readable RESULT line, append it to $DH_RESULTS
#
# Everything created goes under DH_WORK (a mktemp -d directory) and is removed at exit unless
# DH_KEEP_WORK=1. Server log: $DH_WORK/server.log.

DH_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DH_DLL="${DH_DLL:-$DH_REPO_ROOT/src/DriverHost/bin/Release/net10.0/driverhost.dll}"
DH_READY_TIMEOUT="${DH_READY_TIMEOUT:-60}"
DH_PID=""
DH_PORT=""
DH_WORK=""
DH_CONFIG=""
DH_LOG=""
DH_DEFERRED=()

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dh_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# dh_ensure_packages bin:package ... — install (non-interactive) only what is missing.
# `apt-get update` runs at most once per process tree (DH_APT_UPDATED is exported).
dh_ensure_packages() {
  local spec bin pkg missing=()
  for spec in "$@"; do
    bin="${spec%%:*}"; pkg="${spec#*:}"
    if [[ "$bin" == /* ]]; then [[ -e "$bin" ]] || missing+=("$pkg")
    else command -v "$bin" >/dev/null 2>&1 || missing+=("$pkg"); fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=()
  if [[ $EUID -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      dh_log "missing packages (${missing[*]}) and not root/no sudo: install them first"; return 1; fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    dh_log "missing packages (${missing[*]}) and no apt-get: install them first"; return 1
  fi
  dh_log "installing: ${missing[*]}"
  if [[ "${DH_APT_UPDATED:-}" != 1 ]]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null || return 1
    export DH_APT_UPDATED=1
  fi
  # Packages such as nginx start a system service on install (listening on all interfaces); a
  # temporary policy-rc.d (exit 101 = "not allowed") keeps invoke-rc.d from starting anything.
  local policy=/usr/sbin/policy-rc.d added_policy="" rc=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null && "${sudo[@]}" chmod 755 "$policy" && added_policy=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null || rc=$?
  [[ -z "$added_policy" ]] || "${sudo[@]}" rm -f "$policy"
  return $rc
}

dh_free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
}

# Build once per process tree (run-all.sh -> run-clients.sh): DH_BUILT=1 is exported after success.
dh_build() {
  if [[ "${DH_BUILT:-}" == 1 && -f "$DH_DLL" ]]; then return 0; fi
  if ! command -v dotnet >/dev/null 2>&1; then
    dh_log "dotnet SDK not found on PATH (needs the .NET 10 SDK, see global.json)"; return 1
  fi
  dh_log "building src/DriverHost (Release)"
  (cd "$DH_REPO_ROOT" && dotnet build src/DriverHost -c Release -nologo -v quiet </dev/null) || {
    dh_log "build failed"; return 1; }
  [[ -f "$DH_DLL" ]] || { dh_log "build succeeded but $DH_DLL is missing"; return 1; }
  export DH_BUILT=1
}

# dh_result CLIENT URL|MOUNT OP STATUS [NOTE] — one line for the client matrix (tests/clients/matrix.py):
#   RESULT client=<client> mount=</mount> op=<list|read|seek|write|rename|copy|delete|lock|props|checksum|mtime|sync|retry> status=<pass|fail|n/a> note=<text>
# printed on stdout and appended to the file $DH_RESULTS when set. The mount is the first path segment
# after /dav/ of URL (or the argument itself when it starts with "/"). The note is the rest of the line.
dh_result() {
  local client="$1" where="$2" op="$3" status="$4" note="${5:-}" mount
  if [[ "$where" == /* ]]; then mount="$where"
  else mount="/$(sed -E 's#^[a-z]+://[^/]*/dav/##; s#/.*$##' <<<"$where")"; fi
  note="$(tr '\n\r' '  ' <<<"$note" | sed 's/[[:space:]]*$//')"
  local line="RESULT client=$client mount=$mount op=$op status=$status note=$note"
  echo "$line"
  if [[ -n "${DH_RESULTS:-}" ]]; then echo "$line" >>"$DH_RESULTS"; fi
}

dh_defer() { DH_DEFERRED+=("$*"); }

_dh_cleanup() {
  local rc=$? i
  for ((i=${#DH_DEFERRED[@]}-1; i>=0; i--)); do eval "${DH_DEFERRED[$i]}" || true; done
  dh_stop || true
  for i in "${DH_SPAWNED[@]}"; do dh_kill_group "$i" || true; done
  wait 2>/dev/null || true
  if [[ -n "$DH_WORK" && -d "$DH_WORK" ]]; then
    if [[ "${DH_KEEP_WORK:-}" == 1 ]]; then dh_log "kept work dir $DH_WORK"
    else rm -rf "$DH_WORK"; fi
  fi
  return $rc
}

dh_workdir() {
  if [[ -z "$DH_WORK" || ! -d "$DH_WORK" ]]; then
    DH_WORK="$(mktemp -d "${TMPDIR:-/tmp}/driverhost-clients.XXXXXX")"
  fi
  trap _dh_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# dh_hash_password PASS — prints the hash from `driverhost hash-password` (last non-empty line).
dh_hash_password() {
  local out
  out="$(printf '%s\n' "$1" | dotnet "$DH_DLL" hash-password 2>/dev/null)" || {
    dh_log "hash-password failed"; return 1; }
  out="$(printf '%s\n' "$out" | sed '/^[[:space:]]*$/d' | tail -n 1 | tr -d '\r' | sed 's/^[[:space:]]*//;s/[[:space:]]*$//')"
  [[ -n "$out" ]] || { dh_log "hash-password printed nothing"; return 1; }
  printf '%s' "$out"
}

# dh_write_config DATA_DIR [USER PASS] [MOUNT_PATH] — writes $DH_WORK/drivers.json (DH_CONFIG).
# Without USER the host runs with no users (anonymous, allowed on loopback only).
dh_write_config() {
  local data="$1" user="${2:-}" pass="${3:-}" mount="${4:-/local}" users="[]" hash
  mkdir -p "$data"
  if [[ -n "$user" ]]; then
    hash="$(dh_hash_password "$pass")" || return 1
    users="$(python3 -c 'import json,sys;print(json.dumps([{"username":sys.argv[1],"password_hash":sys.argv[2],"permissions":["read","write"],"base_path":"/"}]))' "$user" "$hash")"
  fi
  DH_CONFIG="$DH_WORK/drivers.json"
  python3 - "$DH_CONFIG" "$data" "$mount" "$users" <<'PY'
import json, sys
path, data, mount, users = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
cfg = {
  "server": {"listen": "http://127.0.0.1:0", "dav_prefix": "/dav", "state": "sqlite:state.db"},
  "users": users,
  "storages": [{"mount_path": mount, "driver": "Local", "addition": {"root_folder_path": data}}],
}
with open(path, "w") as f:
  json.dump(cfg, f, indent=2)
PY
}

# dh_spawn VAR LOGFILE CMD... — runs CMD in the background as the leader of its own process group
# (setsid; works whether or not the caller has job control), stdin from /dev/null, stdout+stderr to
# LOGFILE, and stores its pid (= its process-group id) in VAR. Stopped at EXIT by dh_kill_group.
# Working directory: DH_SPAWN_DIR (default: the current one).
DH_SPAWNED=()
dh_spawn() {
  local var="$1" log="$2" pidfile i; shift 2
  pidfile="$(mktemp "$DH_WORK/.pid.XXXXXX")"; rm -f "$pidfile"
  # shellcheck disable=SC2016  # $$ and $0 are for the inner bash
  ( cd "${DH_SPAWN_DIR:-.}" && exec setsid bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$pidfile" "$@" </dev/null >"$log" 2>&1 ) &
  for ((i=0; i<100; i++)); do [[ -s "$pidfile" ]] && break; sleep 0.05; done
  [[ -s "$pidfile" ]] || { dh_log "could not start: $*"; return 1; }
  printf -v "$var" '%s' "$(cat "$pidfile")"
  rm -f "$pidfile"
  DH_SPAWNED+=("${!var}")
}

# dh_alive PID — true while PID exists and is not a zombie.
dh_alive() {
  local st
  [[ -r "/proc/$1/stat" ]] || return 1
  st="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)"
  [[ -n "$st" && "$st" != Z && "$st" != X ]]
}

# dh_kill_group PID — TERM the process group, wait up to 5 s, then KILL it.
dh_kill_group() {
  local pid="$1" i
  [[ -n "$pid" ]] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for ((i=0; i<50; i++)); do dh_alive "$pid" || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

# dh_start — starts the host on a free port; sets DH_PORT, DH_PID, DH_BASE_URL (http://127.0.0.1:PORT).
dh_start() {
  [[ -n "$DH_CONFIG" ]] || { dh_log "dh_start: call dh_write_config first"; return 1; }
  DH_PORT="${DH_PORT_OVERRIDE:-$(dh_free_port)}"
  DH_LOG="$DH_WORK/server.log"
  DH_BASE_URL="http://127.0.0.1:$DH_PORT"
  dh_log "starting driverhost on $DH_BASE_URL (log: $DH_LOG)"
  DH_SPAWN_DIR="$DH_WORK" dh_spawn DH_PID "$DH_LOG" \
    dotnet "$DH_DLL" serve --config "$DH_CONFIG" --listen "$DH_BASE_URL"
}

dh_print_log() {
  [[ -n "$DH_LOG" && -f "$DH_LOG" ]] || return 0
  echo "----- server log ($DH_LOG, last ${1:-200} lines) -----"
  tail -n "${1:-200}" "$DH_LOG"
  echo "----- end of server log -----"
}

# dh_wait_ready URL [USER PASS] — waits until OPTIONS URL answers 200; fails early if the process
# DH_WAIT_PID (default DH_PID) exits. On failure prints DH_LOG.
dh_wait_ready() {
  local url="$1" user="${2:-}" pass="${3:-}" deadline code auth=()
  [[ -n "$user" ]] && auth=(-u "$user:$pass")
  deadline=$(( SECONDS + DH_READY_TIMEOUT ))
  while (( SECONDS < deadline )); do
    code="$(curl -s -o /dev/null -m 5 -w '%{http_code}' "${auth[@]}" -X OPTIONS "$url" 2>/dev/null || true)"
    [[ "$code" == 200 ]] && { dh_log "ready: OPTIONS $url -> 200"; return 0; }
    if [[ -n "${DH_WAIT_PID:-$DH_PID}" ]] && ! dh_alive "${DH_WAIT_PID:-$DH_PID}"; then
      dh_log "server process exited before becoming ready"; dh_print_log 200; return 1
    fi
    sleep 0.5
  done
  dh_log "not ready after ${DH_READY_TIMEOUT}s: OPTIONS $url -> ${code:-no answer}"
  dh_print_log 200
  return 1
}

dh_stop() {
  [[ -n "$DH_PID" ]] || return 0
  dh_kill_group "$DH_PID"
  DH_PID=""
}
