#!/usr/bin/env bash
# The Debian package as an administrator uses it (run as root by scripts/test.sh after ctest, not
# inside ctest: it installs system-wide, and an /etc/kakanai/agent.json present while other tests
# run would change what every agent started without --config reads):
#  1. installs the same tree packed as an older version with `apt-get install ./…deb`, edits
#     /etc/kakanai/agent.json, upgrades to the package under test: the edit is kept;
#  2. the installed agent, as a user with a fresh home, reads /etc/kakanai/agent.json then
#     ~/.config/kakanai/agent.json over it, answers /health in demo mode, and its CLI fills a form;
#     nothing under /usr or /etc changes while it runs (dpkg --verify), its state goes to
#     $XDG_STATE_HOME;
#  3. purges the package: nothing of ours is left but the user's own configuration and state.
# Usage: deb_install_test.sh BUILD_RELEASE_DIR   (the tree scripts/package.sh built)
set -euo pipefail
build="$(cd "$1" && pwd)"
shared="$(cd "$(dirname "$0")/../.." && pwd)/../shared"
[ "$(id -u)" -eq 0 ] || { echo "deb install test: needs root (apt-get install)"; exit 1; }
if dpkg-query -W -f='${Status}' kakanai 2>/dev/null | grep -q "installed"; then
  echo "deb install test: a kakanai package is already installed here; not touching it"; exit 1
fi
deb="$(ls "$build"/kakanai_*_amd64.deb)"
version="$(dpkg-deb -f "$deb" Version)"
work="$(mktemp -d)"
agent_pid=""
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
  if dpkg-query -W -f='${Status}' kakanai 2>/dev/null | grep -q "installed\|config-files"; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq kakanai >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "deb install test: $*"; exit 1; }
ours() {  # every path of ours outside the user's home, wherever a package could leave one
  find /usr /etc /var /opt -xdev \( -iname '*kakanai*' \) 2>/dev/null \
    | grep -v '^/etc/postgresql-common/createcluster.d/kakanai.conf$' | sort || true
}
ours > "$work/before"

echo "== the previous version, and an administrator's edit"
(cd "$build" && cpack -G DEB -B "$work/prev" -D CPACK_PACKAGE_VERSION="${version}~prev" >/dev/null)
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$work"/prev/kakanai_*~prev_amd64.deb >/dev/null
[ "$(dpkg-query -W -f='${Version}' kakanai)" = "${version}~prev" ] || fail "previous version not installed"
port1=$((20000 + RANDOM % 20000)); port2=$((port1 + 1))
cat > /etc/kakanai/agent.json <<JSON
{"port": $port1, "allowOrigins": ["https://madoguchi.city.example.lg.jp"], "logLevel": "debug"}
JSON
cp /etc/kakanai/agent.json "$work/edited.json"

echo "== upgrade to $version"
apt-get install -y -qq "$deb" >/dev/null
[ "$(dpkg-query -W -f='${Version}' kakanai)" = "$version" ] || fail "upgrade did not install $version"
cmp -s /etc/kakanai/agent.json "$work/edited.json" || fail "the upgrade changed /etc/kakanai/agent.json"
for f in /usr/bin/kakanai-agent /usr/bin/kakanai-virtual-card /usr/share/kakanai/fonts/manifest.json \
         /usr/share/kakanai/web/kakanai-client.js /usr/share/kakanai/db/postgresql/001_attendance_records.sql \
         /usr/lib/systemd/user/kakanai-agent.service /usr/share/doc/kakanai/copyright \
         /usr/share/man/man1/kakanai-agent.1.gz; do
  [ -e "$f" ] || fail "missing $f"
done
grep -q '^ExecStart=/usr/bin/kakanai-agent serve$' /usr/lib/systemd/user/kakanai-agent.service || fail "unit's ExecStart"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /usr/lib/systemd/user/kakanai-agent.service || fail "systemd-analyze verify of the unit"
fi
[ "$(/usr/bin/kakanai-agent data-dir)" = /usr/share/kakanai ] || fail "data dir is $(/usr/bin/kakanai-agent data-dir)"

echo "== the installed agent, as a clerk with a fresh home"
home="$work/home"; mkdir -p "$home"
run_agent() {  # starts the installed agent in demo mode; waits for /health on port $1
  env -i PATH=/usr/bin:/bin HOME="$home" XDG_STATE_HOME="$home/.local/state" \
    /usr/bin/kakanai-agent serve --demo >"$work/agent.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 100); do
    if python3 - "$1" <<'PY' 2>/dev/null; then return 0; fi
import json, sys, urllib.request
body = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1))
assert body["status"] == "ok", body
PY
    kill -0 "$agent_pid" 2>/dev/null || { cat "$work/agent.log"; fail "agent exited"; }
    sleep 0.1
  done
  cat "$work/agent.log"; fail "no /health on port $1"
}
stop_agent() { kill "$agent_pid"; wait "$agent_pid" 2>/dev/null || true; agent_pid=""; }
run_agent "$port1"   # the port comes from /etc/kakanai/agent.json
stop_agent
[ -d "$home/.local/state/kakanai" ] || fail "no state under \$XDG_STATE_HOME/kakanai"
mkdir -p "$home/.config/kakanai"
echo "{\"port\": $port2}" > "$home/.config/kakanai/agent.json"
run_agent "$port2"   # the clerk's ~/.config/kakanai/agent.json over the PC's
stop_agent

python3 - "$shared/cases/residents.json" "$work/person.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["residents"][0]
json.dump({k: r[k] for k in ("name", "address", "birthDate", "sex")}, open(sys.argv[2], "w"), ensure_ascii=False)
PY
echo '{"copies": 1}' > "$work/values.json"
(cd "$work" && env -i PATH=/usr/bin:/bin HOME="$home" /usr/bin/kakanai-agent fill --form juminhyo \
  --person person.json --values values.json --date 2026-12-01 -o "$work/out.pdf" >"$work/fill.json") \
  || { cat "$work/fill.json"; fail "fill with the installed CLI"; }
name="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$work/person.json")"
pdftotext "$work/out.pdf" - | tr -d '\n' | grep -qF "$name" || fail "the filled form does not carry the name"

# Only the administrator's edit of the conffile may differ from what the package shipped.
changed="$(dpkg --verify kakanai | grep -v ' c /etc/kakanai/agent.json$' || true)"
[ -z "$changed" ] || fail "files of the package changed while the agent ran: $changed"
listed="$(dpkg -L kakanai | sort)"
extra="$(find /usr/share/kakanai /etc/kakanai | sort | comm -23 - <(echo "$listed"))"
[ -z "$extra" ] || fail "the agent wrote under /usr or /etc: $extra"

echo "== purge"
apt-get purge -y -qq kakanai >/dev/null
ours > "$work/after"
diff -u "$work/before" "$work/after" || fail "left behind after purge (above)"
echo "deb install test: ok ($version; upgrade from ${version}~prev kept the edited /etc/kakanai/agent.json)"
