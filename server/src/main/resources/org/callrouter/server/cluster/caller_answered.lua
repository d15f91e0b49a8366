-- Remembers the handler that answered a caller's call (repeat callers), unless a later answer
-- is already remembered (two nodes' writes may arrive out of order).
-- KEYS[1] the caller's hash; ARGV[1] handler id; ARGV[2] answered at, epoch ms;
-- ARGV[3] retention ms (-1: forever).
local at = tonumber(redis.call('HGET', KEYS[1], 'a') or '0')
if at > tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'h', ARGV[1], 'a', ARGV[2])
local retention = tonumber(ARGV[3])
if retention < 0 then
  redis.call('PERSIST', KEYS[1])
elseif redis.call('PTTL', KEYS[1]) < retention then
  redis.call('PEXPIRE', KEYS[1], retention)
end
return 1
