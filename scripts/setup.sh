#!/usr/bin/env bash
# Installs every Debian package Kakanai needs to build, run and test.
# Idempotent: when everything is already there it touches nothing.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  # libraries the agent links
  libpoco-dev libssl-dev libpcsclite-dev
  # card stack used by the agent and the integration tests
  pcscd vsmartcard-vpcd opensc
  # private network and mount namespaces for the integration tests (unshare is in util-linux)
  iproute2 util-linux
  # tests
  libgtest-dev libgmock-dev libpng-dev
  # form engine: PDF objects, shaping and subsetting; PDF checks in the tests
  libpodofo-dev libharfbuzz-dev qpdf poppler-utils python3 python3-jsonschema
  # template intake: libqpdf normalises a municipality's real PDF once (repair, decrypt, appearances)
  libqpdf-dev
  # printing: libcups for the agent; a real IPP printer (ippeveprinter) for the tests, which
  # needs avahi on a private D-Bus
  libcups2-dev cups-ipp-utils avahi-daemon dbus
  # attendance: SQLite on each PC, PostgreSQL for central collection (server for the tests)
  libsqlite3-dev sqlite3 libpq-dev postgresql
  # the counter page end to end in real headless Chromium (playwright-core from npm drives it)
  chromium nodejs npm
  # the Debian package: lintian checks it (scripts/package.sh, tests/package/deb_install_test.sh)
  lintian
  # fonts named in fonts/manifest.json
  fonts-morisawa-bizud-mincho fonts-morisawa-bizud-gothic fonts-ipamj-mincho
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# A machine image may bring its own Node.js; Debian's is only installed where there is none.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all Debian packages present"
else
  echo "setup: installing ${missing[*]}"
  # The tests start their own PostgreSQL (initdb in a temporary folder, loopback port); Debian's
  # package would otherwise create and start a system-wide cluster nobody asked for.
  if [ ! -e /etc/postgresql-common/createcluster.d/kakanai.conf ]; then
    $SUDO mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/kakanai.conf >/dev/null
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages for the end-to-end tests (playwright-core drives /usr/bin/chromium; it downloads no
# browser) and for the typed client's test (typescript).
cd "$(dirname "$0")/.."
if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --silent)
fi
# pdf.js for the pages that render PDFs themselves (the form designer's, agent/designer/web, and the
# demo counter page's preview, agent/web): its build, CMaps and licence are copied into each page's
# pdfjs/, which that page's server serves (no CDN, nothing fetched at run time).
if [ ! -f agent/designer/web/pdfjs/pdf.min.mjs ] || [ ! -f agent/web/pdfjs/pdf.min.mjs ]; then
  [ -d agent/designer/web/node_modules/pdfjs-dist ] || (cd agent/designer/web && npm ci --no-audit --no-fund --silent)
  for page in agent/designer/web agent/web; do
    mkdir -p "$page/pdfjs"
    cp agent/designer/web/node_modules/pdfjs-dist/build/pdf.min.mjs agent/designer/web/node_modules/pdfjs-dist/build/pdf.worker.min.mjs \
       agent/designer/web/node_modules/pdfjs-dist/LICENSE "$page/pdfjs/"
    cp -r agent/designer/web/node_modules/pdfjs-dist/cmaps "$page/pdfjs/"
  done
fi
if [ ! -d tests/client/node_modules/typescript ] || [ ! -d tests/client/node_modules/playwright-core ]; then
  (cd tests/client && npm ci --no-audit --no-fund --silent)
fi
