#!/usr/bin/env bash
# chromium.sh URL USER PASS — a browser's view of the host's HTML listing of a WebDAV collection URL.
#
# Puts a collection with a Chinese name holding a folder and a text file with Chinese names (and a space)
# on the mount (curl MKCOL/PUT), then with headless Chromium (--headless --no-sandbox --disable-gpu,
# credentials in the URL's userinfo, as a user would type them):
#   - list: --dump-dom of the collection's listing: a row per entry whose link text is the name (folders
#     with a trailing "/"), the file's size with thousands separators, a folder's "-", an RFC 1123 date
#     within a day of now, and hrefs that percent-decode to the collection path + the name;
#   - read: every href answers 200 to curl (-L: a 302 mount redirects to the provider's link), the file's
#     bytes equal what was put, and Chromium opening the file's href shows its text (--dump-dom);
#   - a screenshot of the listing (--screenshot --window-size=1200,800), its path printed; copied to
#     $DH_ARTIFACTS when set (otherwise it stays in the work dir, kept with DH_KEEP_WORK=1).
# Every step prints PASS/FAIL. Exit 1 if any failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

if [[ $# -lt 3 ]]; then echo "usage: $0 URL USER PASS" >&2; exit 2; fi
url="${1%/}/"; user="$2"; pass="$3"
# fonts-noto-cjk: without a CJK font the screenshot shows boxes for the Chinese names.
dh_ensure_packages chromium:chromium curl:curl python3:python3 /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:fonts-noto-cjk || true
dh_workdir

npass=0; nfail=0
ok() { npass=$((npass + 1)); echo "PASS  chromium: $1"; }
bad() { nfail=$((nfail + 1)); echo "FAIL  chromium: $1"; [[ -z "${2:-}" ]] || { echo "----- $2 (last 30 lines but D-Bus noise) -----"; grep -v -i dbus "$2" | tail -n 30 | cut -c1-300; echo "-----"; }; }
if ! command -v chromium >/dev/null 2>&1; then
  echo "SKIP  chromium: chromium is not installed and could not be installed"
  dh_result chromium "$url" list n/a "skipped: chromium not installed"; dh_result chromium "$url" read n/a "skipped: chromium not installed"
  exit 0
fi

enc() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$1"; }
coll="浏览器-$$-$RANDOM"; folder="中文目录 资料"; file="中文文件 测试.txt"
coll_url="$url$(enc "$coll")/"
marker="$(head -c 3000 /dev/urandom | base64 -w 0)"
printf '浏览器读取的内容 %s\n' "$marker" >"$DH_WORK/file.txt"
size="$(stat -c %s "$DH_WORK/file.txt")"

c1="$(curl -s -o /dev/null -w '%{http_code}' -u "$user:$pass" -X MKCOL "$coll_url")"
c2="$(curl -s -o /dev/null -w '%{http_code}' -u "$user:$pass" -X MKCOL "$coll_url$(enc "$folder")/")"
c3="$(curl -s -o /dev/null -w '%{http_code}' -u "$user:$pass" -T "$DH_WORK/file.txt" "$coll_url$(enc "$file")")"
if [[ "$c1 $c2 $c3" =~ ^201\ 201\ (201|204)$ ]]; then ok "MKCOL $coll/, MKCOL $folder/, PUT $file ($size bytes)"
else bad "MKCOL/MKCOL/PUT answered $c1 $c2 $c3"; fi

authed() { python3 -c 'import sys,urllib.parse as u;p=u.urlsplit(sys.argv[1]);print(p._replace(netloc=u.quote(sys.argv[2],safe="")+":"+u.quote(sys.argv[3],safe="")+"@"+p.netloc).geturl())' "$1" "$user" "$pass"; }
chrome() {  # chrome LOG ARGS... — headless Chromium, its own profile dir, 60 s at most
  local log="$1"; shift
  timeout "${CHROMIUM_TIMEOUT:-60}" chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$DH_WORK/profile" "$@" 2>"$log"
}

dom="$DH_WORK/listing.html"
chrome "$DH_WORK/chromium-dom.log" --dump-dom "$(authed "$coll_url")" >"$dom" || true
links="$DH_WORK/links.txt"
set +e
python3 - "$dom" "$coll_url" "$folder" "$file" "$size" "$links" <<'PY'
import html.parser, sys, urllib.parse, email.utils, time
dom, coll_url, folder, file, size, links_out = sys.argv[1:]
class P(html.parser.HTMLParser):
    def __init__(s): super().__init__(); s.rows = []; s.row = None; s.cell = None; s.href = None
    def handle_starttag(s, tag, attrs):
        if tag == "tr": s.row = {"cells": [], "href": None}
        elif tag == "td" and s.row is not None: s.cell = ""
        elif tag == "a" and s.row is not None: s.row["href"] = dict(attrs).get("href")
    def handle_data(s, d):
        if s.cell is not None: s.cell += d
    def handle_endtag(s, tag):
        if tag == "td" and s.row is not None and s.cell is not None: s.row["cells"].append(s.cell.strip()); s.cell = None
        elif tag == "tr" and s.row is not None:
            if s.row["cells"]: s.rows.append(s.row)
            s.row = None
p = P(); p.feed(open(dom, encoding="utf-8", errors="replace").read())
rows = {r["cells"][0]: r for r in p.rows if len(r["cells"]) >= 3}
coll_path = urllib.parse.unquote(urllib.parse.urlsplit(coll_url).path)
problems, out = [], []
for name, is_dir in ((folder + "/", True), (file, False)):
    r = rows.get(name)
    if not r:
        problems.append(f"no row whose link text is {name!r} (rows: {sorted(rows)})"); continue
    _, shown_size, shown_date = r["cells"][:3]
    want_size = "-" if is_dir else f"{int(size):,}"
    if shown_size != want_size: problems.append(f"{name}: size {shown_size!r}, want {want_size!r}")
    try:
        t = email.utils.parsedate_to_datetime(shown_date).timestamp()
        if abs(t - time.time()) > 86400: problems.append(f"{name}: date {shown_date!r} is not within a day of now")
    except Exception:
        problems.append(f"{name}: date {shown_date!r} is not an RFC 1123 date")
    href = r["href"] or ""
    decoded = urllib.parse.unquote(urllib.parse.urlsplit(urllib.parse.urljoin(coll_url, href)).path)
    if decoded != coll_path + name: problems.append(f"{name}: href {href!r} decodes to {decoded!r}, want {coll_path + name!r}")
    out.append(("dir" if is_dir else "file") + "\t" + urllib.parse.urljoin(coll_url, href))
    print(f"  {name!r}: size {shown_size!r}, date {shown_date!r}, href {href}")
open(links_out, "w").write("\n".join(out) + "\n")
for x in problems: print("  problem: " + x)
sys.exit(1 if problems else 0)
PY
prc=$?
set -e
if [[ $prc -eq 0 ]]; then
  ok "listing DOM shows '$folder/' and '$file' with size, date and hrefs that decode to the names"
  dh_result chromium "$url" list pass "DOM: Chinese names, sizes, RFC 1123 dates, percent-encoded hrefs"
else
  bad "listing DOM (--dump-dom)" "$DH_WORK/chromium-dom.log"; echo "----- DOM -----"; head -c 3000 "$dom"; echo
  dh_result chromium "$url" list fail "listing DOM missing names, sizes, dates or hrefs"
fi

read_ok=1; read_note=""
while IFS=$'\t' read -r kind link; do
  [[ -n "$link" ]] || continue
  code="$(curl -s -L -o "$DH_WORK/got" -w '%{http_code} %{num_redirects}' -u "$user:$pass" "$link")"
  if [[ "${code%% *}" == 200 ]]; then ok "GET $kind href answers 200 (redirects followed: ${code##* })"
  else bad "GET $kind href $link answered $code"; read_ok=0; read_note="GET $kind href: $code"; fi
  if [[ "$kind" == file ]]; then
    if cmp -s "$DH_WORK/got" "$DH_WORK/file.txt"; then ok "file bytes equal what was put"
    else bad "file bytes differ from what was put"; read_ok=0; read_note="bytes differ"; fi
    chrome "$DH_WORK/chromium-file.log" --dump-dom "$(authed "$link")" >"$DH_WORK/file-dom.html" || true
    # The ASCII part: the host sends text/plain without a charset, so Chromium guesses the encoding.
    if grep -qF "${marker:0:200}" "$DH_WORK/file-dom.html"; then ok "Chromium opening the file's href shows its text"
    else bad "Chromium opening the file's href does not show its text" "$DH_WORK/chromium-file.log"; read_ok=0; read_note="Chromium did not show the file's text"; fi
  fi
done <"$links"
[[ -s "$links" ]] || { read_ok=0; read_note="no hrefs in the listing"; }
if [[ $read_ok == 1 ]]; then dh_result chromium "$url" read pass "hrefs answer 200, Chromium shows the file's text"
else dh_result chromium "$url" read fail "$read_note"; fi

mount="$(sed -E 's#^[a-z]+://[^/]*/dav/##; s#/.*$##' <<<"$url")"
shot="$DH_WORK/chromium-listing-${mount:-root}.png"
chrome "$DH_WORK/chromium-shot.log" --screenshot="$shot" --window-size=1200,800 --hide-scrollbars "$(authed "$coll_url")" >/dev/null || true
if [[ -s "$shot" ]]; then
  if [[ -n "${DH_ARTIFACTS:-}" ]]; then mkdir -p "$DH_ARTIFACTS" && cp "$shot" "$DH_ARTIFACTS/" && shot="$DH_ARTIFACTS/$(basename "$shot")"; fi
  ok "screenshot $shot"
else
  bad "no screenshot" "$DH_WORK/chromium-shot.log"
fi

curl -s -o /dev/null -u "$user:$pass" -X DELETE "$coll_url" || true
echo "chromium: $npass passed, $nfail failed"
[[ $nfail -eq 0 ]]
