#!/usr/bin/env bash
# Lighthouse performance (its default mobile profile: Moto G-class phone, slow 4G, 4x CPU
# slowdown) of /platform/leases for a signed-in manager, on a release build with the demo data.
#   bash benches/lighthouse.sh [path to the release binary]
# Needs `cargo leptos build --release` first (the binary and target/site). Lighthouse comes
# from benches/lighthouse (npm, installed on first use); Chromium is Debian's.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="${1:-$target_dir/release/doongji}"
lh_dir=benches/lighthouse
[ -x "$lh_dir/node_modules/.bin/lighthouse" ] || (cd "$lh_dir" && npm install --no-audit --no-fund)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/lh.db?mode=rwc" BIND_ADDR="127.0.0.1:$port" \
       LEPTOS_SITE_ROOT="$PWD/target/site" RUST_LOG=warn
"$bin" migrate >/dev/null
"$bin" seed-demo >/dev/null
echo 'Harbor-lantern-Quiet-81' | "$bin" create-admin --email bench@doongji.kr --name 벤치 >/dev/null
"$bin" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
cookie=$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$port/api/login" \
  --data-urlencode email=bench@doongji.kr --data-urlencode password=Harbor-lantern-Quiet-81 \
  | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' | head -1)
"$lh_dir/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/platform/leases" \
  --quiet --only-categories=performance --output=json --output-path="$work/lh.json" \
  --extra-headers="{\"Cookie\": \"$cookie\"}" --chrome-path=/usr/bin/chromium \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const a = r.audits, s = (k) => a[k].displayValue;
console.log(`lighthouse mobile /platform/leases: performance ${Math.round(r.categories.performance.score * 100)}; FCP ${s("first-contentful-paint")}, LCP ${s("largest-contentful-paint")}, TBT ${s("total-blocking-time")}, TTI ${s("interactive")}, CLS ${s("cumulative-layout-shift")}`);
' "$work/lh.json"
