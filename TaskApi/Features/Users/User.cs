using TaskApi.Features.Clients;

namespace TaskApi.Features.Users;

/// <summary>
/// A user of the product that integrates the notification service, known by that product's own id (as Novu's
/// subscribers are): where notifications reach them, which channels they want, and when not to disturb them.
/// </summary>
public sealed class User
{
    /// <summary>The product's id for the user, kept exactly as given (letter case matters).</summary>
    public required string UserId { get; init; }

    /// <summary>The address as given less surrounding whitespace; null: no email reaches this user.</summary>
    public string? Email { get; set; }

    /// <summary>Digits only, the country code first, without a '+'; null: no SMS reaches this user.</summary>
    public string? Phone { get; set; }

    public string? Name { get; set; }

    /// <summary>The IANA time zone the quiet hours are read in.</summary>
    public string TimeZone { get; set; } = ClientRequest.DefaultTimeZone;

    /// <summary>The channels the user accepts (opted out of the others).</summary>
    public bool EmailEnabled { get; set; } = true;

    public bool SmsEnabled { get; set; } = true;

    public bool InAppEnabled { get; set; } = true;

    /// <summary>Quiet hours: local times in <see cref="TimeZone"/>, both or neither; from later than to spans midnight.</summary>
    public TimeOnly? QuietHoursFrom { get; set; }

    public TimeOnly? QuietHoursTo { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it (<see cref="Infrastructure.Access.CreatedByColumn"/>); replacing or importing it keeps the creator.</summary>
    public string? CreatedBy { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}
