-- wrk script for bench/run's `mixed_500` case: the seed's mixed workload at a fixed total rate.
-- wrk (not wrk2, which Debian lacks) sends as fast as it can; here each thread keeps its own
-- schedule (rate / threads requests a second, LuaJIT's ffi clock) and delay() holds each
-- connection until its next slot, so the rate is the schedule's, not the server's. Latency is
-- wrk's (from each send), so a server stall shows as missed slots (the achieved rate drops) and
-- as the latency of the requests that waited.
-- args: RATE IDS_FILE CREATE_BODY_FILE THREADS  (IDS_FILE: one opportunity id per line; the query words
-- for the search come from the same file's second column)
-- The mix (per 20 requests): 12 GET one opportunity, 4 list pages, 2 searches, 2 creates.
local ffi = require("ffi")
ffi.cdef [[
  struct oms_timespec { long tv_sec; long tv_nsec; };
  int clock_gettime(int clk_id, struct oms_timespec *tp);
]]
local ts = ffi.new("struct oms_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local counter = 0

function setup(thread)  -- runs in the main state; each thread learns its index (staggered start)
  counter = counter + 1
  thread:set("thread_index", counter)
end

local interval, next_slot, ids, words, body, n = nil, nil, {}, {}, nil, 0
local k_mix = { "get", "get", "list", "get", "get", "search", "get", "get", "list", "create",
                "get", "get", "list", "get", "get", "search", "get", "get", "list", "create" }

function init(args)
  local rate = tonumber(args[1])
  local nthreads = tonumber(args[4]) or 2
  interval = 1000.0 * nthreads / rate
  for line in io.lines(args[2]) do
    local id, word = line:match("^(%S+)%s+(%S+)$")
    table.insert(ids, id)
    table.insert(words, word)
  end
  local f = assert(io.open(args[3], "rb"))
  body = f:read("*a")
  f:close()
  next_slot = now_ms() + (thread_index or 1) * interval / nthreads
end

function delay()
  local wait = next_slot - now_ms()
  next_slot = next_slot + interval
  if wait < 0 then return 0 end
  return wait
end

function request()
  n = n + 1
  local kind = k_mix[(n % #k_mix) + 1]
  local i = (n * 7919) % #ids + 1
  if kind == "get" then
    return wrk.format("GET", "/api/v1/opportunities/" .. ids[i])
  elseif kind == "list" then
    return wrk.format("GET", "/api/v1/opportunities?limit=20")
  elseif kind == "search" then
    return wrk.format("GET", "/api/v1/opportunities?limit=20&query=" .. words[i])
  end
  -- A headers table replaces wrk.headers (the Authorization from -H): copy them.
  local headers = { ["Content-Type"] = "application/json" }
  for k, v in pairs(wrk.headers) do
    if k ~= "Content-Length" then headers[k] = v end
  end
  return wrk.format("POST", "/api/v1/opportunities", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"socket_errors":%d,"non_2xx":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
