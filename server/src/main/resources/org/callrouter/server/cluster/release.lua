-- Gives a slot back: one live call less and, when ARGV[2] is 1, its pending holds dropped.
-- KEYS[1] live slots; KEYS[2..5] holds; ARGV[1] slot id; ARGV[2] drop holds (0/1).
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[2] == '1' then
  for w = 2, 5 do
    redis.call('ZREM', KEYS[w], ARGV[1])
  end
end
return 0
