#!/usr/bin/env bash
# The work queue's throughput with a no-op handler: BENCH_EVENTS (default 20,000) events fanned
# out and handled by one worker, then two side by side, on SQLite and (with
# BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306/test) MariaDB. A release build of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_EVENTS="${BENCH_EVENTS:-20000}"
if [ -n "${BENCH_MYSQL_URL:-}" ]; then
  export TEST_MYSQL_URL="$BENCH_MYSQL_URL"
else
  unset TEST_MYSQL_URL
fi
unset TEST_REDIS_URL
cargo test --release --features ssr --test integration queue_throughput_bench -- --nocapture --test-threads 1 2>&1 \
  | grep -E "queue throughput|test result|panicked"
