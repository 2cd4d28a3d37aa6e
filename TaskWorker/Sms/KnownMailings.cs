using System.Collections.Concurrent;
using Tasks.Shared;

namespace TaskWorker.Sms;

/// <summary>The latest <see cref="MailingChanged"/> of every mailing, as <see cref="MailingChangesListener"/> reads them.</summary>
internal sealed class KnownMailings
{
    private readonly ConcurrentDictionary<long, MailingChanged> _latest = new();
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every partition of mailings.changes was read to its end, so what was changed before the worker started is known.</summary>
    public Task CaughtUp => _caughtUp.Task;

    /// <summary>The mailing's latest change, or null when none was read.</summary>
    public MailingChanged? Find(long mailingId) => _latest.GetValueOrDefault(mailingId);

    public void Apply(MailingChanged change) => _latest[change.MailingId] = change;

    /// <summary>A tombstone (compaction's delete): the mailing is gone, and so is what was known of it.</summary>
    public void Forget(long mailingId) => _latest.TryRemove(mailingId, out _);

    public void MarkCaughtUp() => _caughtUp.TrySetResult();
}
