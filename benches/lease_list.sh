#!/usr/bin/env bash
# The lease list filtered and paged (50 rows) and a lease detail page, signed in, on a release
# build with `doongji seed-demo --buildings 500 --leases 20000`; p95 latency with wrk.
# Targets (issue): list p95 <= 30 ms, detail p95 <= 20 ms. SQLite by default; set
# BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306 to measure MySQL too (a scratch database
# `doongji_bench` is created and dropped).
# Usage: benches/lease_list.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/doongji"
[ -x "$bin" ] || { echo "no release build at $bin: run cargo leptos build --release" >&2; exit 1; }

run_backend() {
  local name=$1 url=$2 work port pw server cookie lease
  work=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export DATABASE_URL="${url//WORK/$work}" BIND_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$PWD/target/site" RUST_LOG=warn
  "$bin" seed-demo --buildings 500 --leases 20000 | sed "s/^/[$name] /"
  pw="load-$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')"
  echo "$pw" | "$bin" create-admin --email ops@doongji.kr --name 벤치 >/dev/null
  "$bin" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  cookie=$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$port/api/login" \
    --data-urlencode "email=ops@doongji.kr" --data-urlencode "password=$pw" \
    | awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}')
  lease=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/platform/leases?status=active&sort=rent&page=3" \
    | grep -o '/platform/leases/[0-9]*' | head -n 1)
  [ -n "$lease" ] || { echo "no lease found in the list" >&2; kill $server; exit 1; }
  printf '[%s] %-46s ' "$name" "list ?status=active&sort=rent&page=3"
  wrk -t2 -c8 -d"${duration}s" -s benches/p95.lua -H "Cookie: $cookie" \
    "http://127.0.0.1:$port/platform/leases?status=active&sort=rent&page=3" | tail -n 1
  printf '[%s] %-46s ' "$name" "list ?q=커피&expiring_days=180"
  wrk -t2 -c8 -d"${duration}s" -s benches/p95.lua -H "Cookie: $cookie" \
    "http://127.0.0.1:$port/platform/leases?q=%EC%BB%A4%ED%94%BC&expiring_days=180" | tail -n 1
  printf '[%s] %-46s ' "$name" "detail $lease"
  wrk -t2 -c8 -d"${duration}s" -s benches/p95.lua -H "Cookie: $cookie" "http://127.0.0.1:$port$lease" | tail -n 1
  kill $server
  rm -rf "$work"
}

echo "wrk -t2 -c8 -d${duration}s, release build, 500 buildings / 20,000 leases, $(nproc) cores"
run_backend sqlite "sqlite://WORK/bench.db?mode=rwc"
if [ -n "${BENCH_MYSQL_URL:-}" ]; then
  mysql_cli="mysql -h 127.0.0.1 -u root"
  $mysql_cli -e "DROP DATABASE IF EXISTS doongji_bench; CREATE DATABASE doongji_bench CHARACTER SET utf8mb4"
  run_backend mysql "${BENCH_MYSQL_URL%/}/doongji_bench"
  $mysql_cli -e "DROP DATABASE IF EXISTS doongji_bench"
fi
