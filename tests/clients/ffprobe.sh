#!/usr/bin/env bash
# ffprobe.sh URL USER PASS [EXPECT] — media players' view of a WebDAV collection URL.
#
# Makes a 4-second test video (ffmpeg lavfi, mpeg4 in mp4, moov atom at the end so a player must seek),
# uploads it with curl PUT, then opens it by URL with Basic auth in the URL, as players do:
#   - ffprobe reads the duration;
#   - ffmpeg seeks to 3.5 s and decodes one frame (a Range request far into the file);
#   - curl shows whether GET answered 302 (with its Cache-Control) or 200, which must match EXPECT
#     ("302" or "200"; default: don't care).
# Every step prints PASS/FAIL. Exit 1 if any failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

if [[ $# -lt 3 ]]; then echo "usage: $0 URL USER PASS [302|200]" >&2; exit 2; fi
url="${1%/}/"; user="$2"; pass="$3"; expect="${4:-}"
dh_ensure_packages ffmpeg:ffmpeg ffprobe:ffmpeg curl:curl python3:python3
dh_workdir

npass=0; nfail=0
ok() { npass=$((npass + 1)); echo "PASS  ffprobe: $1"; }
bad() { nfail=$((nfail + 1)); echo "FAIL  ffprobe: $1"; [[ -z "${2:-}" ]] || { echo "----- $2 (last 30 lines) -----"; tail -n 30 "$2" | cut -c1-300; echo "-----"; }; }

video="$DH_WORK/clip.mp4"
ffmpeg -nostdin -v error -f lavfi -i testsrc=duration=4:size=320x240:rate=25 -c:v mpeg4 -q:v 5 "$video"
name="clip-$$-$RANDOM.mp4"
code="$(curl -s -o /dev/null -w '%{http_code}' -u "$user:$pass" -T "$video" "$url$name")"
[[ "$code" == 201 || "$code" == 204 ]] && ok "upload ($code)" || bad "upload answered $code"

# userinfo in the URL, percent-encoded, the way players are configured.
enc() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$1"; }
authed="${url/http:\/\//http://$(enc "$user"):$(enc "$pass")@}$name"

headers="$DH_WORK/get.headers"
curl -s -o /dev/null -D "$headers" -u "$user:$pass" "$url$name" || true
status="$(head -n 1 "$headers" | awk '{print $2}')"
cache="$(grep -i '^cache-control:' "$headers" | tr -d '\r' || true)"
if [[ -z "$expect" || "$status" == "$expect" ]]; then ok "GET answers $status ${cache:+($cache)}"; else bad "GET answered $status, expected $expect" "$headers"; fi

log="$DH_WORK/ffprobe.log"
duration="$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$authed" 2>"$log" || true)"
if python3 -c 'import sys; d=float(sys.argv[1]); sys.exit(0 if 3.8 < d < 4.2 else 1)' "${duration:-0}" 2>/dev/null; then
  ok "ffprobe duration $duration s"; dh_result ffmpeg "$url" read pass "ffprobe duration $duration s (GET $status)"
else
  bad "ffprobe duration '${duration}'" "$log"; dh_result ffmpeg "$url" read fail "ffprobe duration '${duration}' (GET $status)"
fi

log="$DH_WORK/seek.log"
if ffmpeg -nostdin -v error -ss 3.5 -i "$authed" -frames:v 1 -f null - >"$log" 2>&1; then ok "ffmpeg seek to 3.5 s"; dh_result ffmpeg "$url" seek pass "ffmpeg -ss 3.5 decodes a frame"
else bad "ffmpeg seek to 3.5 s" "$log"; dh_result ffmpeg "$url" seek fail "ffmpeg -ss 3.5: $(grep -v '^\s*$' "$log" | tail -n 1 | cut -c1-120)"; fi

curl -s -o /dev/null -u "$user:$pass" -X DELETE "$url$name" || true
echo "ffprobe: $npass passed, $nfail failed"
[[ $nfail -eq 0 ]]
