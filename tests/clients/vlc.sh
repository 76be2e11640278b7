#!/usr/bin/env bash
# vlc.sh URL USER PASS [EXPECT] — VLC (cvlc, headless) plays a video from a WebDAV collection URL.
#
# Makes a 4-second test video (ffmpeg lavfi, mpeg4 in mp4, moov atom at the end so VLC must seek with
# a Range request before it can play), uploads it with curl PUT, then opens it by URL with the
# credentials in the URL's userinfo, as VLC users do, and proves frames were decoded by transcoding what
# VLC plays to MPEG-2 video in a TS file (--sout "#transcode{vcodec=mp2v}:std{access=file}") and counting
# that file's frames with ffprobe:
#   - read: play the whole clip: at least 90 of its 100 frames decoded;
#   - seek: play from 3 s (--start-time 3): at least 5 frames decoded, and fewer than 90 (the start was
#     skipped);
#   - curl with VLC's User-Agent shows whether GET answers 302 (VLC follows it) or 200, which must match
#     EXPECT ("302" or "200"; default: don't care).
# cvlc exits 0 even when it cannot open the URL, so only the decoded frames count.
# VLC refuses to run as root: as root it runs as `nobody` (runuser) with a HOME of its own.
# Every step prints PASS/FAIL (SKIP with the reason when VLC cannot run here). Exit 1 if any failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

if [[ $# -lt 3 ]]; then echo "usage: $0 URL USER PASS [302|200]" >&2; exit 2; fi
url="${1%/}/"; user="$2"; pass="$3"; expect="${4:-}"
dh_ensure_packages ffmpeg:ffmpeg ffprobe:ffmpeg curl:curl python3:python3 cvlc:vlc-bin \
  /usr/lib/x86_64-linux-gnu/vlc/plugins/codec/libavcodec_plugin.so:vlc-plugin-base || true
dh_workdir

skip() {
  echo "SKIP  vlc: $1"
  dh_result vlc "$url" read n/a "skipped: $1"; dh_result vlc "$url" seek n/a "skipped: $1"
  exit 0
}
command -v cvlc >/dev/null 2>&1 || skip "cvlc is not installed and could not be installed (package vlc-bin)"
as_user=()
if [[ $EUID -eq 0 ]]; then
  command -v runuser >/dev/null 2>&1 || skip "running as root and runuser is missing (VLC refuses to run as root)"
  id nobody >/dev/null 2>&1 || skip "running as root and there is no user nobody (VLC refuses to run as root)"
  as_user=(runuser -u nobody --)
fi
# A directory VLC's user can write (its HOME and the transcoded output).
chmod 711 "$DH_WORK"
vdir="$DH_WORK/vlc"; mkdir -p "$vdir/home"; chmod 777 "$vdir" "$vdir/home"
version="$("${as_user[@]}" env HOME="$vdir/home" cvlc --version 2>/dev/null | head -n 1 || true)"
[[ -n "$version" ]] || skip "cvlc --version printed nothing (VLC does not start here)"

npass=0; nfail=0
ok() { npass=$((npass + 1)); echo "PASS  vlc: $1"; }
bad() { nfail=$((nfail + 1)); echo "FAIL  vlc: $1"; [[ -z "${2:-}" ]] || { echo "----- $2 (last 30 lines) -----"; tail -n 30 "$2" | cut -c1-300; echo "-----"; }; }

video="$DH_WORK/clip.mp4"
ffmpeg -nostdin -v error -f lavfi -i testsrc=duration=4:size=320x240:rate=25 -c:v mpeg4 -q:v 5 "$video"
name="vlc-$$-$RANDOM.mp4"
code="$(curl -s -o /dev/null -w '%{http_code}' -u "$user:$pass" -T "$video" "$url$name")"
[[ "$code" == 201 || "$code" == 204 ]] && ok "upload ($code)" || bad "upload answered $code"

enc() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$1"; }
authed="${url/http:\/\//http://$(enc "$user"):$(enc "$pass")@}$name"

# What VLC gets on GET (the host decides 302 vs streaming by User-Agent).
vlc_ua="VLC/$(sed -nE 's/^VLC version ([0-9.]+).*/\1/p' <<<"$version") LibVLC/$(sed -nE 's/^VLC version ([0-9.]+).*/\1/p' <<<"$version")"
headers="$DH_WORK/get.headers"
curl -s -o /dev/null -D "$headers" -A "$vlc_ua" -u "$user:$pass" "$url$name" || true
status="$(head -n 1 "$headers" | awk '{print $2}')"
if [[ -z "$expect" || "$status" == "$expect" ]]; then ok "GET with User-Agent '$vlc_ua' answers $status"; else bad "GET answered $status, expected $expect" "$headers"; fi

# play NAME [cvlc options] — cvlc plays the URL into an MJPEG AVI; prints the decoded frame count.
play() {
  local tag="$1" out="$vdir/$1.ts" log="$DH_WORK/vlc-$1.log"; shift
  rm -f "$out"
  "${as_user[@]}" env HOME="$vdir/home" timeout "${VLC_TIMEOUT:-60}" cvlc -I dummy --no-media-library --no-dbus \
    --vout dummy --aout dummy --no-audio --play-and-exit --no-loop "$@" "$authed" \
    --sout "#transcode{vcodec=mp2v,vb=800,scale=0.5}:std{access=file,mux=ts,dst=$out}" vlc://quit >"$log" 2>&1 || true
  if [[ -s "$out" ]]; then
    ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$out" 2>/dev/null | head -n 1 | tr -dc 0-9 || true
  fi
  return 0
}

frames="$(play read)"; frames="${frames:-0}"
if (( frames >= 90 )); then ok "played the clip: $frames of 100 frames decoded"; dh_result vlc "$url" read pass "$frames of 100 frames decoded (GET $status)"
else bad "played the clip: $frames of 100 frames decoded (want >= 90)" "$DH_WORK/vlc-read.log"; dh_result vlc "$url" read fail "$frames of 100 frames decoded (GET $status)"; fi

frames="$(play seek --start-time=3)"; frames="${frames:-0}"
if (( frames >= 5 && frames < 90 )); then ok "played from 3 s: $frames frames decoded"; dh_result vlc "$url" seek pass "--start-time=3: $frames frames decoded"
else bad "played from 3 s: $frames frames decoded (want 5..89)" "$DH_WORK/vlc-seek.log"; dh_result vlc "$url" seek fail "--start-time=3: $frames frames decoded"; fi

curl -s -o /dev/null -u "$user:$pass" -X DELETE "$url$name" || true
echo "vlc: $npass passed, $nfail failed"
[[ $nfail -eq 0 ]]
