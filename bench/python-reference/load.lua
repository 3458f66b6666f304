-- wrk script: POSTs the request bodies of a JSON-lines file (env BODIES) to /v1/recommend in turn, and prints
-- one machine-readable RESULT line (rps, latency percentiles in ms, socket errors, non-2xx answers).
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do
  if #line > 0 then bodies[#bodies + 1] = line end
end
local next_body = 0
local headers = {["Content-Type"] = "application/json"}

request = function()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/v1/recommend", headers, bodies[next_body])
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50=%.3f p99=%.3f errors=%d non2xx=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests))
end
