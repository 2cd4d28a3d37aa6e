using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;

namespace TaskWorker.Delivery;

/// <summary>What every channel's send record must be before its own fields are looked at: keyed by its message id, JSON of its type.</summary>
internal static class SendRecords
{
    /// <summary>False, with the reason for the dead-letter topic, unless the record holds a <typeparamref name="T"/> whose message id is its key.</summary>
    /// <param name="idName">The id's name in the record, for the reasons.</param>
    public static bool TryRead<T>(
        Message<byte[]?, byte[]> message,
        Func<T, long> messageIdOf,
        [NotNullWhen(true)] out T? item,
        [NotNullWhen(false)] out string? rejection,
        string idName = "messageId") where T : class
    {
        item = null;
        if (message.Key is null or [])
        {
            rejection = $"The record has no key; send records are keyed by their {idName}.";
            return false;
        }
        if (message.Value is null or [])
        {
            rejection = "The record's value is empty.";
            return false;
        }
        try
        {
            item = MessageJson.Deserialize<T>(message.Value);
        }
        catch (JsonException e)
        {
            rejection = $"The value is not an {typeof(T).Name}: {e.Message}";
            return false;
        }

        var key = Encoding.UTF8.GetString(message.Key);
        var messageId = messageIdOf(item);
        rejection = messageId <= 0 ? $"The send record has no {idName}."
            : key != messageId.ToString(CultureInfo.InvariantCulture) ? $"The key '{LogText.Escaped(key)}' is not the {idName} {messageId}."
            : null;
        return rejection is null;
    }
}
