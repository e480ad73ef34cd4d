#!/usr/bin/env bash
# Builds the Debian package for counter PCs from a Release tree (build-release, incremental):
#   bash scripts/package.sh            -> build-release/kakanai_<version>_amd64.deb
#   bash scripts/package.sh --npm      -> also build-release/kakanai-client-<version>.tgz (npm pack)
# Hardened like Debian's own packages (dpkg-buildflags' defaults for bookworm).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DKAKANAI_TESTS=OFF -DKAKANAI_BENCH=OFF "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS="-D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection -fcf-protection" \
  -DCMAKE_EXE_LINKER_FLAGS="-Wl,-z,relro -Wl,-z,now" >/dev/null
cmake --build build-release -j "$JOBS"
(cd build-release && rm -f kakanai_*.deb && cpack -G DEB >/dev/null)
ls build-release/kakanai_*_amd64.deb
if [ "${1:-}" = "--npm" ]; then
  (cd build-release && npm pack --silent ../agent/web >/dev/null)
  ls build-release/kakanai-client-*.tgz
fi
