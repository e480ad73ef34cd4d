#!/usr/bin/env bash
# Sets everything up, builds and runs the agent with the demo counter page at
# http://localhost:47800/ . With no card reader (or no card in it) it uses the built-in virtual
# card — a fictional resident, PIN 1234 — which runs the same applet code as a real card.
# Stop it with Ctrl-C (sessions are wiped on the way out).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${KAKANAI_PORT:-47800}"

bash scripts/setup.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DKAKANAI_TESTS=OFF -DKAKANAI_BENCH=OFF >/dev/null
cmake --build build-release -j "$(nproc)"
AGENT=build-release/agent/kakanai-agent

if pgrep -x pcscd >/dev/null 2>&1 && "$AGENT" readers 2>/dev/null | grep -q '"cardPresent":true'; then
  echo "A card reader with a card was found: the agent uses it."
  MODE=(--demo-page)
else
  echo "No card reader with a card: the agent uses the built-in virtual card (PIN 1234)."
  MODE=(--demo)
fi
echo "Open http://localhost:${PORT}/ in a browser."
exec "$AGENT" serve "${MODE[@]}" --port "$PORT" "$@"
