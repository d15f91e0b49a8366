-- Converts a caller on one side unless it converted within the dedupe window, in one atomic
-- step (CallerIndex.convert). Times are the nodes' (epoch ms), as the windows are.
-- KEYS[1] the caller's hash; ARGV[1] side (0 source, 1 handler); ARGV[2] the call's hash;
-- ARGV[3] now, epoch ms; ARGV[4] window ms (0: none, -1: forever); ARGV[5] retention ms (-1: forever).
-- Returns 0 when converted now, the earlier conversion's time when deduplicated, minus it when
-- this very call converted before (a repeated postback).
local at = 'c' .. ARGV[1]
local call = 'k' .. ARGV[1]
local earlier = redis.call('HMGET', KEYS[1], at, call)
local previous = tonumber(earlier[1] or '0')
if previous ~= 0 and earlier[2] == ARGV[2] then
  return -previous
end
local now = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
if previous ~= 0 and window ~= 0 and (window < 0 or now - previous < window) then
  return previous
end
redis.call('HSET', KEYS[1], at, ARGV[3], call, ARGV[2])
local retention = tonumber(ARGV[5])
if retention < 0 then
  redis.call('PERSIST', KEYS[1])
elseif redis.call('PTTL', KEYS[1]) < retention then
  redis.call('PEXPIRE', KEYS[1], retention)
end
return 0
