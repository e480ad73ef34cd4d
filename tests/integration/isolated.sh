#!/usr/bin/env bash
# Runs a command in its own network and mount namespaces, so that the pcscd it starts is
# private to the test:
#  - a network namespace whose only interface is loopback: vpcd listens on 0.0.0.0, which here
#    reaches nothing but 127.0.0.1;
#  - a tmpfs over /run/pcscd: pcscd always puts its socket there, and the test's must not meet
#    a system pcscd (or another test's).
# Needs root (CI and the developer machines run as root); unshare and ip are from util-linux
# and iproute2.
set -euo pipefail
if [ "${KAKANAI_ISOLATED:-}" != "1" ]; then
  exec unshare --net --mount --propagation private env KAKANAI_ISOLATED=1 "$0" "$@"
fi
ip link set lo up
mkdir -p /run/pcscd
mount -t tmpfs -o mode=0755,size=1m kakanai-pcscd /run/pcscd
exec "$@"
