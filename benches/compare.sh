#!/usr/bin/env bash
# Two release binaries measured in one run, taking turns, on the same data: the lease list p95
# (two filtered pages, wrk -t2 -c8) and `/` requests per second (wrk -t2 -c64), 500 buildings /
# 20,000 leases on SQLite. For a change that must not cost speed (the area restructure: within
# 10% of before). Each binary serves its own copy of one seeded database; rounds alternate
# old/new so that the machine's drift hits both alike; the median of the rounds is reported.
# Usage: benches/compare.sh OLD_BIN NEW_BIN [rounds, default 3] [seconds per run, default 10]
# A binary: `cargo build --release --features ssr --bin doongji` of each commit (no WASM needed).
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 rounds=${3:-3} duration=${4:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export BIND_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$PWD/target/site" RUST_LOG=warn
pw="load-$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')"

DATABASE_URL="sqlite://$work/seed.db?mode=rwc" "$new" seed-demo --buildings 500 --leases 20000 >/dev/null
echo "$pw" | DATABASE_URL="sqlite://$work/seed.db?mode=rwc" "$new" create-admin --email ops@doongji.kr --name 벤치 >/dev/null

list1="/platform/leases?status=active&sort=rent&page=3"
list2="/platform/leases?q=%EC%BB%A4%ED%94%BC&expiring_days=180"
p95() { wrk -t2 -c8 -d"${duration}s" -s benches/p95.lua "$@" | tail -n 1 | awk '{print $5}'; }
rps() { wrk -t2 -c64 -d"${duration}s" "$@" | awk '/Requests\/sec/ {print $2}'; }

measure() {  # binary label → one line "label list1_p95 list2_p95 home_rps"
  local bin=$1 label=$2 db server cookie
  db="$work/$label.db"
  # The seed may still sit in the write-ahead log: copy it with the database.
  for f in "$work"/seed.db*; do cp "$f" "$db${f#"$work"/seed.db}"; done
  DATABASE_URL="sqlite://$db?mode=rwc" "$bin" >"$work/$label.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  cookie=$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$port/api/login" \
    --data-urlencode "email=ops@doongji.kr" --data-urlencode "password=$pw" \
    | awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}')
  [ -n "$cookie" ] || { echo "login failed ($label)" >&2; exit 1; }
  local a b c
  a=$(p95 -H "Cookie: $cookie" "http://127.0.0.1:$port$list1")
  b=$(p95 -H "Cookie: $cookie" "http://127.0.0.1:$port$list2")
  c=$(rps "http://127.0.0.1:$port/")
  kill $server; wait $server 2>/dev/null || true
  rm -f "$db"*
  echo "$label $a $b $c"
}

echo "release builds, SQLite, 500 buildings / 20,000 leases, $(nproc) cores, $rounds rounds of ${duration}s runs"
results="$work/results"
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then order="old new"; else order="new old"; fi
  for label in $order; do
    bin=$old; [ "$label" = new ] && bin=$new
    line=$(measure "$bin" "$label")
    echo "round $r: $line"
    echo "$line" >>"$results"
  done
done
python3 - "$results" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {k: [statistics.median(float(r[i]) for r in rows if r[0] == k) for i in (1, 2, 3)] for k in ("old", "new")}
names = ["lease list p95 (status, rent sort, page 3), ms", "lease list p95 (tenant search, expiring 180 days), ms", "/ requests per second"]
for i, n in enumerate(names):
    o, w = med["old"][i], med["new"][i]
    print(f"{n:58} old {o:9.2f}  new {w:9.2f}  new/old {w / o:5.2f}")
EOF
