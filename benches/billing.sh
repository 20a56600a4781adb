#!/usr/bin/env bash
# Billing on a release build with `doongji seed-demo --buildings 500 --leases 20000`:
#  1. generating this month's invoices (`doongji generate-invoices`), wall time;
#  2. the billing view for the month, signed in, p95 by wrk;
#  3. bills to PDF: every building's month closed (열린 건물 모두 마감), then whole buildings'
#     bills.pdf downloaded
#     until 1,000 bills, wall time.
# Targets (issue 12): generation <= 3 s on SQLite and <= 8 s on MariaDB; the billing view
# p95 <= 50 ms; 1,000 bills <= 20 s. SQLite by default; BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306
# measures MariaDB too (a scratch database `doongji_bench_billing` is created and dropped).
# Usage: benches/billing.sh [seconds of wrk, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/doongji"
[ -x "$bin" ] || { echo "no release build at $bin: run cargo leptos build --release" >&2; exit 1; }
month=$(TZ=Asia/Seoul date +%Y-%m)

run_backend() {
  local name=$1 url=$2 work port pw server cookie start end
  work=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export DATABASE_URL="${url//WORK/$work}" BIND_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$PWD/target/site" \
         RUST_LOG=warn FILES_DIR="$work/files" BACKUP_TO="$work/backups" BACKGROUND_WORK=off
  "$bin" seed-demo --buildings 500 --leases 20000 | sed "s/^/[$name] /"
  start=$(date +%s.%N)
  "$bin" generate-invoices --month "$month" | sed "s/^/[$name] /"
  end=$(date +%s.%N)
  printf '[%s] generate %s: %.2f s wall (process start and migrations check included)\n' "$name" "$month" \
    "$(echo "$end - $start" | bc)"
  # Again: nothing new, and how long the check takes.
  "$bin" generate-invoices --month "$month" | sed "s/^/[$name] again: /"

  pw="load-$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')"
  echo "$pw" | "$bin" create-admin --email ops@doongji.kr --name 벤치 >/dev/null
  "$bin" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  cookie=$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$port/api/login" \
    --data-urlencode "email=ops@doongji.kr" --data-urlencode "password=$pw" \
    | awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}')

  printf '[%s] %-40s ' "$name" "/platform/billing?month=$month"
  wrk -t2 -c8 -d"${duration}s" -s benches/p95.lua -H "Cookie: $cookie" \
    "http://127.0.0.1:$port/platform/billing?month=$month" | tail -n 1
  printf '[%s] %-40s ' "$name" "…&status=overdue&sort=unpaid"
  wrk -t2 -c8 -d"${duration}s" -s benches/p95.lua -H "Cookie: $cookie" \
    "http://127.0.0.1:$port/platform/billing?month=$month&status=overdue&sort=unpaid" | tail -n 1

  # Each building's month: (id, invoices), read from the database (the view shows only 30);
  # then every month closed through the platform's own function.
  local sql="SELECT building_id, COUNT(*) FROM invoices WHERE month = '$month' GROUP BY building_id ORDER BY building_id"
  if [ "$name" = sqlite ]; then
    python3 -c 'import sqlite3,sys; [print(*r) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]' \
      "$work/bench.db" "$sql" > "$work/buildings"
  else
    mysql -h 127.0.0.1 -u root -N -B doongji_bench_billing -e "$sql" | tr '\t' ' ' > "$work/buildings"
  fi
  curl -fsS -o /dev/null -H "Cookie: $cookie" -X POST "http://127.0.0.1:$port/api/billing/close-all" \
    --data-urlencode "month=$month"
  local one
  one=$(curl -fsS -H "Cookie: $cookie" -X POST "http://127.0.0.1:$port/api/billing/overview" \
    --data-urlencode "query[month]=$month" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"]["rows"][0]["id"])')
  curl -fsS -o "$work/one.pdf" -H "Cookie: $cookie" "http://127.0.0.1:$port/platform/billing/invoices/$one/bill.pdf"
  printf '[%s] one bill alone: %s bytes\n' "$name" "$(stat -c %s "$work/one.pdf")"
  local bills=0 files=0 bytes=0
  start=$(date +%s.%N)
  while read -r id n; do
    [ "$bills" -ge 1000 ] && break
    curl -fsS -o "$work/bills.pdf" -H "Cookie: $cookie" \
      "http://127.0.0.1:$port/platform/billing/bills.pdf?building_id=$id&month=$month"
    bills=$((bills + n)); files=$((files + 1)); bytes=$((bytes + $(stat -c %s "$work/bills.pdf")))
  done < "$work/buildings"
  end=$(date +%s.%N)
  python3 - "$name" "$bills" "$files" "$bytes" "$start" "$end" <<'PY'
import sys
name, bills, files, size, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
t = end - start
print(f"[{name}] {bills} bills in {files} building PDFs: {t:.2f} s ({bills / t:.0f} bills/s), {size / bills / 1024:.1f} KiB a bill")
PY
  kill $server
  wait $server 2>/dev/null || true
  rm -rf "$work"
}

echo "release build, 500 buildings / 20,000 leases, $(nproc) cores, month $month"
run_backend sqlite "sqlite://WORK/bench.db?mode=rwc"
if [ -n "${BENCH_MYSQL_URL:-}" ]; then
  mysql_cli="mysql -h 127.0.0.1 -u root"
  $mysql_cli -e "DROP DATABASE IF EXISTS doongji_bench_billing; CREATE DATABASE doongji_bench_billing CHARACTER SET utf8mb4"
  run_backend mariadb "${BENCH_MYSQL_URL%/}/doongji_bench_billing"
  $mysql_cli -e "DROP DATABASE IF EXISTS doongji_bench_billing"
fi
