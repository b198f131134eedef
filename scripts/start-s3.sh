#!/usr/bin/env bash
# Start an S3-compatible server on loopback for the multi-machine tests (moto's standalone server: no
# MinIO binary can be installed here), create the test bucket, and print the endpoint URL.
# moto lives in a venv of its own (.venv-s3, requirements-s3-server.txt): it is a test server, and its
# botocore pins python-dateutil<3, which the studio's environment does not need to follow.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${CAMEO_CI_S3_PORT:-9100}"
bucket="${CAMEO_CI_S3_BUCKET:-cameo-test}"
py="${PYTHON:-python3}"
if [ ! -x .venv-s3/bin/python ]; then
  "$py" -m venv .venv-s3 >&2
fi
if [ ! -f .venv-s3/.installed ] || [ requirements-s3-server.txt -nt .venv-s3/.installed ]; then
  .venv-s3/bin/python -m pip install --quiet -r requirements-s3-server.txt >&2
  touch .venv-s3/.installed
fi
url="http://127.0.0.1:$port"
if ! curl -fsS "$url/" >/dev/null 2>&1; then
  nohup setsid .venv-s3/bin/python -m moto.server -H 127.0.0.1 -p "$port" >"${TMPDIR:-/tmp}/cameo-ci-s3.log" 2>&1 &
fi
for _ in $(seq 1 60); do
  curl -fsS "$url/" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS -X PUT "$url/$bucket" >/dev/null
echo "$url"
