using TaskApi.Infrastructure;
namespace TaskApi.Features.Lists;

/// <summary>An email address on one list, with what templates may say about it.</summary>
public sealed class Subscriber
{
    public long Id { get; init; }
    public long ListId { get; init; }

    /// <summary>The address as first imported (trimmed): what the email is sent to.</summary>
    public required string Email { get; init; }

    /// <summary>The address as compared (<see cref="Infrastructure.EmailAddresses.Normalized"/>); unique within the list.</summary>
    public required string NormalizedEmail { get; init; }

    /// <summary>A display name for the To header; null when the import gave none.</summary>
    public string? Name { get; set; }

    /// <summary>A JSON object (jsonb) templates read as <c>recipient.fields.&lt;key&gt;</c>; <c>{}</c> when the import gave none.</summary>
    public string Fields { get; set; } = SubscriberConfiguration.NoFields;

    public SubscriberStatus Status { get; set; }

    /// <summary>When it became unsubscribed; null while subscribed.</summary>
    public DateTimeOffset? UnsubscribedAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was created, last imported again or unsubscribed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

public enum SubscriberStatus
{
    Subscribed,

    /// <summary>Never mailed from this list again: a re-import keeps it so.</summary>
    Unsubscribed,
}
