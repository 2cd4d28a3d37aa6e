using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SmsGateway.Sending;

namespace SmsGateway.Messages;

/// <summary>
/// Every send that passed the token check and validation, one entry per id, in memory. Recording takes no lock, so
/// thousands of sends a second cost little; listing copies and sorts, which is for a person or a test looking. At most
/// <see cref="GatewayOptions.MaxStored"/> ids are kept: a new id beyond that drops the id first received longest ago.
/// </summary>
public sealed class ReceivedMessages(IOptions<GatewayOptions> options)
{
    private readonly int _maxStored = options.Value.MaxStored;
    private Store _store = new();

    public void Record(SmsRequest sms, DateTimeOffset receivedAt, int answer) =>
        Volatile.Read(ref _store).Record(sms, receivedAt, answer, _maxStored);

    public ReceivedMessage? Find(long id) =>
        Volatile.Read(ref _store).Entries.TryGetValue(id, out var entry) ? entry.Message : null;

    /// <summary>Page <paramref name="page"/> (from 1) of <paramref name="pageSize"/>, the latest received first.</summary>
    public MessagesPage Page(int page, int pageSize)
    {
        var entries = Volatile.Read(ref _store).Entries.Values.ToArray();
        var skip = (long)(page - 1) * pageSize;
        var items = skip >= entries.Length
            ? []
            : entries.OrderByDescending(entry => entry.Sequence).Skip((int)skip).Take(pageSize).Select(entry => entry.Message).ToList();
        return new MessagesPage(entries.Length, entries.Sum(entry => entry.Message.TimesReceived - 1L), items);
    }

    /// <summary>Starts afresh. A send being recorded at that moment may land in the set that is dropped.</summary>
    public void Clear() => Volatile.Write(ref _store, new Store());

    /// <summary>A message and the order of its latest arrival, which "newest first" sorts by.</summary>
    private sealed record Entry(ReceivedMessage Message, long Sequence);

    private sealed class Store
    {
        public readonly ConcurrentDictionary<long, Entry> Entries = new();

        // Ids in the order they were first stored: the front is what goes when the store is full.
        private readonly ConcurrentQueue<long> _firstArrivals = new();

        // ConcurrentDictionary.Count takes every lock of the dictionary; this is kept beside it instead.
        private int _count;
        private long _sequence;

        public void Record(SmsRequest sms, DateTimeOffset receivedAt, int answer, int maxStored)
        {
            var sequence = Interlocked.Increment(ref _sequence);
            while (true)
            {
                if (Entries.TryGetValue(sms.Id, out var existing))
                {
                    var again = new ReceivedMessage(sms.Id, sms.Phone, sms.Text, receivedAt, existing.Message.TimesReceived + 1, answer);
                    if (Entries.TryUpdate(sms.Id, new Entry(again, sequence), existing))
                    {
                        return;
                    }
                }
                else if (Entries.TryAdd(sms.Id, new Entry(new ReceivedMessage(sms.Id, sms.Phone, sms.Text, receivedAt, 1, answer), sequence)))
                {
                    _firstArrivals.Enqueue(sms.Id);
                    if (Interlocked.Increment(ref _count) > maxStored)
                    {
                        DropOldest();
                    }
                    return;
                }
            }
        }

        private void DropOldest()
        {
            if (_firstArrivals.TryDequeue(out var oldest) && Entries.TryRemove(oldest, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }
}
