#!/usr/bin/env bash
# The cost of wipe-on-free (agent/core/wiping_allocator.cpp), with and without, in one run on
# one machine: the allocator alone (bench/wipe_bench), a warm form fill (bench/forms_bench built
# twice, alternating three rounds), and the whole agent under 100 clients (bench/server_bench
# against kakanai-agent and kakanai-agent-nowipe; 30 clients, under the default 32 connections
# per origin). Needs a Release build:
#   bench/wipe_bench.sh [BUILD_DIR]   (default build-release)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build-release}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "## Wipe-on-free"
echo
echo "Measured by \`bench/wipe_bench.sh\` (Release) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) ($(nproc) cores), $(date -u +%F)."
echo
"$build/bench/wipe_bench"
echo
for round in 1 2 3; do
  "$build/bench/forms_bench" "$PWD" juminhyo 200 "$out" >/dev/null && cp "$out/kakanai.json" "$out/plain$round.json"
  "$build/bench/forms_bench_wiping" "$PWD" juminhyo 200 "$out" >/dev/null && cp "$out/kakanai.json" "$out/wiping$round.json"
done
for agent in kakanai-agent-nowipe kakanai-agent; do
  bin="$build/agent/$agent"
  [ -x "$bin" ] || bin="$build/bench/$agent"
  "$build/bench/server_bench" "$bin" 30 200 > "$out/$agent.md"
done
/usr/bin/python3 - "$out" <<'PY'
import json, re, statistics, sys
out = sys.argv[1]
med = lambda kind, key: statistics.median(json.load(open(f"{out}/{kind}{i}.json"))[key] for i in (1, 2, 3))
pw, ww = med("plain", "warmMedianMs"), med("wiping", "warmMedianMs")
print("| form.fill 住民票 (forms_bench, warm median of 200, median of 3 rounds) | without | with | cost |")
print("|---|---:|---:|---:|")
print(f"| per page | {pw:.2f} ms | {ww:.2f} ms | {100 * (ww - pw) / pw:+.1f}% |")
print()
def rows(name):
    text = open(f"{out}/{name}.md").read()
    return dict(re.findall(r"^\| (.+?) \| (.+?) \|$", text, re.M))
a, b = rows("kakanai-agent-nowipe"), rows("kakanai-agent")
print("| agent under 30 clients × 200 requests (server_bench) | without | with |")
print("|---|---:|---:|")
for key in a:
    if key in b and key != "measure" and not key.startswith("---"):
        print(f"| {key} | {a[key]} | {b[key]} |")
PY
