namespace Scheduler.Storage;

/// <summary>
/// The Lua scripts that change the Scheduler's Redis data. Each runs atomically, so instances sharing one Redis
/// never interleave inside a script; every key a script touches is passed in KEYS. Layout (P = <see cref="SchedulerOptions.KeyPrefix"/>):
/// <list type="bullet">
/// <item><c>P due</c>: sorted set of schedule ids waiting, scored by due time (Unix ms, rounded up).</item>
/// <item><c>P inflight</c>: sorted set of ids claimed by a releaser, scored by when the claim's lease expires (Unix ms).</item>
/// <item><c>P envelopes</c>: hash from schedule id to its envelope (the request as <c>MessageJson</c>), present while the id is in one of the two sets above.</item>
/// <item><c>P released</c>, <c>P cancelled</c>: sorted sets of ids released or cancelled, scored by when (Unix ms), so
/// a late or repeated request for them is ignored; entries older than their retention are trimmed as new ones arrive.</item>
/// </list>
/// Sorted sets rather than one key per id with a TTL: adding to them takes one command per batch instead of one per
/// id, which is most of what an acknowledgement costs.
/// </summary>
internal static class ScheduleScripts
{
    /// <summary>
    /// Stores an entry unless its id is known. KEYS: due, envelopes, released, cancelled. ARGV: id, due score, envelope.
    /// Returns <c>stored</c>; <c>duplicate</c> (already waiting or in flight: the first request wins); <c>cancelled</c>; <c>released</c>.
    /// </summary>
    public const string Schedule = """
        if redis.call('ZSCORE', KEYS[4], ARGV[1]) then
          return 'cancelled'
        end
        if redis.call('ZSCORE', KEYS[3], ARGV[1]) then
          return 'released'
        end
        if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3]) == 0 then
          return 'duplicate'
        end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        return 'stored'
        """;

    /// <summary>
    /// Drops an entry wherever it is and remembers the id as cancelled, so a request that arrives later is ignored.
    /// KEYS: due, inflight, envelopes, released, cancelled. ARGV: id, now (Unix ms), forget-before (Unix ms).
    /// Returns <c>cancelled</c> (it was stored), <c>released</c> (too late) or <c>unknown</c> (not stored yet: its request will be ignored).
    /// </summary>
    public const string Cancel = """
        if redis.call('ZSCORE', KEYS[4], ARGV[1]) then
          return 'released'
        end
        local stored = redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', '(' .. ARGV[3])
        if stored == 1 then
          return 'cancelled'
        end
        return 'unknown'
        """;

    /// <summary>
    /// Claims up to ARGV[4] entries (at most 2000: Lua's unpack limit): first those whose lease expired by ARGV[1]
    /// (their releaser died before acknowledging), then those due by ARGV[2], oldest first; each gets (or keeps) an
    /// inflight score of the new lease expiry. KEYS: due, inflight, envelopes.
    /// ARGV: now (Unix ms), due by (Unix ms), lease expiry (Unix ms), limit.
    /// Returns { entries waiting or in flight after the claim, then per claimed entry: id, envelope,
    /// 1 if it was re-claimed after an expired lease else 0 }.
    /// </summary>
    public const string Claim = """
        local limit = tonumber(ARGV[4])
        local result = {0}
        local leases = {}
        local function claim(ids, reclaimed)
          if #ids == 0 then
            return
          end
          local envelopes = redis.call('HMGET', KEYS[3], unpack(ids))
          for i, id in ipairs(ids) do
            if envelopes[i] then
              leases[#leases + 1] = ARGV[3]
              leases[#leases + 1] = id
              result[#result + 1] = id
              result[#result + 1] = envelopes[i]
              result[#result + 1] = reclaimed
            end
          end
        end
        local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, limit)
        claim(expired, 1)
        if #expired < limit then
          local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, limit - #expired)
          if #due > 0 then
            redis.call('ZREM', KEYS[1], unpack(due))
          end
          claim(due, 0)
        end
        if #expired > 0 then
          -- An id without an envelope cannot be released; dropping it keeps it from being re-read on every call.
          redis.call('ZREM', KEYS[2], unpack(expired))
        end
        if #leases > 0 then
          redis.call('ZADD', KEYS[2], unpack(leases))
        end
        result[1] = redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2])
        return result
        """;

    /// <summary>
    /// Acknowledges released entries (at most 2000): removes them from inflight with their envelopes and remembers them
    /// as released. KEYS: inflight, envelopes, released. ARGV: now (Unix ms), forget-before (Unix ms), then the ids.
    /// </summary>
    public const string Acknowledge = """
        local ids = {}
        local released = {}
        for i = 3, #ARGV do
          ids[#ids + 1] = ARGV[i]
          released[#released + 1] = ARGV[1]
          released[#released + 1] = ARGV[i]
        end
        redis.call('ZREM', KEYS[1], unpack(ids))
        redis.call('HDEL', KEYS[2], unpack(ids))
        redis.call('ZADD', KEYS[3], unpack(released))
        redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[2])
        return #ids
        """;
}
