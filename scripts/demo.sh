#!/usr/bin/env bash
# Sets everything up, builds, and runs the agent. With no card reader on the machine it uses the
# built-in virtual card (a fictional resident, PIN 1234), which runs the same applet code as a
# real card.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DKAKANAI_TESTS=OFF -DKAKANAI_BENCH=OFF >/dev/null
cmake --build build-release -j "$(nproc)"
AGENT=build-release/agent/kakanai-agent

MODE=(--demo)
if pgrep -x pcscd >/dev/null 2>&1 && "$AGENT" readers 2>/dev/null | grep -q '"cardPresent":true'; then
  MODE=()
  echo "A card reader with a card was found: using it."
else
  echo "No card reader with a card: using the built-in virtual card (PIN 1234)."
  MODE+=("$@")
fi

echo; echo "== readers"; "$AGENT" readers "${MODE[@]}"
echo; echo "== card status (reads the PIN retry counter without using a try)"; "$AGENT" card-status "${MODE[@]}"
echo; echo "== card read"
if [ -t 0 ]; then
  "$AGENT" card-read "${MODE[@]}" || true
else
  echo 1234 | "$AGENT" card-read "${MODE[@]}" || true
fi
echo
echo "The WebSocket server and the demo counter page are not built yet (issue 4); the commands above"
echo "are the agent's support CLI. '$AGENT' with no arguments lists them."
