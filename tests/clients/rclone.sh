#!/usr/bin/env bash
# rclone.sh URL USER PASS — rclone's webdav backend (vendor=other) against a WebDAV collection URL.
#
# Builds a local tree (Chinese names, spaces, '#', '%', '+', an emoji, a 200-character name, an empty
# file, nested dirs and a 50 MiB random file), then: copy up, check (--size-only and --download),
# lsjson -R (sizes, dir flags, sane ModTimes), cat --offset/--count ranges of the big file, moveto,
# copyto, deletefile, mkdir+rmdir, purge, about, and a final purge of the test directory.
# Every step prints PASS/FAIL; on FAIL the tail of that step's log (rclone -v --dump headers) follows.
# Exit 1 if any step failed. Env: RCLONE_STEP_TIMEOUT (s, default 300), RCLONE_BIG_MIB (default 50).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

if [[ $# -lt 1 ]]; then echo "usage: $0 URL [USER PASS]" >&2; exit 2; fi
url="$1"; user="${2:-}"; pass="${3:-}"
step_timeout="${RCLONE_STEP_TIMEOUT:-300}"
big_mib="${RCLONE_BIG_MIB:-50}"

dh_ensure_packages rclone:rclone python3:python3
dh_workdir
check_py="$here/lsjson_check.py"
logs="$DH_WORK/logs"; mkdir -p "$logs"

# --- rclone config: a remote "dut" in a config file of our own ------------------------------------
conf="$DH_WORK/rclone.conf"
{
  echo "[dut]"
  echo "type = webdav"
  echo "url = $url"
  echo "vendor = other"
  if [[ -n "$user" ]]; then
    echo "user = $user"
    echo "pass = $(rclone obscure "$pass")"
  fi
} >"$conf"
rcl() {
  timeout "$step_timeout" rclone --config "$conf" --retries 1 --low-level-retries 1 --stats 0 \
    --dump headers -v "$@"
}
base="rclone-clients-$$-$RANDOM"
REM="dut:$base"

# --- local tree -----------------------------------------------------------------------------------
src="$DH_WORK/src"
long_name="long-$(printf 'x%.0s' $(seq 1 191)).txt"   # 5 + 191 + 4 = 200 characters
mkdir -p "$src/中文目录/子目录 with space" "$src/space dir" "$src/special" "$src/nested/a/b/c/d" "$src/big"
printf '中文内容\n' >"$src/中文目录/中文文件.txt"
printf 'deep chinese\n' >"$src/中文目录/子目录 with space/文件 名 空格.txt"
printf 'spaces\n' >"$src/space dir/file with spaces.txt"
printf 'hash\n' >"$src/special/hash#name.txt"
printf 'percent\n' >"$src/special/percent%name.txt"
printf 'percent-encoded-looking\n' >"$src/special/percent%20encoded.txt"
printf 'plus\n' >"$src/special/plus+name.txt"
printf 'mixed\n' >"$src/special/mixed #%+ 名 😀.txt"
printf 'emoji\n' >"$src/special/emoji-😀.txt"
printf 'long name\n' >"$src/special/$long_name"
: >"$src/empty.txt"
printf 'deep\n' >"$src/nested/a/b/c/d/deep.txt"
printf 'nested a\n' >"$src/nested/a/a.txt"
head -c "$((big_mib * 1024 * 1024))" /dev/urandom >"$src/big/big.bin"
big_size="$(stat -c %s "$src/big/big.bin")"
[[ ${#long_name} -eq 200 ]] || { echo "internal: long name is ${#long_name} characters"; exit 2; }

# --- step runner ----------------------------------------------------------------------------------
npass=0; nfail=0; stepno=0
# Client-matrix operation of a step (by its name); the RESULT lines are printed at the end.
declare -A op_status=() op_note=() op_count=()
op_of() {
  case "$1" in
    "mkdir test directory"|"copy tree up"*|"mkdir + rmdir"*) echo write ;;
    "check --size-only"*|"lsjson"*) echo list ;;
    "check --download"*) echo read ;;
    "cat --offset"*) echo seek ;;
    moveto*) echo rename ;;
    copyto*) echo copy ;;
    deletefile*|purge*) echo delete ;;
    *) echo "" ;;
  esac
}
op_record() {  # op_record NAME pass|fail
  local op; op="$(op_of "$1")"
  [[ -n "$op" ]] || return 0
  if [[ "$2" == fail ]]; then
    [[ "${op_status[$op]:-}" == fail ]] || op_note[$op]="failed: $1"
    op_status[$op]=fail
  elif [[ -z "${op_status[$op]:-}" ]]; then
    op_status[$op]=pass
  fi
  op_count[$op]=$(( ${op_count[$op]:-0} + 1 ))
  if [[ "${op_status[$op]}" == pass ]]; then op_note[$op]="${op_count[$op]} step(s): ${op_note[$op]:+${op_note[$op]#*: }, }$1"; fi
}
step() {
  local name="$1" log; shift
  stepno=$((stepno + 1))
  log="$logs/$(printf '%02d' "$stepno").log"
  if "$@" >"$log" 2>&1; then
    npass=$((npass + 1)); echo "PASS  rclone: $name"; op_record "$name" pass
  else
    nfail=$((nfail + 1)); echo "FAIL  rclone: $name"; op_record "$name" fail
    echo "----- log of '$name' (last 60 lines) -----"
    tail -n 60 "$log" | cut -c1-400
    echo "----- end of log -----"
  fi
}

# listing LSJSON_FILE [remote-path] — rclone lsjson -R into a file
listing() { rcl lsjson -R "${2:-$REM}" >"$1"; }

# expect_range OFFSET COUNT — rclone cat --offset/--count of big.bin equals the local bytes.
expect_range() {
  local off="$1" count="$2" start want got
  if (( off < 0 )); then start=$(( big_size + off )); else start=$off; fi
  want="$DH_WORK/want.bin"; got="$DH_WORK/got.bin"
  if (( count < 0 )); then tail -c +"$((start + 1))" "$src/big/big.bin" >"$want"
  else tail -c +"$((start + 1))" "$src/big/big.bin" | head -c "$count" >"$want"; fi
  rcl cat --offset "$off" --count "$count" "$REM/big/big.bin" >"$got" || return 1
  echo "got $(stat -c %s "$got") bytes, want $(stat -c %s "$want")"
  cmp "$want" "$got"
}

do_copy() { rcl copy "$src" "$REM"; }
do_check() {
  rcl check "$src" "$REM" "$@" || return 1
  grep -q ' 0 differences found' "$logs/$(printf '%02d' "$stepno").log"
}
do_tree() {
  listing "$DH_WORK/tree.json" || return 1
  python3 "$check_py" tree "$src" "$DH_WORK/tree.json" "$((t_copy - 10))" "$(( $(date +%s) + 10 ))"
}
do_moveto() {
  rcl moveto "$REM/special/hash#name.txt" "$REM/moved/renamed #%+ 移动.txt" || return 1
  listing "$DH_WORK/l.json" || return 1
  python3 "$check_py" absent "$DH_WORK/l.json" "special/hash#name.txt" || return 1
  python3 "$check_py" has "$DH_WORK/l.json" "moved/renamed #%+ 移动.txt" 5 || return 1
  rcl cat "$REM/moved/renamed #%+ 移动.txt" | cmp - "$src/special/hash#name.txt"
}
do_copyto() {
  rcl copyto "$REM/中文目录/中文文件.txt" "$REM/copies/副本 文件.txt" || return 1
  listing "$DH_WORK/l.json" || return 1
  python3 "$check_py" has "$DH_WORK/l.json" "中文目录/中文文件.txt" "$(stat -c %s "$src/中文目录/中文文件.txt")" || return 1
  python3 "$check_py" has "$DH_WORK/l.json" "copies/副本 文件.txt" "$(stat -c %s "$src/中文目录/中文文件.txt")" || return 1
  rcl cat "$REM/copies/副本 文件.txt" | cmp - "$src/中文目录/中文文件.txt"
}
do_deletefile() {
  rcl deletefile "$REM/special/plus+name.txt" || return 1
  listing "$DH_WORK/l.json" || return 1
  python3 "$check_py" absent "$DH_WORK/l.json" "special/plus+name.txt" || return 1
  python3 "$check_py" has "$DH_WORK/l.json" "special/percent%name.txt"
}
do_mkdir_rmdir() {
  rcl mkdir "$REM/newdir/子目录 new" || return 1
  listing "$DH_WORK/l.json" || return 1
  python3 "$check_py" has "$DH_WORK/l.json" "newdir/子目录 new" dir || return 1
  rcl rmdir "$REM/newdir/子目录 new" || return 1
  rcl rmdir "$REM/newdir" || return 1
  listing "$DH_WORK/l.json" || return 1
  python3 "$check_py" absent "$DH_WORK/l.json" "newdir/子目录 new" || return 1
  python3 "$check_py" absent "$DH_WORK/l.json" "newdir"
}
do_purge_nested() {
  rcl purge "$REM/nested" || return 1
  listing "$DH_WORK/l.json" || return 1
  python3 "$check_py" absent "$DH_WORK/l.json" "nested" || return 1
  python3 "$check_py" absent "$DH_WORK/l.json" "nested/a/b/c/d/deep.txt" || return 1
  python3 "$check_py" has "$DH_WORK/l.json" "empty.txt" 0
}
do_about() {
  rcl about dut: >"$DH_WORK/about.txt" || return 1
  echo "rclone about:"; cat "$DH_WORK/about.txt"
}
do_purge_all() {
  rcl purge "$REM" || return 1
  rcl lsjson dut: >"$DH_WORK/root.json" || return 1
  python3 "$check_py" absent "$DH_WORK/root.json" "$base"
}

echo "rclone $(rclone version 2>/dev/null | head -n 1) against $url (remote path $base)"
t_copy="$(date +%s)"
step "mkdir test directory" rcl mkdir "$REM"
step "copy tree up ($(find "$src" -type f | wc -l) files, big.bin ${big_mib} MiB)" do_copy
step "check --size-only: 0 differences" do_check --size-only
step "check --download: 0 differences" do_check --download
step "lsjson -R: names, dir flags, sizes, ModTime within the run" do_tree
step "cat --offset 0 --count 1" expect_range 0 1
step "cat --offset 0 --count 65536" expect_range 0 65536
step "cat --offset 12345678 --count 1000000" expect_range 12345678 1000000
step "cat --offset $((big_size - 100)) --count 100 (last bytes)" expect_range "$((big_size - 100))" 100
step "cat --offset $((big_size - 10)) --count 100 (past the end)" expect_range "$((big_size - 10))" 100
step "cat --offset -4096 --count 1000 (from the end)" expect_range -4096 1000
step "cat --offset $((big_size * 2 / 3)) (to the end)" expect_range "$((big_size * 2 / 3))" -1
step "moveto special/hash#name.txt -> moved/renamed #%+ 移动.txt" do_moveto
step "copyto 中文目录/中文文件.txt -> copies/副本 文件.txt" do_copyto
step "deletefile special/plus+name.txt" do_deletefile
step "mkdir + rmdir newdir/子目录 new" do_mkdir_rmdir
step "purge nested" do_purge_nested
step "about" do_about
step "purge test directory" do_purge_all

for op in list read seek write rename copy delete; do
  [[ -z "${op_status[$op]:-}" ]] || dh_result rclone "$url" "$op" "${op_status[$op]}" "${op_note[$op]}"
done
dh_result rclone "$url" lock n/a "rclone's webdav backend sends no LOCK"
echo "rclone: $npass passed, $nfail failed"
[[ $nfail -eq 0 ]]
