#!/usr/bin/env bash
# A throwaway PostgreSQL for the attendance benchmark: initdb in a temporary folder, loopback
# only, stopped when the command given has finished. Usage: bench/postgres.sh PORT COMMAND...
# (the connection string is passed to COMMAND in $KAKANAI_BENCH_PG).
set -euo pipefail
port=$1; shift
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/kakanai-bench-pg-XXXXXX)
chown postgres: "$dir"
runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U kakanai -E UTF8 --locale C >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null
trap 'runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; rm -rf "$dir"' EXIT
export KAKANAI_BENCH_PG="host=127.0.0.1 port=$port dbname=postgres user=kakanai"
"$@"
