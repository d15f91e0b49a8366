-- Checks a handler's caps and takes a concurrency slot in one atomic step (server README,
-- "Cluster: shared state in Redis"). Time is Redis's own, so the nodes' clocks do not matter
-- for leases; window ids and ends come from the node (the handler's zone).
-- KEYS[1] live slots (zset slot -> lease expiry ms); KEYS[2..5] committed counts of the
-- hourly, daily, monthly, total windows; KEYS[6..9] pending holds of those windows (zsets).
-- ARGV[1] slot id; ARGV[2] lease ms; ARGV[3] concurrency cap (-1: none);
-- ARGV[4..7] window caps (-1: none); ARGV[8] 0 = no window counts, 1 = count now, 2 = hold;
-- ARGV[9..12] window ends, epoch ms (0: never).
-- Returns -1 when granted, 4 when concurrency is full, else the full window (0..3).
-- Lengthens a key's life to at least ms: never shortens it (a node with a shorter lease must
-- not expire another node's slots with the key).
local function extend(key, ms)
  if redis.call('PTTL', key) < ms then
    redis.call('PEXPIRE', key, ms)
  end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leaseMs = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local concurrency = tonumber(ARGV[3])
if concurrency >= 0 and redis.call('ZCARD', KEYS[1]) >= concurrency then
  return 4
end
local mode = tonumber(ARGV[8])
if mode ~= 0 then
  for w = 0, 3 do
    local limit = tonumber(ARGV[4 + w])
    if limit >= 0 then
      redis.call('ZREMRANGEBYSCORE', KEYS[6 + w], '-inf', now)
      local used = tonumber(redis.call('GET', KEYS[2 + w]) or '0') + redis.call('ZCARD', KEYS[6 + w])
      if used >= limit then
        return w
      end
    end
  end
end
redis.call('ZADD', KEYS[1], now + leaseMs, ARGV[1])
extend(KEYS[1], leaseMs)
if mode ~= 0 then
  for w = 0, 3 do
    local key = mode == 1 and KEYS[2 + w] or KEYS[6 + w]
    if mode == 1 then
      redis.call('INCR', key)
    else
      redis.call('ZADD', key, now + leaseMs, ARGV[1])
    end
    local ends = tonumber(ARGV[9 + w])
    if ends > 0 then
      redis.call('PEXPIREAT', key, ends)
    elseif mode == 2 then
      -- The total window never ends: its holds go with the last lease.
      extend(key, leaseMs)
    end
  end
end
return -1
