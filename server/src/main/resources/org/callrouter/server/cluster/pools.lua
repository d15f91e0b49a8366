-- Number pools' leases and visitor sessions in one atomic step each (server README, "Cluster:
-- shared state in Redis", pool leases). One script for every step, so that they share the
-- lease bookkeeping below. Every key carries the hash tag {pools}: a step that learns a
-- session's pool (renew, release, page view) reaches the pool's keys from the session, all in
-- one slot of a Redis Cluster too. Time is Redis's own (TIME), as for the caps' leases.
-- ARGV[1] the step, ARGV[2] the key prefix ('cr:{pools}:'); the rest depends on the step:
--   allocate KEYS free, lease, holder, numbers version; ARGV[3] version, pool, lease ms, grace ms,
--            renew (1/0), held session ('' none), new session id, address ('' none), max
--            sessions per address, source, tags (JSON), page url ('' none)
--            -> {'seed'} | {'address_cap'} | {'exhausted'} | {'created'|'kept', session, number, lease end}
--   seed     KEYS free, lease, holder, numbers version; ARGV[3] version, ARGV[4..] the numbers
--   renew    KEYS session; ARGV[3] session id -> {'unknown'} | {'renewed', session, number, lease end}
--   view     KEYS session; ARGV[3] session id, url -> {'unknown'} | {'viewed'}
--   release  KEYS session; ARGV[3] session id -> {'unknown'} | {'released'}
--   lookup   KEYS holder; ARGV[3] number -> {} | {session, source, tags (JSON), {page path}}
local step, p = ARGV[1], ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- Free numbers are scored in microseconds, so that releases keep their order within a millisecond.
local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
local MAX_PAGE_VIEWS = 20

local function pool(id)
  local k = p .. 'p:' .. id .. ':'
  return k .. 'free', k .. 'lease', k .. 'holder'
end

-- The address's live sessions, after dropping those whose lease ended.
local function live(address)
  local key = p .. 'a:' .. address
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  return redis.call('ZCARD', key)
end

local function extendTo(key, atMs)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 or now + ttl < atMs then
    redis.call('PEXPIREAT', key, atMs)
  end
end

-- The session holds its number until leaseEnd: the pool's lease set, the session's own keys
-- (kept until the grace window after the lease ends) and its address's live set.
local function lease(leaseKey, sid, number, address, leaseEnd, graceMs)
  local session = p .. 's:' .. sid
  redis.call('ZADD', leaseKey, leaseEnd, number)
  redis.call('HSET', session, 'lease', leaseEnd, 'released', 0)
  redis.call('PEXPIREAT', session, leaseEnd + graceMs)
  redis.call('PEXPIREAT', session .. ':path', leaseEnd + graceMs)
  if address and address ~= '' then
    local a = p .. 'a:' .. address
    redis.call('ZADD', a, leaseEnd, sid)
    extendTo(a, leaseEnd)
  end
end

-- A released number goes behind every number freed before it, even one freed in the same microsecond.
local function freeNow(free, number)
  local us = nowUs
  local last = redis.call('ZRANGE', free, -1, -1, 'WITHSCORES')
  if last[2] and tonumber(last[2]) >= us then
    us = tonumber(last[2]) + 1
  end
  redis.call('ZADD', free, us, number)
end

local function view(sid, url, untilMs)
  local path = p .. 's:' .. sid .. ':path'
  if redis.call('LINDEX', path, -1) ~= url then
    redis.call('RPUSH', path, url)
    redis.call('LTRIM', path, -MAX_PAGE_VIEWS, -1)
  end
  redis.call('PEXPIREAT', path, untilMs)
end

-- A session's fields and its pool's keys when it holds its number now; nil otherwise.
local function holding(sessionKey, sid)
  local s = redis.call('HMGET', sessionKey, 'pool', 'number', 'address', 'lease_ms', 'grace_ms', 'renew')
  if not s[1] then
    return nil
  end
  local free, leaseKey, holder = pool(s[1])
  if redis.call('HGET', holder, s[2]) ~= sid then
    return nil
  end
  local leaseEnd = tonumber(redis.call('ZSCORE', leaseKey, s[2]) or '0')
  if leaseEnd <= now then
    return nil
  end
  return {number = s[2], address = s[3], leaseMs = tonumber(s[4]), graceMs = tonumber(s[5]), renew = s[6],
    free = free, leaseKey = leaseKey, leaseEnd = leaseEnd}
end

if step == 'allocate' then
  if redis.call('GET', KEYS[4]) ~= ARGV[3] then
    return {'seed'}
  end
  local free, leaseKey, holder = KEYS[1], KEYS[2], KEYS[3]
  local poolId, leaseMs, graceMs, renew = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
  local held, sid, address, maxPerAddress = ARGV[8], ARGV[9], ARGV[10], tonumber(ARGV[11])
  local url = ARGV[14]
  -- Leases that ended free their numbers, each scored by when its lease ended.
  local ended = redis.call('ZRANGEBYSCORE', leaseKey, '-inf', now, 'WITHSCORES')
  for i = 1, #ended, 2 do
    redis.call('ZADD', free, tonumber(ended[i + 1]) * 1000, ended[i])
    redis.call('ZREM', leaseKey, ended[i])
  end
  -- 1. The visitor's own session keeps its number, or takes it back if no one else got it.
  if held ~= '' then
    local s = redis.call('HMGET', p .. 's:' .. held, 'pool', 'number', 'address')
    if s[1] == poolId and redis.call('HGET', holder, s[2]) == held then
      local number, heldAddress = s[2], s[3]
      local leaseEnd = redis.call('ZSCORE', leaseKey, number)
      if leaseEnd then
        leaseEnd = tonumber(leaseEnd)
        if renew == '1' and now + leaseMs > leaseEnd then
          leaseEnd = now + leaseMs
          lease(leaseKey, held, number, heldAddress, leaseEnd, graceMs)
        end
      elseif redis.call('ZSCORE', free, number) then
        if heldAddress ~= '' and live(heldAddress) >= maxPerAddress then
          return {'address_cap'}
        end
        redis.call('ZREM', free, number)
        leaseEnd = now + leaseMs
        lease(leaseKey, held, number, heldAddress, leaseEnd, graceMs)
      end
      if leaseEnd then
        if url ~= '' then
          view(held, url, leaseEnd + graceMs)
        end
        return {'kept', held, number, tostring(leaseEnd)}
      end
    end
  end
  -- 2. The free number whose lease ended longest ago.
  if address ~= '' and live(address) >= maxPerAddress then
    return {'address_cap'}
  end
  local first = redis.call('ZRANGE', free, 0, 0)
  if #first == 0 then
    return {'exhausted'}
  end
  local number = first[1]
  redis.call('ZREM', free, number)
  local previous = redis.call('HGET', holder, number)
  if previous then
    -- Its grace window ends here: the number goes to another visitor.
    redis.call('DEL', p .. 's:' .. previous, p .. 's:' .. previous .. ':path')
  end
  redis.call('HSET', holder, number, sid)
  redis.call('HSET', p .. 's:' .. sid, 'pool', poolId, 'number', number, 'address', address,
    'lease_ms', leaseMs, 'grace_ms', graceMs, 'renew', renew, 'source', ARGV[12], 'tags', ARGV[13], 'created', now)
  local leaseEnd = now + leaseMs
  lease(leaseKey, sid, number, address, leaseEnd, graceMs)
  if url ~= '' then
    view(sid, url, leaseEnd + graceMs)
  end
  return {'created', sid, number, tostring(leaseEnd)}
elseif step == 'seed' then
  -- The pool's numbers as this node's configuration has them: new ones are free (never held),
  -- numbers no longer listed leave the pool with their holders.
  local wanted = {}
  for i = 4, #ARGV do
    wanted[ARGV[i]] = true
  end
  for _, key in ipairs({KEYS[1], KEYS[2]}) do
    for _, number in ipairs(redis.call('ZRANGE', key, 0, -1)) do
      if not wanted[number] then
        redis.call('ZREM', key, number)
        redis.call('HDEL', KEYS[3], number)
      end
    end
  end
  for i = 4, #ARGV do
    if not redis.call('ZSCORE', KEYS[1], ARGV[i]) and not redis.call('ZSCORE', KEYS[2], ARGV[i]) then
      redis.call('ZADD', KEYS[1], 0, ARGV[i])
    end
  end
  redis.call('SET', KEYS[4], ARGV[3])
  return {'seeded'}
elseif step == 'renew' then
  local sid = ARGV[3]
  local h = holding(KEYS[1], sid)
  if not h then
    return {'unknown'}
  end
  local leaseEnd = h.leaseEnd
  if h.renew == '1' and now + h.leaseMs > leaseEnd then
    leaseEnd = now + h.leaseMs
    lease(h.leaseKey, sid, h.number, h.address, leaseEnd, h.graceMs)
  end
  return {'renewed', sid, h.number, tostring(leaseEnd)}
elseif step == 'view' then
  local sid = ARGV[3]
  local h = holding(KEYS[1], sid)
  if not h then
    return {'unknown'}
  end
  view(sid, ARGV[4], h.leaseEnd + h.graceMs)
  return {'viewed'}
elseif step == 'release' then
  -- The number goes back to the pool after every number freed before it; a call within the
  -- grace window still finds the session until the number goes to someone else.
  local sid = ARGV[3]
  local h = holding(KEYS[1], sid)
  if not h then
    return {'unknown'}
  end
  redis.call('ZREM', h.leaseKey, h.number)
  freeNow(h.free, h.number)
  redis.call('HSET', KEYS[1], 'lease', now, 'released', 1)
  redis.call('PEXPIREAT', KEYS[1], now + h.graceMs)
  redis.call('PEXPIREAT', KEYS[1] .. ':path', now + h.graceMs)
  if h.address ~= '' then
    redis.call('ZREM', p .. 'a:' .. h.address, sid)
  end
  return {'released'}
elseif step == 'lookup' then
  -- The session holding the number, or holding it within its grace window.
  local sid = redis.call('HGET', KEYS[1], ARGV[3])
  if not sid then
    return {}
  end
  local session = p .. 's:' .. sid
  local s = redis.call('HMGET', session, 'source', 'tags', 'lease', 'grace_ms', 'number')
  if not s[1] or s[5] ~= ARGV[3] or now >= tonumber(s[3]) + tonumber(s[4]) then
    return {}
  end
  return {sid, s[1], s[2], redis.call('LRANGE', session .. ':path', 0, -1)}
end
return redis.error_reply('unknown step ' .. tostring(step))
