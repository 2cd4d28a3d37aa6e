using System.Globalization;
using TaskApi.Features.Clients;

namespace TaskApi.Features.Users;

/// <summary>A user's fields: the JSON body of <c>PUT /users/{userId}</c> and, with the id, each row of <c>POST /users/import</c>.</summary>
public class UserRequest
{
    /// <summary>Bodies larger than this are refused before they are parsed: a user is under 2 KiB even with every character escaped twice over.</summary>
    public const int MaxRequestBytes = 16 * 1024;

    /// <summary>
    /// Where email notifications go: one address such as ana@example.com (at most 254 characters, without a display
    /// name, angle brackets or comments), stored as given less surrounding whitespace. Absent or null: no email.
    /// </summary>
    public string? Email { get; set; }

    /// <summary>
    /// Where SMS notifications go: a mobile number in international form, the country code first, 11 to 15 digits,
    /// optionally after a '+' (stored without it), as clients' phones. Absent or null: no SMS.
    /// </summary>
    public string? Phone { get; set; }

    /// <summary>The user's name: at most 200 characters without control characters.</summary>
    public string? Name { get; set; }

    /// <summary>The IANA time zone id the quiet hours are read in, e.g. Europe/Moscow (default UTC); kept as given.</summary>
    public string? Timezone { get; set; }

    /// <summary>The channels the user accepts; each omitted one is accepted (true).</summary>
    public PreferencesRequest? Preferences { get; set; }

    /// <summary>Local times in the user's time zone when notifications that are not express wait; absent or null: none.</summary>
    public QuietHoursRequest? QuietHours { get; set; }

    /// <summary>The user these fields describe (valid ones: <see cref="UserRules"/>), with the defaults filled in.</summary>
    public User ToUser(string userId, DateTimeOffset now, string? createdBy) => new()
    {
        UserId = userId,
        Email = Email?.Trim(),
        Phone = Phone is null ? null : MobileNumbers.Digits(Phone),
        Name = Name,
        TimeZone = Timezone ?? ClientRequest.DefaultTimeZone,
        EmailEnabled = Preferences?.Email ?? true,
        SmsEnabled = Preferences?.Sms ?? true,
        InAppEnabled = Preferences?.InApp ?? true,
        QuietHoursFrom = QuietHours is null ? null : QuietHoursRequest.Parse(QuietHours.From!),
        QuietHoursTo = QuietHours is null ? null : QuietHoursRequest.Parse(QuietHours.To!),
        CreatedAt = now,
        CreatedBy = createdBy,
        UpdatedAt = now,
    };
}

/// <summary>The channels a user accepts: a notification's delivery on a channel the user refused is skipped (opted_out).</summary>
public sealed class PreferencesRequest
{
    /// <summary>Email notifications (default true).</summary>
    public bool? Email { get; set; }

    /// <summary>SMS notifications (default true).</summary>
    public bool? Sms { get; set; }

    /// <summary>In-app notifications, the feed (default true).</summary>
    public bool? InApp { get; set; }
}

/// <summary>When not to disturb a user, in their time zone: both times or neither.</summary>
public sealed class QuietHoursRequest
{
    public const string Format = "HH:mm";

    /// <summary>Quiet from this local time, "HH:mm" (e.g. 22:00).</summary>
    public string? From { get; set; }

    /// <summary>Quiet until this local time, "HH:mm" (e.g. 08:00); earlier than from: the quiet hours span midnight.</summary>
    public string? To { get; set; }

    public static bool IsTimeOfDay(string? text) =>
        text is { Length: 5 } && TimeOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    public static TimeOnly Parse(string text) => TimeOnly.ParseExact(text, Format, CultureInfo.InvariantCulture);
}
