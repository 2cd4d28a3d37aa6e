using System.Text.Json;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Lists;

/// <summary>A subscriber as the API shows it.</summary>
/// <param name="Id">The subscriber's id.</param>
/// <param name="Email">The address as first imported (trimmed).</param>
/// <param name="Name">The display name; null when none was given.</param>
/// <param name="Fields">The JSON object templates read as recipient.fields.&lt;key&gt;; {} when none was given.</param>
/// <param name="Status">subscribed or unsubscribed.</param>
/// <param name="UnsubscribedAt">When it unsubscribed; null while subscribed.</param>
/// <param name="CreatedAt">When it was first imported.</param>
/// <param name="UpdatedAt">When it was created, last imported again or unsubscribed.</param>
public sealed record SubscriberResponse(
    long Id,
    string Email,
    string? Name,
    JsonElement Fields,
    string Status,
    DateTimeOffset? UnsubscribedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static SubscriberResponse From(Subscriber subscriber) => new(
        subscriber.Id,
        subscriber.Email,
        subscriber.Name,
        JsonElement.Parse(subscriber.Fields),
        StatusNames<SubscriberStatus>.Of(subscriber.Status),
        subscriber.UnsubscribedAt,
        subscriber.CreatedAt,
        subscriber.UpdatedAt);
}
