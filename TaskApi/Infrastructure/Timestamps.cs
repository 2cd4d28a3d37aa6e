namespace TaskApi.Infrastructure;

public static class Timestamps
{
    /// <summary>PostgreSQL keeps microseconds; truncating first makes a created response equal what a later read returns.</summary>
    public static DateTimeOffset TruncateToMicroseconds(this DateTimeOffset value) =>
        value.AddTicks(-(value.Ticks % (TimeSpan.TicksPerMillisecond / 1000)));
}
