using System.Linq.Expressions;
using System.Text;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;

namespace TaskApi.Features.DeadLetters;

/// <summary>A dead letter in a list: where it is and came from, why, its state, its key and its payload's size.</summary>
/// <param name="Id">The dead letter's id.</param>
/// <param name="Topic">The dead-letter topic it was read from (<c>*.dlq</c>).</param>
/// <param name="Partition">Its partition there.</param>
/// <param name="Offset">Its offset there.</param>
/// <param name="SourceTopic">The topic it was rejected from, where a replay publishes it; null when unknown (no readable dlq-source header).</param>
/// <param name="SourcePartition">Its partition in the source topic.</param>
/// <param name="SourceOffset">Its offset in the source topic.</param>
/// <param name="Reason">Why it was rejected.</param>
/// <param name="State">waiting, replayed or discarded.</param>
/// <param name="ReceivedAt">When TaskApi stored it.</param>
/// <param name="Key">The record's key: UTF-8 text, or base64 when keyBase64; null without a key or when longer than 1 KiB (GET /dead-letters/{id} has it).</param>
/// <param name="KeyBase64">The key is not valid UTF-8: key is its base64.</param>
/// <param name="KeySize">The key's size in bytes; null without a key.</param>
/// <param name="PayloadSize">The value's size in bytes.</param>
/// <param name="Truncated">A truncated copy of a record too large to dead-letter whole: it cannot be replayed.</param>
/// <param name="Replayable">It can be replayed now (waiting, whole, from a known topic of the system).</param>
public sealed record DeadLetterSummary(
    long Id, string Topic, int Partition, long Offset, string? SourceTopic, int? SourcePartition, long? SourceOffset, string Reason, string State,
    DateTimeOffset ReceivedAt, string? Key, bool KeyBase64, int? KeySize, int PayloadSize, bool Truncated, bool Replayable)
{
    /// <summary>Keys up to this size are shown in lists.</summary>
    public const int MaxListedKeyBytes = 1024;

    /// <summary>What a list reads of each row: everything but the value (its size only) and the headers, and the key only when short.</summary>
    public static readonly Expression<Func<DeadLetter, ListedDeadLetter>> Listed = d => new ListedDeadLetter(
        new DeadLetter
        {
            Id = d.Id, Topic = d.Topic, Partition = d.Partition, Offset = d.Offset, DeadLetteredAt = d.DeadLetteredAt,
            SourceTopic = d.SourceTopic, SourcePartition = d.SourcePartition, SourceOffset = d.SourceOffset,
            Key = d.Key != null && d.Key.Length <= MaxListedKeyBytes ? d.Key : null,
            Headers = Array.Empty<RecordHeader>(), Reason = d.Reason, Truncated = d.Truncated, OriginalSize = d.OriginalSize,
            ReceivedAt = d.ReceivedAt, State = d.State, StateChangedAt = d.StateChangedAt, StateChangedBy = d.StateChangedBy,
        },
        d.Key == null ? null : d.Key.Length,
        d.Value == null ? 0 : d.Value.Length);

    public static DeadLetterSummary From(DeadLetter d) => From(new ListedDeadLetter(d, d.Key?.Length, d.Value?.Length ?? 0));

    public static DeadLetterSummary From(ListedDeadLetter listed)
    {
        var d = listed.DeadLetter;
        var key = ShownBytes.Of(listed.KeySize <= MaxListedKeyBytes ? d.Key : null);
        return new DeadLetterSummary(d.Id, d.Topic, d.Partition, d.Offset, d.SourceTopic, d.SourcePartition, d.SourceOffset, d.Reason,
            StatusNames<DeadLetterState>.Of(d.State), d.ReceivedAt, key.Text, key.Base64, listed.KeySize, listed.PayloadSize, d.Truncated,
            DeadLetterReplay.WhyNot(d) is null);
    }
}

/// <summary>A dead letter as a list reads it (no value, no headers, a long key left out), with its key's and value's sizes.</summary>
public sealed record ListedDeadLetter(DeadLetter DeadLetter, int? KeySize, int PayloadSize);

/// <summary>A dead letter with everything it holds.</summary>
/// <param name="Id">The dead letter's id.</param>
/// <param name="Topic">The dead-letter topic it was read from (<c>*.dlq</c>).</param>
/// <param name="Partition">Its partition there.</param>
/// <param name="Offset">Its offset there.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered (the dead-letter record's timestamp).</param>
/// <param name="SourceTopic">The topic it was rejected from, where a replay publishes it; null when unknown.</param>
/// <param name="SourcePartition">Its partition in the source topic.</param>
/// <param name="SourceOffset">Its offset in the source topic.</param>
/// <param name="Reason">Why it was rejected.</param>
/// <param name="State">waiting, replayed or discarded.</param>
/// <param name="ReceivedAt">When TaskApi stored it.</param>
/// <param name="StateChangedAt">When it was replayed or discarded.</param>
/// <param name="StateChangedBy">Who replayed or discarded it: the operator's id.</param>
/// <param name="Key">The record's key: UTF-8 text, or base64 when keyBase64; null without a key.</param>
/// <param name="KeyBase64">The key is not valid UTF-8: key is its base64.</param>
/// <param name="Headers">The record's own headers, in order (names may repeat), without the dlq-* ones.</param>
/// <param name="Payload">The record's value: UTF-8 text (a JSON payload is its JSON text), or base64 when payloadBase64; null for a tombstone.</param>
/// <param name="PayloadBase64">The value is not valid UTF-8: payload is its base64.</param>
/// <param name="PayloadSize">The value's size in bytes.</param>
/// <param name="Truncated">A truncated copy of a record too large to dead-letter whole: it cannot be replayed.</param>
/// <param name="OriginalSize">On a truncated copy, the original's key, value and headers in bytes.</param>
/// <param name="Replayable">It can be replayed now (waiting, whole, from a known topic of the system).</param>
public sealed record DeadLetterResponse(
    long Id, string Topic, int Partition, long Offset, DateTimeOffset DeadLetteredAt, string? SourceTopic, int? SourcePartition, long? SourceOffset,
    string Reason, string State, DateTimeOffset ReceivedAt, DateTimeOffset? StateChangedAt, string? StateChangedBy, string? Key, bool KeyBase64,
    IReadOnlyList<DeadLetterHeaderResponse> Headers, string? Payload, bool PayloadBase64, int PayloadSize, bool Truncated, long? OriginalSize, bool Replayable)
{
    public static DeadLetterResponse From(DeadLetter d)
    {
        var key = ShownBytes.Of(d.Key);
        var payload = ShownBytes.Of(d.Value);
        var headers = d.Headers.Select(header =>
        {
            var value = ShownBytes.Of(header.Value);
            return new DeadLetterHeaderResponse(header.Name, value.Text, value.Base64);
        }).ToList();
        return new DeadLetterResponse(d.Id, d.Topic, d.Partition, d.Offset, d.DeadLetteredAt, d.SourceTopic, d.SourcePartition, d.SourceOffset,
            d.Reason, StatusNames<DeadLetterState>.Of(d.State), d.ReceivedAt, d.StateChangedAt, d.StateChangedBy, key.Text, key.Base64, headers,
            payload.Text, payload.Base64, d.Value?.Length ?? 0, d.Truncated, d.OriginalSize, DeadLetterReplay.WhyNot(d) is null);
    }
}

/// <summary>A header of the original record.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Value">Its value: UTF-8 text, or base64 when valueBase64; null for a header without a value.</param>
/// <param name="ValueBase64">The value is not valid UTF-8: value is its base64.</param>
public sealed record DeadLetterHeaderResponse(string Name, string? Value, bool ValueBase64);

/// <summary>Bytes as the API shows them: their text when they are valid UTF-8, else their base64.</summary>
public readonly record struct ShownBytes(string? Text, bool Base64)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ShownBytes Of(byte[]? bytes)
    {
        if (bytes is null)
        {
            return new ShownBytes(null, false);
        }
        try
        {
            return new ShownBytes(StrictUtf8.GetString(bytes), false);
        }
        catch (DecoderFallbackException)
        {
            return new ShownBytes(Convert.ToBase64String(bytes), true);
        }
    }
}
