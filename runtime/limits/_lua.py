"""The Lua scripts the Redis backend runs: one round trip per acquire, release, pace or cut.

Every script reads Redis's own clock (``TIME``), so hosts whose clocks disagree still
share one timeline, and works in microseconds. All keys of one account carry the same
hash tag (``trunkline:{AC…}:…``), so on Redis Cluster a script's keys live in one slot.

Concurrency keys (``KEYS``): 1 the leases (sorted set, member = lease id, score = expiry),
2 the queue (sorted set, score = ticket), 3 the queue's expiries (sorted set), 4 the state
(hash: ``ticket`` counter, and while the adaptive limit is below K: ``cur``, ``at`` (last
change), ``cut`` (last decrease)). A waiter blocks on its own list, the waiter prefix plus
its id (same hash tag), which ``fill`` pushes to when it hands the waiter a slot.
"""

from __future__ import annotations

__all__ = ["ACQUIRE", "CUT", "PACE", "RELEASE", "RENEW"]

_COMMON = """
if redis.replicate_commands then redis.replicate_commands() end
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

-- The adaptive limit: K unless a 429 cut it; then one step back up per step_us.
local function limit(state, k, now, step_us)
  local cur = tonumber(redis.call('HGET', state, 'cur'))
  if not cur or cur >= k then return k end
  local at = tonumber(redis.call('HGET', state, 'at')) or now
  local steps = math.floor((now - at) / step_us)
  if steps > 0 then
    cur = cur + steps
    if cur >= k then
      redis.call('HDEL', state, 'cur', 'at')
      return k
    end
    redis.call('HSET', state, 'cur', cur, 'at', at + steps * step_us)
  end
  return cur
end

-- Drop the leases of holders that stopped renewing (a killed process) and dead waiters.
local function reap(leases, queue, qexp, now)
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  local dead = redis.call('ZRANGEBYSCORE', qexp, '-inf', now)
  if #dead > 0 then
    redis.call('ZREM', qexp, unpack(dead))
    redis.call('ZREM', queue, unpack(dead))
  end
end

-- Hand free slots to the queue in ticket order; each new holder's list gets a wake-up.
local function fill(leases, queue, qexp, lim, now, ttl, wprefix)
  local free = lim - redis.call('ZCARD', leases)
  if free <= 0 then return end
  local heads = redis.call('ZRANGE', queue, 0, free - 1)
  for _, w in ipairs(heads) do
    redis.call('ZADD', leases, now + ttl, w)
    redis.call('ZREM', queue, w)
    redis.call('ZREM', qexp, w)
    local wkey = wprefix .. w
    redis.call('RPUSH', wkey, '1')
    redis.call('PEXPIRE', wkey, math.ceil(ttl / 1000))
  end
end

local function keep(keys, ms)
  for _, key in ipairs(keys) do redis.call('PEXPIRE', key, ms) end
end
"""

ACQUIRE = (
    _COMMON
    + """
-- ARGV: id, k, ttl_us, wait_ttl_us, step_us, waiter prefix. Returns 1 (holds a slot) or 0
-- (queued: a later fill pushes to the waiter's list).
local leases, queue, qexp, state = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, k = ARGV[1], tonumber(ARGV[2])
local ttl, wait_ttl, step = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local now = now_us()
reap(leases, queue, qexp, now)
local lim = limit(state, k, now, step)
local keep_ms = math.ceil((ttl + wait_ttl + step * k) / 1000)
local wkey = ARGV[6] .. id
-- A grant leaves one wake-up in the waiter's list: the BLPOP sent with this script
-- returns at once.
local function granted()
  redis.call('DEL', wkey)
  redis.call('RPUSH', wkey, '1')
  redis.call('PEXPIRE', wkey, math.ceil(wait_ttl / 1000))
  return 1
end
if redis.call('ZSCORE', leases, id) then return granted() end
if redis.call('ZCARD', queue) == 0 and redis.call('ZCARD', leases) < lim then
  redis.call('ZADD', leases, now + ttl, id)
  keep({leases, state}, keep_ms)
  return granted()
end
if not redis.call('ZSCORE', queue, id) then
  redis.call('ZADD', queue, redis.call('HINCRBY', state, 'ticket', 1), id)
end
redis.call('ZADD', qexp, now + wait_ttl, id)
fill(leases, queue, qexp, lim, now, ttl, ARGV[6])
keep({leases, queue, qexp, state}, keep_ms)
if redis.call('ZSCORE', leases, id) then return granted() end
return 0
"""
)

RELEASE = (
    _COMMON
    + """
-- ARGV: k, ttl_us, step_us, waiter prefix, id... Frees slots or leaves the queue.
local leases, queue, qexp, state = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local k, ttl, step = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wprefix = ARGV[4]
local now = now_us()
for i = 5, #ARGV do
  local id = ARGV[i]
  redis.call('ZREM', leases, id)
  redis.call('ZREM', queue, id)
  redis.call('ZREM', qexp, id)
  redis.call('DEL', wprefix .. id)
end
reap(leases, queue, qexp, now)
fill(leases, queue, qexp, limit(state, k, now, step), now, ttl, wprefix)
return 1
"""
)

RENEW = (
    _COMMON
    + """
-- ARGV: ttl_us, id... Pushes back the expiry of leases this process still holds.
local now = now_us()
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1]) * 2 / 1000))
local expiry = now + tonumber(ARGV[1])
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', expiry, ARGV[i])
end
return renewed
"""
)

CUT = (
    _COMMON
    + """
-- ARGV: k, step_us, min, factor, observed (0: none). After a 429: multiplicative decrease,
-- at most once per step (the requests already in flight answer 429 too). Returns the limit.
local state = KEYS[1]
local k, step, low = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local factor, observed = tonumber(ARGV[4]), tonumber(ARGV[5])
local now = now_us()
local lim = limit(state, k, now, step)
local last = tonumber(redis.call('HGET', state, 'cut'))
if last and now - last < step then return lim end
local new = math.floor(lim * factor)
if observed > 0 and observed - 1 < new then new = observed - 1 end
if new < low then new = low end
redis.call('HSET', state, 'cur', new, 'at', now, 'cut', now)
redis.call('PEXPIRE', state, math.ceil(step * (k + 1) / 1000))
return new
"""
)

PACE = (
    _COMMON
    + """
-- GCRA. ARGV: emission interval T (us), burst tolerance tau (us), longest wait (us).
-- Returns the wait in us before sending, or -1 when it is longer than allowed (nothing
-- is reserved then).
local key = KEYS[1]
local interval, tau, longest = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_us()
local tat = tonumber(redis.call('GET', key)) or now
if tat < now then tat = now end
local wait = tat - tau - now
if wait < 0 then wait = 0 end
if wait > longest then return -1 end
local new = tat + interval
redis.call('SET', key, string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000) + 1)
return wait
"""
)
