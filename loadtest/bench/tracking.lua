-- wrk script for the tracking listener (loadtest/bench/tracking-http.sh runs it):
--   wrk ... -s tracking.lua http://127.0.0.1:8290 -- MODE POOL [DELAY_MS]
-- MODE "mixed": each wrk thread first creates SESSIONS sessions, then cycles over them:
--   a renewal (POST /v1/sessions/{id}/renew), then a page asking again with the session it
--   holds (POST /v1/pools/{pool}/sessions {"session": id, ...}: the KEPT path, a whole body
--   parsed), as pages open and heartbeat do.
-- MODE "create": every request is a new visitor (a new session and a number taken from the pool).
-- DELAY_MS: wait this long before each request on a connection (paces the offered load, for
-- the SIP comparison); 0 = as fast as the connections go.
-- At the end it prints the statuses that were not 200 (wrk counts them only as "Non-2xx").

local mode, pool, pause = "mixed", "bench-web", 0
local SESSIONS = 200
local sessions = {}
local n = 0
-- global, so that done() can read each thread's table (wrk's thread:get reads globals only)
statuses = {}
local threads = {}

local body_new = '{"page_url":"https://bench.example/landing?utm_source=google&gclid=EAIaIQobChMI",' ..
  '"referrer":"https://www.google.com/","utm_source":"google","utm_medium":"cpc",' ..
  '"utm_campaign":"solar-2026","gclid":"EAIaIQobChMI","ga_client_id":"GA1.1.1234567.1700000000"}'
local headers = { ["Content-Type"] = "application/json", ["Origin"] = "https://bench.example" }

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or mode
  pool = args[2] or pool
  pause = tonumber(args[3] or "0")
end

function delay()
  return pause
end

function request()
  n = n + 1
  if mode == "create" or #sessions < SESSIONS then
    return wrk.format("POST", "/v1/pools/" .. pool .. "/sessions", headers, body_new)
  end
  local id = sessions[(math.floor(n / 2) % #sessions) + 1]
  if n % 2 == 0 then
    return wrk.format("POST", "/v1/sessions/" .. id .. "/renew", headers, "")
  end
  return wrk.format("POST", "/v1/pools/" .. pool .. "/sessions", headers,
    '{"session":"' .. id .. '","page_url":"https://bench.example/pricing"}')
end

function response(status, hdrs, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  elseif mode == "mixed" and #sessions < SESSIONS then
    local id = body:match('"session":"(%x+)"')
    if id then
      table.insert(sessions, id)
    end
  end
end

function done(summary, latency, requests)
  local others = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, count in pairs(s) do
      others[code] = (others[code] or 0) + count
    end
  end
  io.write("statuses other than 200:")
  local any = false
  for code, count in pairs(others) do
    io.write(string.format(" %d x%d", code, count))
    any = true
  end
  io.write(any and "\n" or " none\n")
  io.write(string.format("requests/s: %.0f; latency us: p50 %d p90 %d p99 %d p99.9 %d max %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
end
