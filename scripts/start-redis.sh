#!/usr/bin/env bash
# Install (if needed) and start a Redis broker on loopback for the multi-machine tests, and print the URL
# the tests read from TEST_REDIS_URL. Debian's redis-server; its queue persists in an append-only file.
set -euo pipefail
port="${CAMEO_CI_REDIS_PORT:-6390}"
if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
fi
dir="${TMPDIR:-/tmp}/cameo-ci-redis"
mkdir -p "$dir"
if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --appendonly yes --save "" \
    --daemonize yes --logfile "$dir/redis.log" >&2
fi
for _ in $(seq 1 30); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.5
done
redis-cli -p "$port" ping >/dev/null
echo "redis://127.0.0.1:$port/0"
