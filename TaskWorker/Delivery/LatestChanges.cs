using System.Collections.Concurrent;
using Tasks.Shared;

namespace TaskWorker.Delivery;

/// <summary>
/// The latest change of every entity on one compacted changes topic (the latest per key counts), as
/// <see cref="ChangesListener{TChange}"/> reads them.
/// </summary>
internal abstract class LatestChanges<TChange>(string topic, TimeProvider time) where TChange : class
{
    private readonly ConcurrentDictionary<long, TChange> _latest = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _awaited = new();
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The topic the changes are read from.</summary>
    public string Topic => topic;

    /// <summary>Completes once every partition of the topic was read to its end, so what was changed before the worker started is known.</summary>
    public Task CaughtUp => _caughtUp.Task;

    /// <summary>The entity's id, its record's key; a change whose id is not positive is skipped.</summary>
    public abstract long IdOf(TChange change);

    /// <summary>The entity's latest change, or null when none was read.</summary>
    public TChange? Find(long id) => _latest.GetValueOrDefault(id);

    /// <summary>
    /// The entity's latest change, waiting up to <paramref name="timeout"/> for its first one to be read; null when none
    /// came in time. For a change published just before the records that need it, which the listener may not have read yet.
    /// </summary>
    public async Task<TChange?> WaitForAsync(long id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Find(id) is { } known)
        {
            return known;
        }
        var arrival = _awaited.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        // Applied between the first look and the registration, the change did not complete this arrival.
        if (Find(id) is { } justApplied)
        {
            return justApplied;
        }
        try
        {
            await arrival.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
        return Find(id);
    }

    public void Apply(TChange change)
    {
        var id = IdOf(change);
        _latest[id] = change;
        if (_awaited.TryRemove(id, out var arrival))
        {
            arrival.TrySetResult();
        }
    }

    /// <summary>A tombstone (compaction's delete): the entity is gone, and so is what was known of it.</summary>
    public void Forget(long id) => _latest.TryRemove(id, out _);

    public void MarkCaughtUp() => _caughtUp.TrySetResult();
}

/// <summary>The latest <see cref="MailingChanged"/> of every mailing, from mailings.changes.</summary>
internal sealed class KnownMailings(TimeProvider time) : LatestChanges<MailingChanged>(KafkaTopics.MailingsChanges, time)
{
    /// <summary>Key of the listener's consumer settings (<c>Aspire:Confluent:Kafka:Consumer:taskworker-mailings</c>), also its unjoined group id.</summary>
    public const string ConsumerKey = "taskworker-mailings";

    public override long IdOf(MailingChanged change) => change.MailingId;
}

/// <summary>The latest <see cref="CampaignChanged"/> of every campaign, from campaigns.changes.</summary>
internal sealed class KnownCampaigns(TimeProvider time) : LatestChanges<CampaignChanged>(KafkaTopics.CampaignsChanges, time)
{
    /// <summary>Key of the listener's consumer settings (<c>Aspire:Confluent:Kafka:Consumer:taskworker-campaigns</c>), also its unjoined group id.</summary>
    public const string ConsumerKey = "taskworker-campaigns";

    public override long IdOf(CampaignChanged change) => change.CampaignId;
}
