-- The handler that answered a caller's last call in a campaign, if at or after ARGV[1]
-- (server README, "Cluster: shared state in Redis"; CallerIndex.lastHandler).
-- KEYS[1] the caller's hash (cr:caller:<campaign>:<caller>); ARGV[1] since, epoch ms.
-- Returns the handler id, or nil.
local last = redis.call('HMGET', KEYS[1], 'h', 'a')
if not last[1] or tonumber(last[2]) < tonumber(ARGV[1]) then
  return false
end
return last[1]
