using TaskApi.Features.Mailings;

namespace TaskApi.Tests.Features.Mailings;

public sealed class SendWindowClockTests
{
    private static readonly SendWindow Daytime = new(new TimeOnly(9, 0), new TimeOnly(21, 0));
    private static readonly SendWindow Overnight = new(new TimeOnly(22, 0), new TimeOnly(6, 0));

    [Theory]
    // Moscow is UTC+3 all year: 05:59Z is 08:59 local, 06:00Z is 09:00 local, 17:59Z is 20:59, 18:00Z is 21:00.
    [InlineData("2026-12-01T05:59:00Z", null)]
    [InlineData("2026-12-01T06:00:00Z", "2026-12-01T18:00:00Z")]
    [InlineData("2026-12-01T17:59:00Z", "2026-12-01T18:00:00Z")]
    [InlineData("2026-12-01T18:00:00Z", null)]
    public void OpenUntil_DaytimeWindowInMoscow_IsOpenFromNineToNineLocal(string now, string? closes)
    {
        var until = SendWindowClock.OpenUntil(Daytime, SendWindowClock.Zone("Europe/Moscow"), DateTimeOffset.Parse(now));

        Assert.Equal(closes is null ? null : DateTimeOffset.Parse(closes), until);
    }

    [Theory]
    // Across midnight in Vladivostok (UTC+10): 23:00 local closes at 06:00 the next local day; 03:00 local closes at 06:00 that day.
    [InlineData("2026-12-01T13:00:00Z", "2026-12-01T20:00:00Z")]
    [InlineData("2026-12-01T17:00:00Z", "2026-12-01T20:00:00Z")]
    [InlineData("2026-12-01T20:00:00Z", null)]
    [InlineData("2026-12-01T11:59:00Z", null)]
    public void OpenUntil_WindowAcrossMidnight_SpansTheLocalNight(string now, string? closes)
    {
        var until = SendWindowClock.OpenUntil(Overnight, SendWindowClock.Zone("Asia/Vladivostok"), DateTimeOffset.Parse(now));

        Assert.Equal(closes is null ? null : DateTimeOffset.Parse(closes), until);
    }

    [Theory]
    [InlineData("2026-12-01T05:00:00Z", "2026-12-01T06:00:00Z")] // 08:00 local: opens at 09:00 today
    [InlineData("2026-12-01T19:00:00Z", "2026-12-02T06:00:00Z")] // 22:00 local: opens at 09:00 tomorrow
    [InlineData("2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z")] // open now
    public void NextOpening_ClosedOrOpen_IsTheNextLocalNineOClock(string now, string expected)
    {
        var opening = SendWindowClock.NextOpening(Daytime, SendWindowClock.Zone("Europe/Moscow"), DateTimeOffset.Parse(now));

        Assert.Equal(DateTimeOffset.Parse(expected), opening);
    }

    [Fact]
    public void NextOpening_SameInstantInTwoZones_DiffersByTheirOffsets()
    {
        var now = DateTimeOffset.Parse("2026-12-01T12:00:00Z");

        // 12:00Z is 07:00 in New York (opens at 14:00Z) and 21:00 in Tokyo (opens at 09:00 local tomorrow = 00:00Z).
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T14:00:00Z"), SendWindowClock.NextOpening(Daytime, SendWindowClock.Zone("America/New_York"), now));
        Assert.Equal(DateTimeOffset.Parse("2026-12-02T00:00:00Z"), SendWindowClock.NextOpening(Daytime, SendWindowClock.Zone("Asia/Tokyo"), now));
    }

    [Fact]
    public void NextOpening_OpeningInsideADaylightSavingGap_IsTheFirstInstantAfterIt()
    {
        // On 2026-03-08 New York skips 02:00–03:00 local; a window opening at 02:30 opens at 03:00 EDT (07:00Z).
        var window = new SendWindow(new TimeOnly(2, 30), new TimeOnly(4, 0));

        var opening = SendWindowClock.NextOpening(window, SendWindowClock.Zone("America/New_York"), DateTimeOffset.Parse("2026-03-08T06:00:00Z"));

        Assert.Equal(DateTimeOffset.Parse("2026-03-08T07:00:00Z"), opening);
    }

    [Fact]
    public void Zone_UnknownId_IsUtc() => Assert.Equal(NodaTime.DateTimeZone.Utc, SendWindowClock.Zone("Mars/Olympus_Mons"));
}
