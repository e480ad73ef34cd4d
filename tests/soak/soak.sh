#!/usr/bin/env bash
# Runs kakanai_soak against a real IPP printer (ippeveprinter on a private D-Bus + avahi). Run it
# through tests/integration/isolated.sh (own network and mount namespaces); everything it starts
# is stopped when it ends.
# usage: soak.sh SOAK_BIN AGENT_BIN CLIENTS SECONDS LABEL [MAX_RSS_GROWTH_MB]
set -euo pipefail
soak=$1 agent=$2 clients=$3 seconds=$4 label=$5 growth=${6:-32}
[ -n "${KAKANAI_ISOLATED:-}" ] || { echo "soak.sh: run through tests/integration/isolated.sh" >&2; exit 2; }
work=$(mktemp -d /tmp/kakanai-soak-XXXXXX)
mkdir -p /run/dbus /run/avahi-daemon "$work/spool"
mountpoint -q /run/dbus || mount -t tmpfs tmpfs /run/dbus
mountpoint -q /run/avahi-daemon || mount -t tmpfs tmpfs /run/avahi-daemon
dbus-daemon --system --fork --nopidfile
avahi-daemon --daemonize --no-drop-root --no-chroot --no-rlimits >/dev/null 2>&1 || true
# Under AddressSanitizer freed memory waits in a 256 MB quarantine, which would read as growth.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=4"
port=$((21000 + RANDOM % 2000))
# The spool is emptied as jobs arrive: a soak prints thousands of pages.
ippeveprinter -n localhost -p "$port" -d "$work/spool" -f application/pdf -c /bin/true KakanaiSoak >"$work/ipp.log" 2>&1 &
ipp=$!
trap 'kill $ipp 2>/dev/null || true; avahi-daemon --kill 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do ipptool -q "ipp://localhost:$port/ipp/print" get-printer-attributes.test && break; sleep 0.2; done
"$soak" --agent "$agent" --printer "ipp://localhost:$port/ipp/print" --clients "$clients" --seconds "$seconds" \
  --label "$label" --max-rss-growth-mb "$growth"
