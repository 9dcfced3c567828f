-- wrk script shared by bench/run and bench/check: optional POST body (args: METHOD BODY_FILE),
-- and one machine-readable line at the end with the count, errors and latency percentiles.
local method, body_file = nil, nil

function init(args)
  method = args[1]
  body_file = args[2]
  if method and method ~= "GET" then
    wrk.method = method
    local f = assert(io.open(body_file, "rb"))
    wrk.body = f:read("*a")
    f:close()
    wrk.headers["Content-Type"] = "application/json"
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"socket_errors":%d,"non_2xx":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
