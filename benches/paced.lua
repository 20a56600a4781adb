-- wrk pacing: each connection waits PACE_MS between requests, so 64 connections offer a steady
-- rate (64 / (PACE_MS + service time) per second) instead of saturating the machine; then the
-- same percentile line as p95.lua.
local pace = tonumber(os.getenv("PACE_MS") or "12")
function delay()
  return pace
end
done = function(summary, latency, requests)
  local rps = summary.requests / (summary.duration / 1e6)
  io.write(string.format("p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  %.0f req/s  errors %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    rps, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
