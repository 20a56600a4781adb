#!/usr/bin/env bash
# Utilities on a release build with `doongji seed-demo --buildings 500 --leases 20000` (each
# building: three months of electricity readings per unit and this month's electricity and
# water bills): this month's invoices generated, then every building's bills split among its
# units and leases and the shares put on the invoices (`doongji split-utilities`), wall time;
# then split again (nothing changes: only the check).
# Target (issue 13): splitting 500 buildings' bills of a month over 20,000 leases <= 3 s on
# SQLite. BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306 measures MariaDB too (a scratch database
# `doongji_bench_utilities` is created and dropped).
# Usage: benches/utilities.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/doongji"
[ -x "$bin" ] || { echo "no release build at $bin: run cargo leptos build --release" >&2; exit 1; }
month=$(TZ=Asia/Seoul date +%Y-%m)

run_backend() {
  local name=$1 url=$2 work start end
  work=$(mktemp -d)
  export DATABASE_URL="${url//WORK/$work}" RUST_LOG=warn FILES_DIR="$work/files" \
         BACKUP_TO="$work/backups" BACKGROUND_WORK=off
  "$bin" seed-demo --buildings 500 --leases 20000 | sed "s/^/[$name] /"
  "$bin" generate-invoices --month "$month" | sed "s/^/[$name] /"
  for run in first again; do
    start=$(date +%s.%N)
    "$bin" split-utilities --month "$month" | sed "s/^/[$name] $run: /"
    end=$(date +%s.%N)
    printf '[%s] %s split %s: %.2f s wall (process start and migrations check included)\n' \
      "$name" "$run" "$month" "$(echo "$end - $start" | bc)"
  done
  rm -rf "$work"
}

echo "release build, 500 buildings / 20,000 leases, $(nproc) cores, month $month"
run_backend sqlite "sqlite://WORK/bench.db?mode=rwc"
if [ -n "${BENCH_MYSQL_URL:-}" ]; then
  mysql_cli="mysql -h 127.0.0.1 -u root"
  $mysql_cli -e "DROP DATABASE IF EXISTS doongji_bench_utilities; CREATE DATABASE doongji_bench_utilities CHARACTER SET utf8mb4"
  run_backend mariadb "${BENCH_MYSQL_URL%/}/doongji_bench_utilities"
  $mysql_cli -e "DROP DATABASE IF EXISTS doongji_bench_utilities"
fi
