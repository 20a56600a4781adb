// The platform's WASM budget: everything the browser loads for the platform before its first
// interaction is the one hydration bundle (`pkg/*.wasm` and its JS glue). Prints raw and
// brotli-11 sizes and exits 1 when the WASM is over the budget.
//   node benches/wasm-budget.mjs <pkg dir> [budget KiB, default 250]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "target/site/pkg";
const budgetKiB = Number(process.argv[3] ?? 250);
const kib = (n) => (n / 1024).toFixed(1);
const brotli = (b) =>
  brotliCompressSync(b, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
    },
  }).length;

const files = readdirSync(dir).filter((f) => f.endsWith(".wasm") || f.endsWith(".js"));
const wasm = files.filter((f) => f.endsWith(".wasm"));
if (wasm.length !== 1) {
  console.error(`expected one .wasm in ${dir}, found: ${wasm.join(", ") || "none"}`);
  process.exit(2);
}
let wasmBrotli = 0;
console.log("file | raw KiB | brotli-11 KiB");
for (const f of files) {
  const b = readFileSync(join(dir, f));
  const br = brotli(b);
  if (f.endsWith(".wasm")) wasmBrotli = br;
  console.log(`${f} | ${kib(b.length)} | ${kib(br)}`);
}
const ok = wasmBrotli <= budgetKiB * 1024;
console.log(`platform WASM: ${kib(wasmBrotli)} KiB brotli of a ${budgetKiB} KiB budget: ${ok ? "within" : "OVER"}`);
process.exit(ok ? 0 : 1);
