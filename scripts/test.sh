#!/usr/bin/env bash
# Sets everything up and runs every test: unit and integration tests (real pcscd + vpcd +
# virtual cards, OpenSC as an outside client) under ASan+UBSan, the install tree check, and the
# libFuzzer targets for a bounded time each; the Debian package (scripts/package.sh) installed,
# upgraded and purged. Integration tests need root (private namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"

bash scripts/setup.sh

echo "== build (Debug, ASan+UBSan)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKAKANAI_SANITIZE=ON >/dev/null
cmake --build build -j "$JOBS"

echo "== unit, integration and install tests"
ctest --test-dir build --output-on-failure -j "$JOBS" --timeout 300

# The Debian package is installed system-wide, so it is tested here, after ctest and alone, not
# among ctest's parallel tests (an /etc/kakanai/agent.json would change what their agents read).
echo "== Debian package (Release tree in build-release, lintian, install/upgrade/purge) and npm pack"
bash scripts/package.sh --npm
lintian_out="$(lintian --fail-on error build-release/kakanai_*_amd64.deb 2>&1 | grep -v 'running with root privileges' || true)"
[ -z "$lintian_out" ] || echo "$lintian_out"
lintian --fail-on error build-release/kakanai_*_amd64.deb >/dev/null 2>&1
bash tests/package/deb_install_test.sh build-release

echo "== fuzz targets (clang, libFuzzer)"
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAKANAI_FUZZ=ON \
  -DKAKANAI_FUZZ_SECONDS="${KAKANAI_FUZZ_SECONDS:-20}" >/dev/null
cmake --build build-fuzz -j "$JOBS"
ctest --test-dir build-fuzz --output-on-failure -j "$JOBS" -L fuzz
