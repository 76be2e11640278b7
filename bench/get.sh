#!/usr/bin/env bash
# bench/get.sh — GET throughput: our host vs rclone serve webdav vs nginx (+ dav-ext), all on 127.0.0.1 over
# the same directory. See bench/README.md.
#   large  one BENCH_SIZE file downloaded with curl BENCH_RUNS times per server (MB/s, 10^6 bytes)
#   small  a BENCH_SMALL-byte file with wrk (req/s)
#   range  `Range: bytes=M-N` of BENCH_RANGE bytes in the middle of the large file, with wrk (req/s)
#
# Env (defaults):
#   BENCH_SIZE=1073741824    bytes of the large file (random content)
#   BENCH_RUNS=3             curl downloads of the large file per server (the figure is the median)
#   BENCH_SMALL=4096         bytes of the small file
#   BENCH_RANGE=65536        bytes of the ranged GET
#   BENCH_CASES="large small range"
#   BENCH_DURATION=10s BENCH_WARMUP=3s BENCH_THREADS=2 BENCH_CONNECTIONS=8 BENCH_TIMEOUT=30s  (wrk)
#   BENCH_PEERS="host rclone nginx"
#   DH_KEEP_WORK=1           keep the temp dir (server logs, wrk and curl outputs)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

size="${BENCH_SIZE:-1073741824}"
runs="${BENCH_RUNS:-3}"
small="${BENCH_SMALL:-4096}"
range_len="${BENCH_RANGE:-65536}"
cases="${BENCH_CASES:-large small range}"
range_from=$(( size / 2 ))
range_to=$(( range_from + range_len - 1 ))
(( range_to < size )) || { echo "BENCH_RANGE ($range_len) does not fit in the middle of BENCH_SIZE ($size)"; exit 2; }

bench_ensure_tools
dh_workdir

# --- the directory -----------------------------------------------------------------------------------
data="$DH_WORK/data"; mkdir -p "$data"
head -c "$size" /dev/urandom >"$data/large.bin"
head -c "$small" /dev/urandom >"$data/small.bin"
dd if="$data/large.bin" of="$DH_WORK/range.expected" bs=1 skip="$range_from" count="$range_len" \
  iflag=skip_bytes,count_bytes status=none
chmod -R a+rX "$DH_WORK"
dh_log "created large.bin ($size bytes) and small.bin ($small bytes) in $data"

range_lua="$DH_WORK/range.lua"
printf 'wrk.headers["Range"] = "bytes=%s-%s"\n' "$range_from" "$range_to" >"$range_lua"

# --- checks ------------------------------------------------------------------------------------------
# fetch PEER NAME OUT [RANGE] — GET into OUT; prints "status length-header".
fetch() {
  local r=()
  [[ -n "${4:-}" ]] && r=(-H "Range: bytes=$4")
  curl -s -o "$3" -D "$3.headers" -m 300 -w '%{http_code}' "${r[@]}" "${url[$1]}$2" || echo "curl-failed"
  printf ' %s\n' "$(sed -nE 's/^[Cc]ontent-[Ll]ength: *([0-9]+).*/\1/p' "$3.headers" | tail -n 1)"
}

# precheck PEER — 200 and the exact bytes for both files, 206 + Content-Range + the exact bytes for the range.
precheck() {
  local p="$1" out="$DH_WORK/precheck-$1" code len cr good=1
  for c in $cases; do
    case "$c" in
      large)
        read -r code len < <(fetch "$p" large.bin "$out.large")
        if [[ "$code" == 200 && "$len" == "$size" ]] && cmp -s "$out.large" "$data/large.bin"; then
          echo "precheck ok: $p GET large.bin -> 200, $len bytes, identical"
        else echo "precheck FAILED: $p GET large.bin -> HTTP $code, Content-Length ${len:-none} (want 200, $size, identical bytes)"; good=0; fi
        rm -f "$out.large" ;;
      small)
        read -r code len < <(fetch "$p" small.bin "$out.small")
        if [[ "$code" == 200 && "$len" == "$small" ]] && cmp -s "$out.small" "$data/small.bin"; then
          echo "precheck ok: $p GET small.bin -> 200, $len bytes, identical"
        else echo "precheck FAILED: $p GET small.bin -> HTTP $code, Content-Length ${len:-none} (want 200, $small, identical bytes)"; good=0; fi ;;
      range)
        read -r code len < <(fetch "$p" large.bin "$out.range" "$range_from-$range_to")
        cr="$(sed -nE 's/^[Cc]ontent-[Rr]ange: *([^[:space:]]+ [^[:space:]]+).*/\1/p' "$out.range.headers" | tail -n 1)"
        if [[ "$code" == 206 && "$len" == "$range_len" && "$cr" == "bytes $range_from-$range_to/$size" ]] && cmp -s "$out.range" "$DH_WORK/range.expected"; then
          echo "precheck ok: $p GET large.bin bytes=$range_from-$range_to -> 206, $len bytes, $cr, identical"
        else echo "precheck FAILED: $p GET large.bin bytes=$range_from-$range_to -> HTTP $code, Content-Length ${len:-none}, Content-Range ${cr:-none} (want 206, $range_len, bytes $range_from-$range_to/$size, identical bytes)"; good=0; fi ;;
      *) echo "unknown case $c (BENCH_CASES: large small range)"; good=0 ;;
    esac
  done
  [[ $good == 1 ]]
}

# large PEER — BENCH_RUNS curl downloads to /dev/null; mbs[PEER] is the median MB/s.
declare -A mbs=()
large() {
  local p="$1" i line code got speed speeds=()
  dh_log "curl: $p large.bin x $runs"
  for ((i = 0; i < runs; i++)); do
    line="$(curl -s -o /dev/null -m 600 -w '%{http_code} %{size_download} %{speed_download}' "${url[$p]}large.bin" || echo "curl-failed 0 0")"
    read -r code got speed <<<"$line"
    if [[ "$code" != 200 || "$got" != "$size" ]]; then
      mbs[$p]="error"; notes[$p:large]="run $((i + 1)): HTTP $code, $got bytes"; return 0
    fi
    speeds+=("$speed")
  done
  read -r mbs[$p] notes[$p:large] < <(python3 -c 'import statistics,sys
s=[float(x)/1e6 for x in sys.argv[1:]]
print("%.0f" % statistics.median(s), "runs:" + ",".join("%.0f" % x for x in s))' "${speeds[@]}")
}

# --- run ---------------------------------------------------------------------------------------------
bench_start_peers "$data"

ok=()
for p in "${active[@]}"; do
  if precheck "$p"; then ok+=("$p"); else echo "leaving $p out of the measurement"; fi
done

for c in $cases; do
  for p in "${ok[@]}"; do
    case "$c" in
      large) large "$p" ;;
      small) bench_wrk "$p" "$p:small" "${url[$p]}small.bin" ;;
      range) bench_wrk "$p" "$p:range" "${url[$p]}large.bin" "$range_lua" ;;
    esac
  done
done

value() { if [[ "$2" == large ]]; then echo "${mbs[$1]:-n/a}"; else echo "${rps[$1:$2]:-n/a}"; fi; }
unit() { if [[ "$1" == large ]]; then echo "MB/s"; else echo "req/s"; fi; }

echo
echo "GET: large = $size bytes x $runs (curl, median MB/s); small = $small bytes, range = $range_len bytes at $range_from (wrk -t$threads -c$conns -d$duration, req/s); $(nproc) CPUs; all on 127.0.0.1"
printf '%-6s %-8s %12s %-6s %s\n' case peer value unit notes
for c in $cases; do
  for p in $peers; do
    printf '%-6s %-8s %12s %-6s %s\n' "$c" "$p" "$(value "$p" "$c")" "$(unit "$c")" "${notes[$p:$c]:-}"
  done
done
echo
printf '%-6s %14s %14s\n' case "host/rclone" "host/nginx"
for c in $cases; do
  printf '%-6s %14s %14s\n' "$c" "$(bench_ratio "$(value host "$c")" "$(value rclone "$c")")" "$(bench_ratio "$(value host "$c")" "$(value nginx "$c")")"
done
[[ ${#ok[@]} -eq $(wc -w <<<"$peers") ]] || { echo "some peers were left out (see above)"; exit 1; }
