using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tasks.Shared;

namespace Scheduler.Storage;

/// <summary>What storing a request did.</summary>
public enum ScheduleOutcome
{
    Stored,
    /// <summary>The id is already waiting or being released; the first request wins.</summary>
    Duplicate,
    /// <summary>The id was cancelled (possibly before this request arrived).</summary>
    AlreadyCancelled,
    /// <summary>The id was released already (the request is a redelivery or a retry).</summary>
    AlreadyReleased,
}

/// <summary>What a cancel did.</summary>
public enum CancelOutcome
{
    Cancelled,
    /// <summary>Nothing stored yet: the id is remembered as cancelled, so its request is ignored when it arrives.</summary>
    BeforeRequest,
    /// <summary>Too late: the entry was released.</summary>
    AlreadyReleased,
}

/// <summary>Where one schedule id is, for observing the store.</summary>
public enum EntryState
{
    Unknown,
    Waiting,
    InFlight,
    Released,
    Cancelled,
}

/// <summary>An entry a releaser now holds a lease on.</summary>
public sealed record ClaimedEntry(string ScheduleId, byte[] Envelope, bool Reclaimed);

/// <summary>A claim's entries, and how many entries the store held after it (waiting or in flight, these included).</summary>
public sealed record ClaimedBatch(IReadOnlyList<ClaimedEntry> Entries, long Stored);

/// <summary>
/// The delay store in Redis: entries in a sorted set scored by due time, claimed for release under a lease and
/// acknowledged once Kafka has them. The data layout and the scripts' contracts are in <see cref="ScheduleScripts"/>.
/// </summary>
public sealed class ScheduleStore(IConnectionMultiplexer redis, IOptions<SchedulerOptions> options, TimeProvider clock)
{
    private readonly SchedulerOptions _options = options.Value;
    private readonly RedisKey _due = options.Value.KeyPrefix + "due";
    private readonly RedisKey _inFlight = options.Value.KeyPrefix + "inflight";
    private readonly RedisKey _envelopes = options.Value.KeyPrefix + "envelopes";
    private readonly RedisKey _released = options.Value.KeyPrefix + "released";
    private readonly RedisKey _cancelled = options.Value.KeyPrefix + "cancelled";

    private IDatabase Database => redis.GetDatabase();

    /// <summary>The sorted-set score of a due time: Unix milliseconds rounded up, so nothing is released before it is due.</summary>
    public static long ScoreOf(DateTimeOffset dueAt)
    {
        var milliseconds = dueAt.ToUnixTimeMilliseconds();
        return dueAt.UtcTicks % TimeSpan.TicksPerMillisecond == 0 ? milliseconds : milliseconds + 1;
    }

    public async Task<ScheduleOutcome> ScheduleAsync(ScheduleRequest request)
    {
        var result = await Database.ScriptEvaluateAsync(ScheduleScripts.Schedule,
            [_due, _envelopes, _released, _cancelled],
            [request.ScheduleId, ScoreOf(request.DueAt), MessageJson.Serialize(request)]);
        return (string?)result switch
        {
            "stored" => ScheduleOutcome.Stored,
            "duplicate" => ScheduleOutcome.Duplicate,
            "cancelled" => ScheduleOutcome.AlreadyCancelled,
            "released" => ScheduleOutcome.AlreadyReleased,
            var other => throw Unexpected(nameof(ScheduleScripts.Schedule), other),
        };
    }

    public async Task<CancelOutcome> CancelAsync(string scheduleId)
    {
        var now = clock.GetUtcNow();
        var result = await Database.ScriptEvaluateAsync(ScheduleScripts.Cancel,
            [_due, _inFlight, _envelopes, _released, _cancelled],
            [scheduleId, now.ToUnixTimeMilliseconds(), (now - _options.CancelledRetention).ToUnixTimeMilliseconds()]);
        return (string?)result switch
        {
            "cancelled" => CancelOutcome.Cancelled,
            "unknown" => CancelOutcome.BeforeRequest,
            "released" => CancelOutcome.AlreadyReleased,
            var other => throw Unexpected(nameof(ScheduleScripts.Cancel), other),
        };
    }

    /// <summary>
    /// Claims until <paramref name="leaseUntil"/> up to <paramref name="limit"/> entries: those whose earlier lease
    /// expired by <paramref name="now"/>, then those due by <paramref name="dueBy"/>. Atomic: two callers never claim
    /// the same entry under live leases.
    /// </summary>
    public async Task<ClaimedBatch> ClaimAsync(DateTimeOffset now, DateTimeOffset dueBy, DateTimeOffset leaseUntil, int limit)
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(ScheduleScripts.Claim,
            [_due, _inFlight, _envelopes],
            [now.ToUnixTimeMilliseconds(), dueBy.ToUnixTimeMilliseconds(), leaseUntil.ToUnixTimeMilliseconds(), limit]))!;

        var entries = new List<ClaimedEntry>((result.Length - 1) / 3);
        for (var i = 1; i < result.Length; i += 3)
        {
            entries.Add(new ClaimedEntry((string)result[i]!, (byte[])result[i + 1]!, (long)result[i + 2] == 1));
        }
        return new ClaimedBatch(entries, (long)result[0]);
    }

    /// <summary>Marks claimed entries as released: they leave the store, and a repeated request for them is ignored.</summary>
    public async Task AcknowledgeAsync(IReadOnlyList<string> scheduleIds)
    {
        if (scheduleIds.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var values = new RedisValue[scheduleIds.Count + 2];
        values[0] = now.ToUnixTimeMilliseconds();
        values[1] = (now - _options.ReleasedRetention).ToUnixTimeMilliseconds();
        for (var i = 0; i < scheduleIds.Count; i++)
        {
            values[i + 2] = scheduleIds[i];
        }
        await Database.ScriptEvaluateAsync(ScheduleScripts.Acknowledge, [_inFlight, _envelopes, _released], values);
    }

    /// <summary>Entries stored and not yet released: waiting, or claimed and being released.</summary>
    public async Task<long> CountAsync()
    {
        var database = Database;
        var waiting = database.SortedSetLengthAsync(_due);
        var inFlight = database.SortedSetLengthAsync(_inFlight);
        return await waiting + await inFlight;
    }

    /// <summary>Where an id is; read in the order of its life, so the answer is a state it was in while this ran.</summary>
    public async Task<EntryState> StateOfAsync(string scheduleId)
    {
        var database = Database;
        var waiting = database.SortedSetScoreAsync(_due, scheduleId);
        var inFlight = database.SortedSetScoreAsync(_inFlight, scheduleId);
        var cancelled = database.SortedSetScoreAsync(_cancelled, scheduleId);
        var released = database.SortedSetScoreAsync(_released, scheduleId);
        if (await waiting is not null)
        {
            return EntryState.Waiting;
        }
        if (await inFlight is not null)
        {
            return EntryState.InFlight;
        }
        if (await cancelled is not null)
        {
            return EntryState.Cancelled;
        }
        return await released is not null ? EntryState.Released : EntryState.Unknown;
    }

    private static InvalidOperationException Unexpected(string script, string? reply) =>
        new($"The {script} script answered '{reply}'.");
}
