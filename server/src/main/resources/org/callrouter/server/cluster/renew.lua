-- Renews a node's leases on one handler's slots: each slot (and its holds) lives another lease
-- from now. XX: a slot whose lease already ran out stays released (another node may have it).
-- KEYS[1] live slots; KEYS[2] total-window holds; KEYS[3..] other hold sets;
-- ARGV[1] lease ms; ARGV[2..] slot ids.
local function extend(key, ms)
  local ttl = redis.call('PTTL', key)
  if ttl ~= -2 and ttl < ms then
    redis.call('PEXPIRE', key, ms)
  end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leaseMs = tonumber(ARGV[1])
local renewed = 0
for i = 1, #KEYS do
  for j = 2, #ARGV do
    renewed = renewed + redis.call('ZADD', KEYS[i], 'XX', 'CH', now + leaseMs, ARGV[j])
  end
end
extend(KEYS[1], leaseMs)
extend(KEYS[2], leaseMs)
return renewed
