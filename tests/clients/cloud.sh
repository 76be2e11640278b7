#!/usr/bin/env bash
# cloud.sh — real clients against cloud mounts served from the cloud fakes (tests/CloudFakes).
#
# Starts the fake standalone on a free loopback port (rate limits enforced, as the providers do), asks it
# for fresh accounts, and starts the host with:
#   /aliyun        AliyundriveOpen, own client keys, 302_redirect, default client-side limits
#   /aliyun-proxy  the same account through the online API relay, native_proxy
#   /115           115 Open, 302_redirect (links bound to the client's User-Agent)
#   /123           123 Open through the online API relay, native_proxy (the driver's default)
#   /disktop       DiskTop, own app, 302_redirect
# Then runs, each printing PASS/FAIL lines:
#   all at once (the clients mostly wait on the drivers' rate limits), each in a directory of its own:
#     rclone.sh on /dav/aliyun/ (copy up, check, lsjson, ranges, moveto/copyto/delete/purge);
#     on every cloud mount: a tree copied up and back down with rclone, compared byte for byte, `rclone check --download` with
#     0 differences, a moveto to a Chinese name, and a purge;
#     rclone-owncloud.sh (vendor owncloud: oc:checksums against sha1sum/md5sum, rclone checksum, check,
#     sync --checksum, X-OC-Mtime not claimed, size after PUT, 423 and an injected provider 5xx retried);
#     cadaver.sh (LOCK/UNLOCK, PROPPATCH, COPY, MOVE, PUT, GET, DELETE)
#   then the provider 5xx retried by rclone, each provider alone with its injected fault
#   ffprobe.sh on every cloud mount (302 or 200 as its policy says; ffmpeg follows a 302 with its own
#   User-Agent and seeks on the target)
#   vlc.sh on every cloud mount (cvlc plays and seeks the video; 302 or 200 as its policy says)
#   chromium.sh on /dav/aliyun/ (the HTML listing in headless Chromium, the file opened through the 302)
#   a grep of the host log for every token and secret the fake handed out
# Every client script prints RESULT lines for the client matrix (appended to $DH_RESULTS when set).
# Exit 1 if anything failed. Env: DH_KEEP_WORK=1 keeps the work dir (fake and host logs);
# CLOUD_STEPS (default "rclone roundtrip owncloud cadaver ffprobe vlc chromium secrets") runs only some steps.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

dh_ensure_packages curl:curl python3:python3 rclone:rclone ffmpeg:ffmpeg
dh_build
dh_workdir
fake_dll="$DH_REPO_ROOT/tests/CloudFakes/bin/Release/net10.0/OpenList.DriverHost.CloudFakes.dll"
(cd "$DH_REPO_ROOT" && dotnet build tests/CloudFakes -c Release -nologo -v quiet </dev/null) || { echo "FAIL  cloud: build of tests/CloudFakes"; exit 1; }

fake_port="$(dh_free_port)"
fake_url="http://127.0.0.1:$fake_port"
dh_spawn fake_pid "$DH_WORK/fake.log" dotnet "$fake_dll" --urls "$fake_url"
DH_WAIT_PID="$fake_pid"
for ((i = 0; i < 120; i++)); do
  curl -s -o /dev/null "$fake_url/_fake/requests" && break
  dh_alive "$fake_pid" || { echo "FAIL  cloud: the fake exited"; tail -n 40 "$DH_WORK/fake.log"; exit 1; }
  sleep 0.5
done
unset DH_WAIT_PID

user="cloud"; pass="pw-$RANDOM-$RANDOM"
hash="$(dh_hash_password "$pass")"
accounts="$DH_WORK/accounts"; mkdir -p "$accounts"
for provider in aliyun 115 123 disktop; do
  curl -sf -X POST "$fake_url/_fake/$provider/accounts" -o "$accounts/$provider.json" \
    || { echo "FAIL  cloud: could not create a fake $provider account"; exit 1; }
done
DH_CONFIG="$DH_WORK/drivers.json"
python3 - "$DH_CONFIG" "$accounts" "$fake_url" "$user" "$hash" "$DH_WORK/data" <<'PY'
import json, sys
path, accounts, fake, user, pw_hash, data = sys.argv[1:]
acct = {p: json.load(open(f"{accounts}/{p}.json")) for p in ("aliyun", "115", "123", "disktop")}
def aliyun(mount, policy, online):
    a = acct["aliyun"]
    return {
        "mount_path": mount, "driver": "AliyundriveOpen", "cache_expiration": 30, "webdav_policy": policy,
        "addition": {
            "drive_type": "resource", "root_folder_id": "root", "remove_way": "delete",
            "refresh_token": a["relay_refresh_token" if online else "own_refresh_token"],
            "use_online_api": online, "api_url_address": fake + "/alicloud/renewapi",
            "client_id": "" if online else a["client_id"],
            "client_secret": "" if online else a["client_secret"],
            "api_base_url": fake,
        },
    }
cfg = {
    "server": {"listen": "http://127.0.0.1:0", "dav_prefix": "/dav", "state": "sqlite:state.db"},
    "users": [{"username": user, "password_hash": pw_hash, "permissions": ["read", "write"], "base_path": "/"}],
    "storages": [
        {"mount_path": "/local", "driver": "Local", "addition": {"root_folder_path": data}},
        aliyun("/aliyun", "302_redirect", False),
        aliyun("/aliyun-proxy", "native_proxy", True),
        {
            "mount_path": "/115", "driver": "115 Open", "cache_expiration": 30, "webdav_policy": "302_redirect",
            "addition": {
                "root_folder_id": "0", "access_token": acct["115"]["access_token"],
                "refresh_token": acct["115"]["refresh_token"], "api_base_url": fake, "auth_base_url": fake,
                # 1 call/s (the default, 115's documented pace) makes the 115 clients the run's long pole; the
                # fake enforces no 115 API limit and the limiter itself is covered by the xUnit tests.
                "limit_rate": 4,
            },
        },
        {
            "mount_path": "/123", "driver": "123 Open", "cache_expiration": 30,
            "addition": {
                "RefreshToken": acct["123"]["relay_refresh_token"], "use_online_api": True,
                "api_url_address": fake + "/123cloud/renewapi", "root_folder_id": "0", "api_base_url": fake,
            },
        },
        {
            "mount_path": "/disktop", "driver": "DiskTop", "cache_expiration": 30, "webdav_policy": "302_redirect",
            "addition": {
                "client_id": acct["disktop"]["client_id"], "client_secret": acct["disktop"]["client_secret"],
                "access_token": acct["disktop"]["access_token"], "refresh_token": acct["disktop"]["refresh_token"],
                "use_online_api": False, "api_base_url": fake,
            },
        },
    ],
}
json.dump(cfg, open(path, "w"), indent=2)
PY
mkdir -p "$DH_WORK/data"
dh_start
dh_wait_ready "$DH_BASE_URL/dav/" "$user" "$pass"

nfail=0
steps=" ${CLOUD_STEPS:-rclone roundtrip owncloud cadaver ffprobe vlc chromium secrets} "
run() { local name="$1"; shift; echo; echo "################ $name ################"; "$@" || { nfail=$((nfail + 1)); echo "FAIL  cloud: $name"; }; }
step() { [[ "$steps" == *" $1 "* ]]; }
# run_bg NAME CMD... starts a run in the background (mounts are independent and the clients mostly wait on the
# drivers' own rate limits); run_wait prints each one's output in start order and counts its failure.
bg_names=(); bg_pids=(); bg_outs=()
run_bg() {
  local name="$1" out; shift
  out="$(mktemp "$DH_WORK/bg.XXXXXX")"
  "$@" >"$out" 2>&1 </dev/null &
  bg_names+=("$name"); bg_pids+=("$!"); bg_outs+=("$out")
}
run_wait() {
  local i rc
  for i in "${!bg_pids[@]}"; do
    rc=0; wait "${bg_pids[$i]}" || rc=$?
    echo; echo "################ ${bg_names[$i]} ################"; cat "${bg_outs[$i]}"
    [[ $rc -eq 0 ]] || { nfail=$((nfail + 1)); echo "FAIL  cloud: ${bg_names[$i]}"; }
  done
  bg_names=(); bg_pids=(); bg_outs=()
}

step rclone && run_bg "rclone.sh /dav/aliyun/" env RCLONE_BIG_MIB=20 bash "$here/rclone.sh" "$DH_BASE_URL/dav/aliyun/" "$user" "$pass"

round_trip() {
  # /aliyun and /aliyun-proxy are one account and run at the same time: a directory per mount
  local mount="$1" rt="roundtrip-$1" conf="$DH_WORK/rt-$1.conf" src="$DH_WORK/tree-$1" back="$DH_WORK/back-$1"
  printf '[dut]\ntype = webdav\nurl = %s\nvendor = other\nuser = %s\npass = %s\n' "$DH_BASE_URL/dav/$mount/" "$user" "$(rclone obscure "$pass")" >"$conf"
  mkdir -p "$src/a/b" "$src/中文" "$back"
  head -c 3000000 /dev/urandom >"$src/a/b/random.bin"
  printf 'x\n' >"$src/a/one.txt"; printf '内容\n' >"$src/中文/文件.txt"; : >"$src/empty.txt"
  if rclone --config "$conf" copy "$src" dut:$rt -q; then dh_result rclone "/$mount" write pass "round trip: tree copied up"
  else dh_result rclone "/$mount" write fail "round trip: rclone copy up failed"; return 1; fi
  if rclone --config "$conf" copy dut:$rt "$back" -q && diff -r "$src" "$back"; then dh_result rclone "/$mount" read pass "round trip: tree copied back, byte-identical"
  else dh_result rclone "/$mount" read fail "round trip: copy back failed or differs"; return 1; fi
  if rclone --config "$conf" check "$src" dut:$rt --download -q; then dh_result rclone "/$mount" list pass "round trip: rclone check --download, 0 differences"
  else dh_result rclone "/$mount" list fail "round trip: rclone check --download found differences"; return 1; fi
  echo "PASS  cloud: /$mount tree up and back, byte-identical, rclone check 0 differences"
  if rclone --config "$conf" moveto dut:$rt/a/one.txt "dut:$rt/中文/改名 #1.txt" -q \
    && rclone --config "$conf" cat "dut:$rt/中文/改名 #1.txt" | cmp - "$src/a/one.txt" \
    && ! rclone --config "$conf" lsf dut:$rt/a/ | grep -qx one.txt; then
    dh_result rclone "/$mount" rename pass "round trip: moveto a/one.txt -> 中文/改名 #1.txt"
    echo "PASS  cloud: /$mount moveto a/one.txt -> 中文/改名 #1.txt"
  else dh_result rclone "/$mount" rename fail "round trip: moveto a/one.txt -> 中文/改名 #1.txt"; return 1; fi
  if rclone --config "$conf" purge dut:$rt -q && ! rclone --config "$conf" lsf dut: | grep -qx "$rt/"; then
    dh_result rclone "/$mount" delete pass "round trip: purge of the tree"
    echo "PASS  cloud: /$mount purge of the tree"
  else dh_result rclone "/$mount" delete fail "round trip: purge of the tree"; return 1; fi
}
for mount in aliyun aliyun-proxy 115 123 disktop; do
  step roundtrip && run_bg "rclone round trip /dav/$mount/" round_trip "$mount"
done

# rclone vendor owncloud on every cloud mount (mount:hash its driver reports); SHA1-only mounts use vendor
# nextcloud for the --checksum steps (rclone 1.60's owncloud vendor compares MD5 first).
for oc in aliyun:sha1 aliyun-proxy:sha1 115:sha1 123:md5 disktop:md5; do
  IFS=: read -r m h <<<"$oc"
  sv=owncloud; [[ "$h" == sha1 ]] && sv=nextcloud
  step owncloud && run_bg "rclone vendor owncloud /dav/$m/" env RCO_HASH="$h" RCO_MTIME=server RCO_SUM_VENDOR="$sv" \
    bash "$here/rclone-owncloud.sh" "$DH_BASE_URL/dav/$m/" "$user" "$pass"
done
# cadaver (LOCK/UNLOCK, PROPPATCH, COPY, MOVE, PUT, GET, DELETE) on every cloud mount
for m in aliyun aliyun-proxy 115 123 disktop; do
  step cadaver && run_bg "cadaver /dav/$m/" bash "$here/cadaver.sh" "$DH_BASE_URL/dav/$m/" "$user" "$pass"
done
run_wait
# The provider 5xx retried by rclone: a fault injected at the fake hits that provider's next upload call,
# whoever makes it, so each provider's runs are alone with it (the two Aliyun mounts one after the other).
fault_run() {
  env RCO_ONLY_FAULT=1 RCO_FAKE_URL="$fake_url" RCO_FAULT_OP="$2" bash "$here/rclone-owncloud.sh" "$DH_BASE_URL/dav/$1/" "$user" "$pass"
}
aliyun_faults() { local rc=0; fault_run aliyun "$1" || rc=1; fault_run aliyun-proxy "$1" || rc=1; return $rc; }
if step owncloud; then
  run_bg "rclone 5xx retry /dav/aliyun/, then /dav/aliyun-proxy/" aliyun_faults /adrive/v1.0/openFile/create
  run_bg "rclone 5xx retry /dav/115/" fault_run 115 /open/upload/init
  run_bg "rclone 5xx retry /dav/123/" fault_run 123 /upload/v2/file/create
  run_bg "rclone 5xx retry /dav/disktop/" fault_run disktop /v1/files/upload/precreate
  run_wait
fi

# mount:expected GET status (302 where the policy redirects, 200 where the host streams)
for probe in aliyun:302 aliyun-proxy:200 115:302 123:200 disktop:302; do
  step ffprobe && run "ffprobe /dav/${probe%%:*}/ (${probe##*:})" bash "$here/ffprobe.sh" "$DH_BASE_URL/dav/${probe%%:*}/" "$user" "$pass" "${probe##*:}"
done
for probe in aliyun:302 aliyun-proxy:200 115:302 123:200 disktop:302; do
  step vlc && run "vlc /dav/${probe%%:*}/ (${probe##*:})" bash "$here/vlc.sh" "$DH_BASE_URL/dav/${probe%%:*}/" "$user" "$pass" "${probe##*:}"
done
# The HTML listing in a browser, on a 302 mount (the file's link is followed to the provider).
step chromium && run "chromium /dav/aliyun/" bash "$here/chromium.sh" "$DH_BASE_URL/dav/aliyun/" "$user" "$pass"

no_secrets_in_log() {
  python3 - "$accounts" "$DH_LOG" <<'PY'
import json, os, sys
accounts, log = sys.argv[1], open(sys.argv[2], encoding="utf-8", errors="replace").read()
leaked = []
for name in sorted(os.listdir(accounts)):
    for key, value in json.load(open(os.path.join(accounts, name))).items():
        if any(word in key for word in ("token", "secret", "key")) and isinstance(value, str) and value and value in log:
            leaked.append(f"{name[:-5]} {key}")
print("FAIL  cloud: host log contains " + ", ".join(leaked) if leaked else "PASS  cloud: no token or client secret in the host log")
sys.exit(1 if leaked else 0)
PY
}
step secrets && run "secrets in the host log" no_secrets_in_log

if [[ $nfail -gt 0 ]]; then
  echo "----- host log: warnings and errors (last 40) -----"
  grep -nE '\b(WRN|ERR|FTL|warn|fail|error|Exception)\b' "$DH_LOG" | tail -n 40 | cut -c1-300 || true
fi
echo "cloud: $nfail failed"
[[ $nfail -eq 0 ]]
