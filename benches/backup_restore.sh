#!/usr/bin/env bash
# Backup and restore time of the 20,000-lease demo data (`seed-demo --buildings 500 --leases
# 20000`) on a release build: a backup of SQLite, its restore into an empty SQLite and, when
# BENCH_MYSQL_URL is set (mysql://root@127.0.0.1:3306), into an empty MariaDB/MySQL database
# `doongji_bench_restore` (created and dropped), and that database's own backup and restore
# back into SQLite. Each restore is followed by a backup whose manifest must equal the first.
# Usage: benches/backup_restore.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/doongji"
[ -x "$bin" ] || { echo "no release build at $bin: run cargo build --release --features ssr" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RUST_LOG=warn

timed() { # label, command...: prints the command's own line and the wall time
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" | sed "s/^/[$label] /"
  end=$(date +%s.%N)
  printf '[%s] %.2f s\n' "$label" "$(echo "$end - $start" | bc)"
}

# The manifest's tables (name, rows, sha256) of a backup file, for comparing two backups.
tables() {
  node -e 'const z=require("zlib"),fs=require("fs");
    const lines=z.brotliDecompressSync(fs.readFileSync(process.argv[1])).toString().trim().split("\n");
    console.log(JSON.stringify(JSON.parse(lines[lines.length-1]).manifest.tables));' "$1"
}

DATABASE_URL="sqlite://$work/source.db?mode=rwc" "$bin" seed-demo --buildings 500 --leases 20000 | sed 's/^/[seed] /'
DATABASE_URL="sqlite://$work/source.db?mode=rwc" timed "backup sqlite" "$bin" backup --to "$work/a.backup"
DATABASE_URL="sqlite://$work/restored.db?mode=rwc" timed "restore → sqlite" "$bin" restore "$work/a.backup"
DATABASE_URL="sqlite://$work/restored.db?mode=rwc" "$bin" backup --to "$work/b.backup" >/dev/null
[ "$(tables "$work/a.backup")" = "$(tables "$work/b.backup")" ] && echo "[sqlite → sqlite] same rows and checksums"

if [ -n "${BENCH_MYSQL_URL:-}" ]; then
  mysql -h 127.0.0.1 -u root -e 'DROP DATABASE IF EXISTS doongji_bench_restore; CREATE DATABASE doongji_bench_restore CHARACTER SET utf8mb4'
  my="${BENCH_MYSQL_URL%/}/doongji_bench_restore"
  DATABASE_URL="$my" timed "restore → mysql" "$bin" restore "$work/a.backup"
  DATABASE_URL="$my" timed "backup mysql" "$bin" backup --to "$work/c.backup"
  [ "$(tables "$work/a.backup")" = "$(tables "$work/c.backup")" ] && echo "[sqlite → mysql] same rows and checksums"
  mysql -h 127.0.0.1 -u root -e 'DROP DATABASE IF EXISTS doongji_bench_restore'
fi
ls -la "$work"/*.backup | awk '{printf "[size] %s %.1f MB\n", $9, $5/1048576}'
