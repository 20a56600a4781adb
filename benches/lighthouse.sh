#!/usr/bin/env bash
# Lighthouse (mobile emulation, Debian Chromium) on `/`, a post page and 문의하기, against a
# fresh SQLite database. Targets: performance, accessibility, best practices >= 95; SEO 100.
# Usage: benches/lighthouse.sh   (after `cargo leptos build --release`; falls back to a debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x benches/lighthouse/node_modules/.bin/lighthouse ] || (cd benches/lighthouse && npm install --no-audit --no-fund)

target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/doongji"
[ -x "$bin" ] || bin="$target_dir/debug/doongji"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/lh.db?mode=rwc" BIND_ADDR="127.0.0.1:$port" \
       LEPTOS_SITE_ROOT="$PWD/target/site" RUST_LOG=warn
"$bin" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

mkdir -p benches/results
export CHROME_PATH=/usr/bin/chromium
status=0
for path in / /news/lease-law-guide /contact; do
  name=$(echo "$path" | tr '/' '_')
  out="benches/results/lighthouse${name}.json"
  benches/lighthouse/node_modules/.bin/lighthouse "http://127.0.0.1:$port$path" \
    --quiet --output=json --output-path="$out" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
    >/dev/null 2>&1 || { echo "lighthouse failed on $path" >&2; status=1; continue; }
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => Math.round(r.categories[k].score * 100);
    const scores = { performance: s("performance"), accessibility: s("accessibility"), "best-practices": s("best-practices"), seo: s("seo") };
    const bytes = r.audits["total-byte-weight"].numericValue;
    console.log(`${process.argv[2].padEnd(24)} perf ${scores.performance}  a11y ${scores.accessibility}  best ${scores["best-practices"]}  seo ${scores.seo}  transfer ${(bytes/1024).toFixed(1)} KiB`);
    const low = scores.performance < 95 || scores.accessibility < 95 || scores["best-practices"] < 95 || scores.seo < 100;
    if (low) {
      for (const [k, c] of Object.entries(r.categories)) for (const ref of c.auditRefs) {
        const a = r.audits[ref.id]; if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`    ${k}: ${a.id} (${a.score})`);
      }
      process.exit(3);
    }
  ' "$PWD/$out" "$path" || status=1
done
exit $status
