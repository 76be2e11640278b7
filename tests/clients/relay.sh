#!/usr/bin/env bash
# relay.sh [ignored args] — the relay's browser authorization pages (/relay/) in headless Chromium.
#
# Starts the cloud fake standalone and the host with a relay section for alicloud and disktop (the app secrets
# reach the host through environment variables, as client_secret_env says; public_url is the host's own
# http://127.0.0.1:<port>). For each provider:
#   - sets the fake's next issued tokens to hostile values (POST /_fake/<p>/next-tokens):
#       <script>document.title='pwned'</script>   and   "><img src=x onerror="document.title='pwned'">
#   - Chromium (--headless --no-sandbox, its own profile) opens /relay/<prefix>/start and follows the redirects
#     itself: start (303, flow cookie) -> the fake's auto-approving consent page (302) -> /relay/<prefix>/callback
#     (303) -> /relay/<prefix>/result; --dump-dom of where it ends: the result page, whose textareas hold exactly the
#     hostile tokens as text, with no <img> element, no extra <script>, and a <title> that is not "pwned";
#   - a second run with new hostile tokens takes a --screenshot of the same journey (the result page is shown once,
#     so the screenshot needs its own flow), copied to $DH_ARTIFACTS when set.
# Then Disk.Top's device code: the wait page (user code, QR code; screenshot), the fake approves the code, and a
# second Chromium run on the wait page (same profile, so the flow cookie) lets the page's own script poll /status
# (--virtual-time-budget) until it loads the result page.
# Prints PASS/FAIL lines (no RESULT lines: the relay is not a WebDAV client, so it stays out of the client matrix); exit 1 if anything failed.
# Env: DH_KEEP_WORK=1 keeps the work dir (fake and host logs, DOM, screenshots); RELAY_PROVIDERS (default
# "alicloud disktop").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

dh_ensure_packages chromium:chromium curl:curl python3:python3 || true
providers="${RELAY_PROVIDERS:-alicloud disktop}"
if ! command -v chromium >/dev/null 2>&1; then
  echo "SKIP  relay: chromium is not installed and could not be installed"
  exit 0
fi
dh_build
dh_workdir
fake_dll="$DH_REPO_ROOT/tests/CloudFakes/bin/Release/net10.0/OpenList.DriverHost.CloudFakes.dll"
(cd "$DH_REPO_ROOT" && dotnet build tests/CloudFakes -c Release -nologo -v quiet </dev/null) || { echo "FAIL  relay: build of tests/CloudFakes"; exit 1; }

fake_port="$(dh_free_port)"
fake_url="http://127.0.0.1:$fake_port"
dh_spawn fake_pid "$DH_WORK/fake.log" dotnet "$fake_dll" --urls "$fake_url"
for ((i = 0; i < 120; i++)); do
  curl -s -o /dev/null "$fake_url/_fake/requests" && break
  dh_alive "$fake_pid" || { echo "FAIL  relay: the fake exited"; tail -n 40 "$DH_WORK/fake.log"; exit 1; }
  sleep 0.5
done

declare -A fake_name=([alicloud]=aliyun [disktop]=disktop)
accounts="$DH_WORK/accounts"; mkdir -p "$accounts"
for p in $providers; do
  curl -sf -X POST "$fake_url/_fake/${fake_name[$p]}/accounts" -o "$accounts/$p.json" \
    || { echo "FAIL  relay: could not create a fake ${fake_name[$p]} account"; exit 1; }
done

# The secrets go to the host through the environment only (never drivers.json, never the command line).
export DH_PORT_OVERRIDE; DH_PORT_OVERRIDE="$(dh_free_port)"
public_url="http://127.0.0.1:$DH_PORT_OVERRIDE"
DH_CONFIG="$DH_WORK/drivers.json"
eval "$(python3 - "$DH_CONFIG" "$accounts" "$fake_url" "$public_url" "$DH_WORK/data" "$providers" <<'PY'
import json, shlex, sys
path, accounts, fake, public, data, providers = sys.argv[1:]
relay = {}
for p in providers.split():
    a = json.load(open(f"{accounts}/{p}.json"))
    env = "RELAY_" + p.upper() + "_SECRET"
    relay[p] = {"client_id": a["client_id"], "client_secret_env": env, "api_base_url": fake, "authorize_url": fake}
    print(f"export {env}={shlex.quote(a['client_secret'])}")
cfg = {
    "server": {"listen": "http://127.0.0.1:0", "dav_prefix": "/dav", "state": "sqlite:state.db"},
    "users": [],
    "storages": [{"mount_path": "/local", "driver": "Local", "addition": {"root_folder_path": data}}],
    "relay": {"enabled": True, "public_url": public, "providers": relay},
}
json.dump(cfg, open(path, "w"), indent=2)
PY
)"
mkdir -p "$DH_WORK/data"
dh_start
dh_wait_ready "$DH_BASE_URL/dav/"

npass=0; nfail=0
ok() { npass=$((npass + 1)); echo "PASS  relay: $1"; }
bad() { nfail=$((nfail + 1)); echo "FAIL  relay: $1"; [[ -z "${2:-}" ]] || { echo "----- $2 (last 30 lines but D-Bus noise) -----"; grep -v -i dbus "$2" | tail -n 30 | cut -c1-300; echo "-----"; }; }
chrome() {  # chrome LOG ARGS... — headless Chromium with its own profile (cookies kept across the redirects)
  local log="$1"; shift
  timeout "${CHROMIUM_TIMEOUT:-60}" chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$DH_WORK/profile" "$@" 2>"$log"
}
next_tokens() {  # next_tokens PROVIDER ACCESS REFRESH
  curl -sf -o /dev/null -X POST "$fake_url/_fake/${fake_name[$1]}/next-tokens" \
    --data-urlencode "access_token=$2" --data-urlencode "refresh_token=$3"
}

for p in $providers; do
  refresh="<script>document.title='pwned'</script> $p $RANDOM"
  access="\"><img src=x onerror=\"document.title='pwned'\"> $p $RANDOM"
  if ! next_tokens "$p" "$access" "$refresh"; then bad "$p: could not set the fake's next tokens"; continue; fi
  dom="$DH_WORK/result-$p.html"
  chrome "$DH_WORK/chromium-$p.log" --dump-dom "$public_url/relay/$p/start" >"$dom" || true
  set +e
  python3 - "$dom" "$refresh" "$access" "$public_url/relay/$p/renewapi" <<'PY'
import html.parser, json, sys
dom, refresh, access, renew = sys.argv[1:]
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.at = None; s.text = {}; s.tags = []
    def handle_starttag(s, tag, attrs):
        a = dict(attrs); s.tags.append((tag, a))
        s.at = "title" if tag == "title" else (a.get("id") if tag in ("textarea", "code") else None)
        if s.at: s.text.setdefault(s.at, "")
    def handle_data(s, d):
        if s.at: s.text[s.at] += d
    def handle_endtag(s, tag): s.at = None
p = P(); p.feed(open(dom, encoding="utf-8", errors="replace").read())
problems = []
title = p.text.get("title", "")
if "pwned" in title: problems.append(f"the title was changed: {title!r}")
if not title.startswith("Authorized"): problems.append(f"not the result page: title {title!r}")
if p.text.get("refresh") != refresh: problems.append(f"refresh textarea {p.text.get('refresh')!r} != the token")
if p.text.get("access") != access: problems.append(f"access textarea {p.text.get('access')!r} != the token")
imgs = [a for t, a in p.tags if t == "img"]
if imgs: problems.append(f"an <img> element made it into the DOM: {imgs}")
scripts = [a.get("src") for t, a in p.tags if t == "script"]
if scripts != ["/relay/static/relay.js"]: problems.append(f"scripts in the DOM: {scripts}")
if any(k.startswith("on") for _, a in p.tags for k in a): problems.append("an on* attribute made it into the DOM")
try:
    record = json.loads(p.text.get("snippet", ""))
    add = record["addition"]
    if refresh not in add.values() or add.get("api_url_address") != renew or add.get("use_online_api") is not True:
        problems.append(f"the drivers.json record does not hold the token and {renew}: {record}")
except Exception as e:
    problems.append(f"the drivers.json record is not JSON: {e}")
for x in problems: print("  problem: " + x)
sys.exit(1 if problems else 0)
PY
  prc=$?
  set -e
  if [[ $prc -eq 0 ]]; then
    ok "$p: start -> consent -> callback -> result in Chromium; hostile tokens shown as text, title untouched, record holds them"
  else
    bad "$p: result page DOM (--dump-dom)" "$DH_WORK/chromium-$p.log"; echo "----- DOM -----"; head -c 3000 "$dom"; echo
  fi

  # The screenshot: its own flow (the tokens are shown once), new hostile values (the fake wants new ones).
  next_tokens "$p" "$access #2" "$refresh #2" || true
  shot="$DH_WORK/relay-result-$p.png"
  chrome "$DH_WORK/chromium-shot-$p.log" --screenshot="$shot" --window-size=1000,1300 --hide-scrollbars "$public_url/relay/$p/start" >/dev/null || true
  if [[ -s "$shot" ]]; then
    if [[ -n "${DH_ARTIFACTS:-}" ]]; then mkdir -p "$DH_ARTIFACTS" && cp "$shot" "$DH_ARTIFACTS/" && shot="$DH_ARTIFACTS/$(basename "$shot")"; fi
    ok "$p: screenshot of the result page $shot"
  else
    bad "$p: no screenshot" "$DH_WORK/chromium-shot-$p.log"
  fi
done

# Disk.Top's device code in a real browser, its page script included: the wait page shows the user code and the
# QR code; once the fake approves it, the page's script polls /status (with the flow cookie kept in the profile)
# and goes to the result page by itself.
if [[ " $providers " == *" disktop "* ]]; then
  device_refresh="device <script>document.title='pwned'</script> $RANDOM"
  next_tokens disktop "device-access-$RANDOM" "$device_refresh" || true
  wait_dom="$DH_WORK/device-wait.html"
  chrome "$DH_WORK/chromium-device.log" --dump-dom "$public_url/relay/disktop/start?mode=device" >"$wait_dom" || true
  user_code="$(python3 -c 'import re,sys,html;m=re.search(r"id=\"usercode\">([^<]*)<",open(sys.argv[1],encoding="utf-8").read());print(html.unescape(m.group(1)) if m else "")' "$wait_dom")"
  shot="$DH_WORK/relay-device-code.png"
  chrome "$DH_WORK/chromium-device-shot.log" --screenshot="$shot" --window-size=1000,1100 --hide-scrollbars "$public_url/relay/disktop/wait" >/dev/null || true
  if [[ -n "$user_code" ]] && grep -qF 'src="/relay/disktop/qr.png"' "$wait_dom" \
    && curl -sf -o /dev/null -X POST "$fake_url/_fake/disktop/device/approve?user_code=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$user_code")"; then
    ok "disktop: device page shows user code $user_code and the QR code; the fake approved it"
    sleep 6  # the provider's interval (5 s): the relay does not poll it sooner
    result_dom="$DH_WORK/device-result.html"
    chrome "$DH_WORK/chromium-device-result.log" --virtual-time-budget=30000 --dump-dom "$public_url/relay/disktop/wait" >"$result_dom" || true
    if python3 - "$result_dom" "$device_refresh" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(s): super().__init__(); s.at = None; s.text = {}
    def handle_starttag(s, tag, attrs):
        s.at = "title" if tag == "title" else (dict(attrs).get("id") if tag == "textarea" else None)
        if s.at: s.text.setdefault(s.at, "")
    def handle_data(s, d):
        if s.at: s.text[s.at] += d
    def handle_endtag(s, tag): s.at = None
p = P(); p.feed(open(sys.argv[1], encoding="utf-8", errors="replace").read())
ok = p.text.get("title", "").startswith("Authorized") and p.text.get("refresh") == sys.argv[2]
print(f"  title {p.text.get('title')!r}, refresh token shown as text: {p.text.get('refresh') == sys.argv[2]}")
sys.exit(0 if ok else 1)
PY
    then
      ok "disktop: the wait page's script polled /status and loaded the result page (tokens as text)"
    else
      bad "disktop: the wait page did not reach the result page" "$DH_WORK/chromium-device-result.log"; head -c 2000 "$result_dom"; echo
    fi
  else
    bad "disktop: device page without user code or QR code, or the fake refused the approval" "$DH_WORK/chromium-device.log"; head -c 2000 "$wait_dom"; echo
  fi
  if [[ -s "$shot" ]]; then
    if [[ -n "${DH_ARTIFACTS:-}" ]]; then mkdir -p "$DH_ARTIFACTS" && cp "$shot" "$DH_ARTIFACTS/" && shot="$DH_ARTIFACTS/$(basename "$shot")"; fi
    ok "disktop: screenshot of the device code page $shot"
  else
    bad "disktop: no screenshot of the device code page" "$DH_WORK/chromium-device-shot.log"
  fi
fi

# Nothing secret in the host's log: no token, no app secret.
for p in $providers; do
  secret_var="RELAY_${p^^}_SECRET"
  if grep -qF -e "${!secret_var}" -e "pwned" "$DH_LOG"; then bad "$p: a token or the app secret is in the host log"
  else ok "$p: no token or app secret in the host log"; fi
done

echo "relay: $npass passed, $nfail failed"
[[ $nfail -eq 0 ]]
