-- Counts one event in every window without a slot (a postback conversion after the call).
-- KEYS[1..4] committed counts; ARGV[1..4] window ends (0: never).
for w = 1, 4 do
  redis.call('INCR', KEYS[w])
  local ends = tonumber(ARGV[w])
  if ends > 0 then
    redis.call('PEXPIREAT', KEYS[w], ends)
  end
end
return 0
