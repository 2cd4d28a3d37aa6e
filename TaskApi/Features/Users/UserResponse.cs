using System.Globalization;

namespace TaskApi.Features.Users;

/// <summary>A user as the API shows it.</summary>
/// <param name="UserId">The user's id in the integrating product.</param>
/// <param name="Email">The address email notifications go to; null when the user has none.</param>
/// <param name="Phone">The mobile number SMS notifications go to, digits only, the country code first; null when none.</param>
/// <param name="Name">The user's name; null when none was given.</param>
/// <param name="Timezone">The IANA time zone id the quiet hours are read in.</param>
/// <param name="Preferences">The channels the user accepts.</param>
/// <param name="QuietHours">When notifications that are not express wait, in the user's time zone; null when never.</param>
/// <param name="CreatedAt">When the user was created.</param>
/// <param name="CreatedBy">Who created it: an operator's id or an app's client id.</param>
/// <param name="UpdatedAt">When the user was last created, replaced or imported.</param>
public sealed record UserResponse(
    string UserId,
    string? Email,
    string? Phone,
    string? Name,
    string Timezone,
    PreferencesResponse Preferences,
    QuietHoursResponse? QuietHours,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset UpdatedAt)
{
    public static UserResponse From(User user) => new(
        user.UserId,
        user.Email,
        user.Phone,
        user.Name,
        user.TimeZone,
        new PreferencesResponse(user.EmailEnabled, user.SmsEnabled, user.InAppEnabled),
        user is { QuietHoursFrom: { } from, QuietHoursTo: { } to } ? new QuietHoursResponse(Text(from), Text(to)) : null,
        user.CreatedAt,
        user.CreatedBy,
        user.UpdatedAt);

    private static string Text(TimeOnly time) => time.ToString(QuietHoursRequest.Format, CultureInfo.InvariantCulture);
}

/// <summary>The channels a user accepts.</summary>
/// <param name="Email">Email notifications.</param>
/// <param name="Sms">SMS notifications.</param>
/// <param name="InApp">In-app notifications (the feed).</param>
public sealed record PreferencesResponse(bool Email, bool Sms, bool InApp);

/// <summary>A user's quiet hours, local times as HH:mm; from later than to spans midnight.</summary>
/// <param name="From">Quiet from this local time.</param>
/// <param name="To">Quiet until this local time.</param>
public sealed record QuietHoursResponse(string From, string To);
