using System.Threading.Channels;

namespace TaskApi.Features.Feed.Streaming;

/// <summary>
/// The open feed streams of this TaskApi instance by user id, and the wake-ups the listener sends them. A wake-up says
/// only "read on": the stream reads its user's feed after the last event it sent, so a wake-up carries no item, many
/// coalesce into one, and a stream's memory stays one page however slow its client is.
/// </summary>
public sealed class FeedSubscriptions
{
    // Streams open and close far less often than notices arrive, and a wake-up never blocks: one lock is enough.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Subscription>> _byUser = new(StringComparer.Ordinal);

    /// <summary>Registers a stream of <paramref name="userId"/>; null when the user already has <paramref name="maxPerUser"/> open here.</summary>
    public Subscription? TrySubscribe(string userId, int maxPerUser)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var streams))
            {
                _byUser[userId] = streams = [];
            }
            if (streams.Count >= maxPerUser)
            {
                return null;
            }
            var subscription = new Subscription(this, userId);
            streams.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Wakes every stream of <paramref name="userId"/> on this instance.</summary>
    public void Wake(string userId)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(userId, out var streams))
            {
                streams.ForEach(subscription => subscription.Wake());
            }
        }
    }

    /// <summary>Wakes every stream: notices may have been missed while the listener was not listening.</summary>
    public void WakeAll()
    {
        lock (_gate)
        {
            foreach (var streams in _byUser.Values)
            {
                streams.ForEach(subscription => subscription.Wake());
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(subscription.UserId, out var streams) && streams.Remove(subscription) && streams.Count == 0)
            {
                _byUser.Remove(subscription.UserId);
            }
        }
    }

    /// <summary>One open stream's registration: awaits wake-ups until disposed.</summary>
    public sealed class Subscription : IDisposable
    {
        // One pending wake-up at most: more while it is pending say nothing more.
        private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        private readonly FeedSubscriptions _owner;

        internal Subscription(FeedSubscriptions owner, string userId)
        {
            _owner = owner;
            UserId = userId;
        }

        public string UserId { get; }

        internal void Wake() => _wakeUps.Writer.TryWrite(true);

        /// <summary>Waits for a wake-up up to <paramref name="timeout"/>; false when none came.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
        {
            if (_wakeUps.Reader.TryRead(out _))
            {
                return true;
            }
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(timeout);
            try
            {
                await _wakeUps.Reader.WaitToReadAsync(timer.Token);
                return _wakeUps.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }

        public void Dispose() => _owner.Remove(this);
    }
}
