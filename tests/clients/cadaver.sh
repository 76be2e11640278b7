#!/usr/bin/env bash
# cadaver.sh URL USER PASS — a scripted cadaver session (commands on stdin, credentials from ~/.netrc
# in a temporary HOME) against a WebDAV collection URL.
#
# Session: ls, mkcol, cd, put, get, ls, move, copy, ls, propset, propget, propnames, lock, unlock, rm, rm,
# ls, cd .., rmcol. cadaver echoes each command after its prompt ("dav:/path/> cmd"), so the output is
# split per command and each one is checked: "succeeded." present and no "failed"/"Could not" (plus
# the expected value for propget/propnames and the expected names for ls). The downloaded file must be
# byte-identical to the uploaded one. PASS/FAIL per step; exit 1 on any failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib.sh
source "$here/lib.sh"

if [[ $# -lt 1 ]]; then echo "usage: $0 URL [USER PASS]" >&2; exit 2; fi
url="$1"; user="${2:-}"; pass="${3:-}"
[[ "$url" == */ ]] || url="$url/"

dh_ensure_packages cadaver:cadaver python3:python3
dh_workdir

home="$DH_WORK/home"; local_dir="$DH_WORK/local"
mkdir -p "$home" "$local_dir"
host="$(python3 -c 'import sys,urllib.parse;print(urllib.parse.urlsplit(sys.argv[1]).hostname)' "$url")"
if [[ -n "$user" ]]; then
  printf 'machine %s\nlogin %s\npassword %s\n' "$host" "$user" "$pass" >"$home/.netrc"
  chmod 600 "$home/.netrc"
fi

coll="cadaver-$$-$RANDOM"
head -c 100000 /dev/urandom >"$local_dir/upload.bin"
propval="value-$RANDOM"

cat >"$DH_WORK/commands" <<EOF
ls
mkcol $coll
cd $coll
put upload.bin upload.bin
get upload.bin download.bin
ls
move upload.bin moved.bin
copy moved.bin copied.bin
ls
propset copied.bin myprop $propval
propget copied.bin myprop
propnames copied.bin
lock moved.bin
unlock moved.bin
rm copied.bin
rm moved.bin
ls
cd ..
rmcol $coll
quit
EOF

echo "$(cadaver --version 2>/dev/null | head -n 1) against $url (collection $coll)"
set +e
(cd "$local_dir" && HOME="$home" timeout "${CADAVER_TIMEOUT:-120}" cadaver "$url" <"$DH_WORK/commands" >"$DH_WORK/session.txt" 2>&1)
rc=$?
set -e
[[ $rc -eq 0 ]] || echo "note: cadaver exited with $rc"

set +e
python3 - "$DH_WORK/session.txt" "$propval" "$rc" "$DH_WORK/ops.tsv" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read().replace("\r", "")
propval, rc = sys.argv[2], int(sys.argv[3])
# Split on the echoed prompt lines: "dav:/dav/local/> put a b"
parts = re.split(r"^dav:[^\n]*?[>?] ?(.*)$", text, flags=re.M)
preamble, blocks = parts[0], list(zip(parts[1::2], parts[2::2]))
npass = nfail = 0

def report(ok, name, block, why=""):
    global npass, nfail
    if ok:
        npass += 1; print(f"PASS  cadaver: {name}")
    else:
        nfail += 1; print(f"FAIL  cadaver: {name}{': ' + why if why else ''}")
        print("      | " + "\n      | ".join((block.strip() or "<no output>").splitlines()[:20]))

if not blocks:
    report(False, "session", preamble or text, "no command prompts in cadaver's output (could not open the URL?)")
if re.search(r"Could not (access|connect)|authentication failed|not WebDAV-enabled", preamble):
    report(False, "open", preamble, "opening the collection failed")

ls_no = 0
ops = {}
for cmd, block in blocks:
    verb = cmd.split()[0] if cmd.split() else ""
    if verb == "quit":
        continue
    bad = re.search(r"\bfailed\b|Could not|Not connected|not WebDAV", block, re.I)
    ok, why = True, ""
    if bad:
        ok, why = False, "output reports a failure"
    elif verb == "propget":
        ok = f"Value of myprop is: {propval}" in block
        why = "" if ok else f"expected 'Value of myprop is: {propval}'"
    elif verb == "propnames":
        ok = "myprop" in block
        why = "" if ok else "myprop not among the property names"
    elif verb not in ("cd", "ls") and "succeeded." not in block:
        ok, why = False, "no 'succeeded.'"
    elif verb == "ls" and "succeeded." not in block and "collection is empty." not in block:
        ok, why = False, "no 'succeeded.'"
    if ok and verb == "ls":
        ls_no += 1
        names = set(re.findall(r"^\s*(?:Coll:)?\s*(\S+)\s+\d+\s+\w{3}\s+\d+", block, re.M))
        want = {2: ({"upload.bin"}, set()), 3: ({"moved.bin", "copied.bin"}, {"upload.bin"}),
                4: (set(), {"moved.bin", "copied.bin"})}.get(ls_no)
        if want:
            missing, extra = want[0] - names, want[1] & names
            if missing or extra:
                ok, why = False, f"listing: missing {sorted(missing)}, still present {sorted(extra)}"
    report(ok, cmd, block, why)
    op = {"ls": "list", "mkcol": "write", "put": "write", "get": "read", "move": "rename", "copy": "copy",
          "propset": "props", "propget": "props", "propnames": "props", "lock": "lock", "unlock": "lock",
          "rm": "delete", "rmcol": "delete"}.get(verb)
    if op:
        prev = ops.get(op)
        if not ok:
            ops[op] = ("fail", f"'{cmd}': {why}")
        elif prev is None:
            ops[op] = ("pass", f"'{cmd}'")
        elif prev[0] == "pass":
            ops[op] = ("pass", prev[1] + f", '{cmd}'")

expected = 19  # commands in the script other than quit
seen = sum(1 for c, _ in blocks if c.split() and c.split()[0] != "quit")
if blocks and seen < expected:
    report(False, "session", text[-2000:], f"only {seen} of {expected} commands ran")
if rc != 0:
    report(False, "cadaver exit status", text[-2000:], f"exit code {rc}")
with open(sys.argv[4], "w") as f:
    for op, (status, note) in ops.items():
        f.write(f"{op}\t{status}\t{note}\n")
print(f"cadaver session: {npass} passed, {nfail} failed")
sys.exit(1 if nfail else 0)
PY
prc=$?
set -e

bytes_ok=1
if cmp -s "$local_dir/upload.bin" "$local_dir/download.bin"; then
  echo "PASS  cadaver: downloaded bytes equal uploaded bytes"
else
  echo "FAIL  cadaver: downloaded file differs from the uploaded one (or is missing)"
  prc=1; bytes_ok=0
fi
# Client-matrix lines, one per operation the session exercised (read also needs equal bytes).
if [[ -f "$DH_WORK/ops.tsv" ]]; then
  while IFS=$'\t' read -r op status note; do
    if [[ "$op" == read && $bytes_ok == 0 ]]; then status=fail; note="$note; downloaded bytes differ"; fi
    dh_result cadaver "$url" "$op" "$status" "$note"
  done <"$DH_WORK/ops.tsv"
else
  dh_result cadaver "$url" list fail "the session could not be parsed"
fi
dh_result cadaver "$url" seek n/a "cadaver has no ranged GET"
if [[ $prc -ne 0 ]]; then
  echo "----- full cadaver session -----"; cat "$DH_WORK/session.txt"; echo "----- end -----"
  echo "cadaver: FAILED"; exit 1
fi
echo "cadaver: all steps passed"
