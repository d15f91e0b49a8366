-- Turns a slot's holds into counts (answered for trigger connected, converted for converted).
-- A hold whose window ended (its key expired) or whose lease ran out is not counted.
-- KEYS[1..4] committed counts; KEYS[5..8] holds; ARGV[1] slot id; ARGV[2..5] window ends (0: never).
for w = 0, 3 do
  if redis.call('ZREM', KEYS[5 + w], ARGV[1]) == 1 then
    redis.call('INCR', KEYS[1 + w])
    local ends = tonumber(ARGV[2 + w])
    if ends > 0 then
      redis.call('PEXPIREAT', KEYS[1 + w], ends)
    end
  end
end
return 0
