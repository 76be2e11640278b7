#!/usr/bin/env bash
# dockerfile-check.sh — what can be checked of the container image without a Docker engine.
#
#   (a) lints the Dockerfile's structure: multi-stage (sdk:10.0 build, aspnet:10.0 runtime), the publish
#       command, a non-root USER, VOLUME /data, EXPOSE 5244, a HEALTHCHECK on /healthz, serve with
#       --config /data/drivers.json --listen http://0.0.0.0:5244, no ARG/ENV that looks like a secret;
#       .dockerignore keeps bin/obj, .git and local state out of the build context;
#   (b) runs the Dockerfile's `dotnet publish` into a temporary folder, starts the published driverhost.dll
#       with a config in a temporary /data-like folder on a free loopback port, checks that OPTIONS /dav/
#       answers 200, and stops it.
#
# The last line is "N passed, N failed" (one per step), as tests/run-all.sh expects.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=SCRIPTDIR/../clients/lib.sh
source "$root/tests/clients/lib.sh"
cd "$root"

passed=0; failed=0
step() { # step NAME RC
  if [[ $2 -eq 0 ]]; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}

# ---- (a) lint -------------------------------------------------------------------------------------
lint_rc=0
python3 - "$root/Dockerfile" "$root/.dockerignore" <<'PY' || lint_rc=$?
import re, sys, shlex

dockerfile, dockerignore = sys.argv[1], sys.argv[2]
text = open(dockerfile, encoding="utf-8").read()
# Join continuation lines, drop comments and blank lines.
lines, current = [], ""
for raw in text.splitlines():
    stripped = raw.strip()
    if not current and (not stripped or stripped.startswith("#")):
        continue
    if stripped.endswith("\\"):
        current += stripped[:-1] + " "
        continue
    current += stripped
    lines.append(current)
    current = ""
instructions = [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if len(l.split(None, 1)) > 1 else "") for l in lines]
problems = []

def find(name):
    return [arg for ins, arg in instructions if ins == name]

froms = find("FROM")
if len(froms) < 2:
    problems.append(f"expected a multi-stage build (2+ FROM), found {len(froms)}")
else:
    if not re.match(r"mcr\.microsoft\.com/dotnet/sdk:10\.0\b.*\bAS\s+\w+", froms[0], re.I):
        problems.append(f"first stage should be mcr.microsoft.com/dotnet/sdk:10.0 AS <name>: {froms[0]}")
    if not froms[-1].lower().startswith("mcr.microsoft.com/dotnet/aspnet:10.0"):
        problems.append(f"final stage should be mcr.microsoft.com/dotnet/aspnet:10.0: {froms[-1]}")

runs = " ;; ".join(find("RUN"))
if "dotnet publish src/DriverHost -c Release -o /app" not in runs:
    problems.append("the build stage must run `dotnet publish src/DriverHost -c Release -o /app`")
final_stage = []
seen = 0
for ins, arg in instructions:
    if ins == "FROM":
        seen += 1
        final_stage = []
    final_stage.append((ins, arg))
if not any(ins == "COPY" and "--from=" in arg and "/app" in arg for ins, arg in final_stage):
    problems.append("the runtime stage must COPY --from=<build> /app")

users = [arg for ins, arg in final_stage if ins == "USER"]
if not users:
    problems.append("the runtime stage sets no USER (it would run as root)")
elif users[-1].split(":")[0] in ("root", "0"):
    problems.append(f"the runtime stage runs as root (USER {users[-1]})")

volumes = " ".join(find("VOLUME"))
if "/data" not in volumes:
    problems.append("no VOLUME /data")
if not any(re.fullmatch(r"5244(/tcp)?", p) for arg in find("EXPOSE") for p in arg.split()):
    problems.append("no EXPOSE 5244")

health = find("HEALTHCHECK")
if not health:
    problems.append("no HEALTHCHECK")
elif "http://127.0.0.1:5244/healthz" not in health[-1]:
    problems.append(f"the HEALTHCHECK should probe http://127.0.0.1:5244/healthz: {health[-1]}")
elif "curl" in health[-1] and not re.search(r"apt-get install[^;]*\bcurl\b", " ".join(a for i, a in final_stage if i == "RUN")):
    problems.append("the HEALTHCHECK uses curl but the runtime stage does not install it")

command = " ".join(a for i, a in final_stage if i in ("ENTRYPOINT", "CMD"))
for needed in ("driverhost.dll", "--config", "/data/drivers.json", "--listen", "http://0.0.0.0:5244"):
    if needed not in command:
        problems.append(f"ENTRYPOINT/CMD should contain {needed}: {command}")

secret = re.compile(r"(token|secret|password|passwd|api[_-]?key|client[_-]?id|private[_-]?key|sign[_-]?key)", re.I)
for ins, arg in instructions:
    if ins in ("ARG", "ENV", "LABEL"):
        for word in re.split(r"\s+", arg):
            name = word.split("=", 1)[0]
            if secret.search(name):
                problems.append(f"{ins} {name} looks like a secret; pass secrets at run time through /data, never at build time")
    if ins in ("COPY", "ADD") and re.search(r"drivers\.json|state\.db", arg):
        problems.append(f"{ins} {arg}: local configuration or state must not be baked into the image")

ignored = [l.strip() for l in open(dockerignore, encoding="utf-8") if l.strip() and not l.startswith("#")]
for needed in ("**/bin/", "**/obj/", ".git/", "state.db*"):
    if needed not in ignored:
        problems.append(f".dockerignore should list {needed}")

for p in problems:
    print("dockerfile-check: " + p)
print(f"dockerfile-check: lint {'ok' if not problems else 'FAILED'} ({len(instructions)} instructions, {len(froms)} stages)")
sys.exit(1 if problems else 0)
PY
step "Dockerfile lint" "$lint_rc"

# ---- (b) publish and run ------------------------------------------------------------------------
dh_workdir
publish_rc=0
app="$DH_WORK/app"
data="$DH_WORK/data"
mkdir -p "$data/files"
# Same command as the Dockerfile's build stage, with the output redirected.
publish_cmd="$(sed -nE 's/^RUN (dotnet publish .*) -o \/app$/\1/p' "$root/Dockerfile")"
[[ -n "$publish_cmd" ]] || { echo "dockerfile-check: no 'RUN dotnet publish ... -o /app' line"; publish_rc=1; }
if [[ $publish_rc -eq 0 ]]; then
  echo "dockerfile-check: $publish_cmd -o $app"
  # shellcheck disable=SC2086
  $publish_cmd -o "$app" --nologo -v quiet >"$DH_WORK/publish.log" 2>&1 || { publish_rc=$?; tail -n 30 "$DH_WORK/publish.log"; }
fi
[[ $publish_rc -eq 0 && ! -f "$app/driverhost.dll" ]] && { echo "dockerfile-check: driverhost.dll missing from the publish output"; publish_rc=1; }
step "dotnet publish (as in the Dockerfile)" "$publish_rc"

run_rc=1
if [[ $publish_rc -eq 0 ]]; then
  DH_PORT="$(dh_free_port)"
  cat >"$data/drivers.json" <<JSON
{
  "server": { "listen": "http://127.0.0.1:1", "dav_prefix": "/dav", "state": "sqlite:state.db" },
  "users": [],
  "storages": [ { "mount_path": "/local", "driver": "Local", "addition": { "root_folder_path": "./files" } } ]
}
JSON
  DH_LOG="$DH_WORK/server.log"
  # The container's command line, with the loopback address instead of 0.0.0.0 (no users in this config).
  DH_SPAWN_DIR="$DH_WORK" dh_spawn DH_PID "$DH_LOG" \
    dotnet "$app/driverhost.dll" serve --config "$data/drivers.json" --listen "http://127.0.0.1:$DH_PORT"
  if dh_wait_ready "http://127.0.0.1:$DH_PORT/dav/"; then
    code="$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS "http://127.0.0.1:$DH_PORT/dav/")"
    if [[ "$code" == 200 ]]; then run_rc=0; else echo "dockerfile-check: OPTIONS /dav/ answered $code"; fi
    [[ -f "$data/state.db" ]] || { echo "dockerfile-check: the state store was not created next to drivers.json"; run_rc=1; }
  else
    echo "dockerfile-check: the published server did not come up; log:"; tail -n 30 "$DH_LOG"
  fi
  dh_stop
fi
step "published driverhost serves OPTIONS /dav/ (200)" "$run_rc"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
