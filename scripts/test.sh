#!/usr/bin/env bash
# Sets everything up and runs every test: unit and integration tests (real pcscd + vpcd +
# virtual cards, OpenSC as an outside client) under ASan+UBSan, the install tree check, and the
# libFuzzer targets for a bounded time each. Integration tests need root (private namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"

bash scripts/setup.sh

echo "== build (Debug, ASan+UBSan)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKAKANAI_SANITIZE=ON >/dev/null
cmake --build build -j "$JOBS"

echo "== unit, integration and install tests"
ctest --test-dir build --output-on-failure -j "$JOBS" --timeout 300

echo "== fuzz targets (clang, libFuzzer)"
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAKANAI_FUZZ=ON \
  -DKAKANAI_FUZZ_SECONDS="${KAKANAI_FUZZ_SECONDS:-20}" >/dev/null
cmake --build build-fuzz -j "$JOBS"
ctest --test-dir build-fuzz --output-on-failure -j "$JOBS" -L fuzz
