namespace TaskApi.Features.Lists;

/// <summary>A named list of email subscribers, the audience an email campaign sends to.</summary>
public sealed class SubscriberList
{
    public long Id { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it (<see cref="Infrastructure.Access.CreatedByColumn"/>).</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it was created or renamed; imports change its subscribers, not the list.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
