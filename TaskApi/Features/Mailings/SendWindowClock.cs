using NodaTime;
using NodaTime.TimeZones;

namespace TaskApi.Features.Mailings;

/// <summary>
/// When a mailing's send window is open for a client: the window is a local time of day in the client's time zone,
/// [From, To), spanning midnight when From is later than To. Local times a daylight-saving change skips are read as
/// the first instant after the gap, and repeated ones as their earlier occurrence.
/// </summary>
public static class SendWindowClock
{
    /// <summary>The window's close after <paramref name="now"/> when it is open then; null when it is closed.</summary>
    public static DateTimeOffset? OpenUntil(SendWindow window, DateTimeZone zone, DateTimeOffset now)
    {
        var local = Instant.FromDateTimeOffset(now).InZone(zone).LocalDateTime;
        var time = local.TimeOfDay;
        var from = LocalTime.FromTimeOnly(window.From);
        var to = LocalTime.FromTimeOnly(window.To);
        if (from < to)
        {
            return time >= from && time < to ? At(local.Date, to, zone) : null;
        }
        if (time >= from)
        {
            return At(local.Date.PlusDays(1), to, zone);
        }
        return time < to ? At(local.Date, to, zone) : null;
    }

    /// <summary>The first instant not before <paramref name="now"/> at which the window is open.</summary>
    public static DateTimeOffset NextOpening(SendWindow window, DateTimeZone zone, DateTimeOffset now)
    {
        if (OpenUntil(window, zone, now) is not null)
        {
            return now;
        }
        var local = Instant.FromDateTimeOffset(now).InZone(zone).LocalDateTime;
        var from = LocalTime.FromTimeOnly(window.From);
        var date = local.TimeOfDay < from ? local.Date : local.Date.PlusDays(1);
        return At(date, from, zone);
    }

    private static readonly ZoneLocalMappingResolver EarlierOrFirstAfterGap =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    /// <summary>The instant of a local date and time in <paramref name="zone"/>, read as the class says of gaps and overlaps.</summary>
    public static DateTimeOffset At(LocalDate date, LocalTime time, DateTimeZone zone) =>
        zone.ResolveLocal(date + time, EarlierOrFirstAfterGap).ToDateTimeOffset().ToUniversalTime();

    /// <summary>The zone of an IANA id; an id the database does not know (a client stored before it was retired) reads as UTC.</summary>
    public static DateTimeZone Zone(string timeZoneId) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId) ?? DateTimeZone.Utc;
}
