#!/usr/bin/env bash
# `cmake --install` lays out bin/ and share/kakanai/, and the installed agent finds its data
# relative to its own location (or through --data-dir) and works from there.
set -euo pipefail
build="$1"
moved="$(mktemp -d)"
trap 'rm -rf "$moved"' EXIT
cmake --install "$build" --prefix "$moved/opt/kakanai" >/dev/null
for f in bin/kakanai-agent bin/kakanai-virtual-card share/kakanai/fonts/manifest.json share/kakanai/designer/index.html \
    share/kakanai/designer/designer.js; do
  [ -e "$moved/opt/kakanai/$f" ] || { echo "missing $f"; exit 1; }
done
got="$("$moved/opt/kakanai/bin/kakanai-agent" data-dir)"
[ "$got" = "$moved/opt/kakanai/share/kakanai" ] || { echo "data dir: $got"; exit 1; }
got="$("$moved/opt/kakanai/bin/kakanai-agent" data-dir --data-dir /srv/kakanai)"
[ "$got" = "/srv/kakanai" ] || { echo "--data-dir: $got"; exit 1; }
out="$(echo 1234 | "$moved/opt/kakanai/bin/kakanai-agent" card-read --demo)"
case "$out" in *'"authentic":true'*) ;; *) echo "installed demo read: $out"; exit 1;; esac
echo "install tree: ok"
