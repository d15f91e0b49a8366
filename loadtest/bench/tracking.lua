-- wrk script for the tracking listener (loadtest/bench/tracking-http.sh runs it):
--   wrk ... -s tracking.lua http://127.0.0.1:8290 -- MODE POOL [DELAY_MS]
-- MODE "mixed", visitors coming and going: each wrk thread keeps SESSIONS live sessions (made
--   first); then of every 10 requests one is a new visitor (POST /v1/pools/{pool}/sessions with
--   UTM values and a gclid), one releases the oldest visitor's session (.../release, as the page's
--   sendBeacon does), four are heartbeats (POST /v1/sessions/{id}/renew) and four are pages asking
--   again with the session they hold ({"session": id, "page_url": ...}: the KEPT path, a whole
--   body parsed). The pool's occupancy stays level, so the run can last.
-- MODE "create": every request is a new visitor taking a number (the pool drains).
-- DELAY_MS: wait this long before each request on a connection (paces the offered load, for
--   the SIP comparison); 0 = as fast as the connections go.
-- At the end it prints the statuses that were not 200/204 and the latency percentiles in µs.

local mode, pool, pause = "mixed", "bench-web", 0
local SESSIONS = 200
local sessions = {}     -- live session ids, oldest first
local live = {}         -- the same ids, as a set
local releasing = {}    -- ids to release next
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

local function create()
  return wrk.format("POST", "/v1/pools/" .. pool .. "/sessions", headers, body_new)
end

function request()
  n = n + 1
  if mode == "create" or #sessions < SESSIONS then
    return create()
  end
  if #releasing > 0 then
    -- a visitor whose place a new one took leaves first, so the pool's occupancy stays level
    return wrk.format("POST", "/v1/sessions/" .. table.remove(releasing, 1) .. "/release", headers, "")
  end
  local k = n % 10
  if k == 0 then
    return create()
  end
  local id = sessions[(n % #sessions) + 1]
  if k % 2 == 0 then
    return wrk.format("POST", "/v1/sessions/" .. id .. "/renew", headers, "")
  end
  return wrk.format("POST", "/v1/pools/" .. pool .. "/sessions", headers,
    '{"session":"' .. id .. '","page_url":"https://bench.example/pricing"}')
end

function response(status, hdrs, body)
  if status ~= 200 and status ~= 204 then
    statuses[status] = (statuses[status] or 0) + 1
  elseif mode == "mixed" and status == 200 and not body:find('"session":"', 1, true) then
    statuses["200 overflow"] = (statuses["200 overflow"] or 0) + 1
  elseif mode == "mixed" and status == 200 then
    local id = body:match('"session":"(%x+)"')
    if id and not live[id] then
      -- a new visitor's answer (a kept or renewed one repeats an id we hold)
      if #sessions >= SESSIONS then
        local oldest = table.remove(sessions, 1)
        live[oldest] = nil
        table.insert(releasing, oldest)
      end
      table.insert(sessions, id)
      live[id] = true
    end
  end
end

function done(summary, latency, requests)
  local others = {}
  for _, t in ipairs(threads) do
    for code, count in pairs(t:get("statuses")) do
      others[code] = (others[code] or 0) + count
    end
  end
  io.write("answers other than 200/204:")
  local any = false
  for code, count in pairs(others) do
    io.write(string.format(" %s x%d", tostring(code), count))
    any = true
  end
  io.write(any and "\n" or " none\n")
  io.write(string.format("requests/s: %.0f; latency us: p50 %d p90 %d p99 %d p99.9 %d max %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
end
