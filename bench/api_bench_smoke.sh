#!/usr/bin/env bash
# Smoke run of `jcm bench api` on a fresh registry (1 s per side, 4 connections, 16 transfers
# approved in advance and 16 signed approvals over HTTP, 64 in-process transfers): wrk, nginx
# and the server start and stop, every transfer completes, and the report names its figures.
# Usage: api_bench_smoke.sh JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$jcm" init --db "$work/api.db" --registries MN >/dev/null
"$jcm" bench api --db "$work/api.db" --path /api/v1/registries/MN --seconds 1 --connections 4 \
  --http-transfers 16 --approvals 16 --transfers 64 --json
