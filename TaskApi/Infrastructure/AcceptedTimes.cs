using FluentValidation;
using NodaTime;

namespace TaskApi.Infrastructure;

/// <summary>
/// The instants and days the API accepts, in bodies and queries alike: from 2000-01-01 up to (not including) 3000-01-01,
/// UTC. Far wider than any real use, and far enough from the ends of .NET's, NodaTime's and PostgreSQL's calendars that
/// adding a retry delay, a send window or a day to an accepted value can never overflow, nor a time zone's offset move it
/// out of range (9999-12-31T23:59:59Z plus a day is no DateTimeOffset).
/// </summary>
public static class AcceptedTimes
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant no longer accepted.</summary>
    public static readonly DateTimeOffset End = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string Range = "from 2000-01-01 to 2999-12-31";

    public static bool Contains(DateTimeOffset at) => at >= Earliest && at < End;

    public static bool Contains(LocalDate day) => day.Year is >= 2000 and < 3000;

    /// <summary>A null is left to other rules.</summary>
    public static IRuleBuilderOptions<T, DateTimeOffset?> WithinAcceptedTimes<T>(this IRuleBuilder<T, DateTimeOffset?> rule) =>
        rule.Must(at => at is not { } value || Contains(value)).WithMessage($"'{{PropertyName}}' must be {Range} (UTC).");
}
