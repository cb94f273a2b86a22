-- wrk: print the latency percentiles and the counts as one JSON line when the run ends.
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'BENCH {"p50_us": %d, "p95_us": %d, "requests": %d, "errors": %d, "duration_us": %d}\n',
    latency:percentile(50), latency:percentile(95), summary.requests, bad, summary.duration))
end
