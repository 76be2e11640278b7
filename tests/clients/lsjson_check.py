#!/usr/bin/env python3
"""Assertions over `rclone lsjson -R` output, used by rclone.sh.

  lsjson_check.py tree LOCAL_DIR LSJSON_FILE TMIN TMAX
      the remote listing has exactly the local tree's files and directories, with the same sizes;
      every file's ModTime is within [TMIN, TMAX] (unix seconds). Directory times are only reported.
  lsjson_check.py has LSJSON_FILE PATH [SIZE|dir]     PATH is listed (as a file of SIZE bytes, or a dir)
  lsjson_check.py absent LSJSON_FILE PATH             PATH is not listed
  lsjson_check.py hashes LOCAL_DIR LSJSON_FILE KIND  (`lsjson -R --hash`) KIND sha1|md5: every local file is
      listed with that hash equal to the local file's; none: no file is listed with a non-empty hash
  lsjson_check.py mtime LSJSON_FILE PATH UNIX         PATH's ModTime is UNIX (seconds) to the second

Prints one line per problem and exits 1 if there is any.
"""
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone


def parse_time(s):
    """rclone prints RFC 3339 with up to 9 fractional digits and Z or +hh:mm."""
    m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$", s or "")
    if not m:
        return None
    base = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    frac = float(m.group(2) or 0)
    tz = m.group(3)
    if tz == "Z":
        off = timedelta(0)
    else:
        sign = 1 if tz[0] == "+" else -1
        off = sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    return (base - off).replace(tzinfo=timezone.utc).timestamp() + frac


def load(path):
    with open(path, encoding="utf-8") as f:
        return {e["Path"]: e for e in json.load(f)}


def local_tree(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for d in dirnames:
            out[os.path.normpath(os.path.join(rel, d))] = None
        for f in filenames:
            out[os.path.normpath(os.path.join(rel, f))] = os.path.getsize(os.path.join(dirpath, f))
    return out


def cmd_tree(root, listing, tmin, tmax):
    remote = load(listing)
    local = local_tree(root)
    problems = []
    for p, size in sorted(local.items()):
        e = remote.get(p)
        if e is None:
            problems.append(f"missing on remote: {p!r}")
            continue
        if size is None:
            if not e.get("IsDir"):
                problems.append(f"{p!r}: expected a directory, remote says file")
            continue
        if e.get("IsDir"):
            problems.append(f"{p!r}: expected a file, remote says directory")
            continue
        if e.get("Size") != size:
            problems.append(f"{p!r}: size {e.get('Size')} on remote, {size} locally")
    for p in sorted(set(remote) - set(local)):
        problems.append(f"unexpected on remote: {p!r}")
    for p, e in sorted(remote.items()):
        t = parse_time(e.get("ModTime"))
        ok = t is not None and tmin <= t <= tmax
        if e.get("IsDir"):
            if not ok:
                print(f"note: directory {p!r} ModTime {e.get('ModTime')} is not within the run window")
        elif not ok:
            problems.append(f"{p!r}: ModTime {e.get('ModTime')} is not within "
                            f"[{datetime.fromtimestamp(tmin, timezone.utc).isoformat()}, "
                            f"{datetime.fromtimestamp(tmax, timezone.utc).isoformat()}]")
    files = sum(1 for v in local.values() if v is not None)
    print(f"compared {files} files and {len(local) - files} directories; {len(problems)} problem(s)")
    return problems


def cmd_has(listing, path, want=None):
    e = load(listing).get(path)
    if e is None:
        return [f"{path!r} is not listed"]
    if want == "dir":
        return [] if e.get("IsDir") else [f"{path!r} is a file, expected a directory"]
    if want is not None:
        if e.get("IsDir"):
            return [f"{path!r} is a directory, expected a file"]
        if e.get("Size") != int(want):
            return [f"{path!r} has size {e.get('Size')}, expected {want}"]
    return []


def cmd_absent(listing, path):
    return [f"{path!r} is still listed"] if path in load(listing) else []


def cmd_hashes(root, listing, kind):
    import hashlib
    remote = load(listing)
    keys = {"sha1": ("sha1", "SHA-1"), "md5": ("md5", "MD5")}.get(kind)  # rclone 1.60 prints "sha1", later "SHA-1"
    problems, checked = [], 0
    for p, size in sorted(local_tree(root).items()):
        if size is None:
            continue
        e = remote.get(p)
        if e is None:
            problems.append(f"missing on remote: {p!r}")
            continue
        got = {k: v for k, v in (e.get("Hashes") or {}).items() if v}
        if keys is None:
            if got:
                problems.append(f"{p!r}: hashes {got} listed, expected none")
            continue
        with open(os.path.join(root, p), "rb") as f:
            want = hashlib.new(kind, f.read()).hexdigest()
        value = next((got[k] for k in keys if k in got), None)
        if value != want:
            problems.append(f"{p!r}: {kind} {value!r} on remote, {want} locally")
        checked += 1
    print(f"{kind}: {checked} file hash(es) compared; {len(problems)} problem(s)")
    return problems


def cmd_mtime(listing, path, unix):
    e = load(listing).get(path)
    if e is None:
        return [f"{path!r} is not listed"]
    t = parse_time(e.get("ModTime"))
    if t is None or int(t) != int(unix):
        return [f"{path!r}: ModTime {e.get('ModTime')}, expected "
                f"{datetime.fromtimestamp(int(unix), timezone.utc).isoformat()}"]
    print(f"{path!r}: ModTime {e.get('ModTime')} as sent")
    return []


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "tree":
        problems = cmd_tree(args[0], args[1], float(args[2]), float(args[3]))
    elif cmd == "has":
        problems = cmd_has(*args)
    elif cmd == "absent":
        problems = cmd_absent(*args)
    elif cmd == "hashes":
        problems = cmd_hashes(*args)
    elif cmd == "mtime":
        problems = cmd_mtime(*args)
    else:
        print(__doc__)
        return 2
    for p in problems:
        print("problem:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
