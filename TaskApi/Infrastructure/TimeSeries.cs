using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TaskApi.Infrastructure;

/// <summary>
/// Counts per time bucket for charts: buckets aligned to whole minutes or hours in UTC, a query that returns
/// (series, bucket start, count) rows, and every bucket of a window read back, empty ones as 0.
/// </summary>
public static class TimeSeries
{
    /// <summary>The start of the bucket of <paramref name="step"/> that holds <paramref name="at"/>, in UTC.</summary>
    public static DateTimeOffset Floor(DateTimeOffset at, TimeSpan step) => new(at.UtcTicks - at.UtcTicks % step.Ticks, TimeSpan.Zero);

    /// <summary>
    /// Runs <paramref name="sql"/>, whose rows are <c>"Series"</c> (int), <c>"At"</c> (a bucket's start: use
    /// <c>date_bin(step, time, from)</c>, UTC whatever the session's zone) and <c>"Count"</c> (int).
    /// </summary>
    public static async Task<Counts> ReadAsync(TasksDbContext db, string sql, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        var rows = await db.Database.SqlQueryRaw<Row>(sql, parameters).ToListAsync(ct);
        return new Counts(rows.ToDictionary(r => (r.Series, r.At), r => r.Count));
    }

    /// <summary>The counts a query returned, by series and bucket.</summary>
    public sealed class Counts(Dictionary<(int Series, DateTimeOffset At), int> counts)
    {
        /// <summary>One point per bucket from <paramref name="from"/> up to <paramref name="to"/> (exclusive), oldest first.</summary>
        public List<T> Points<T>(DateTimeOffset from, DateTimeOffset to, TimeSpan step, Func<DateTimeOffset, Func<int, int>, T> point)
        {
            var points = new List<T>();
            for (var at = from; at < to; at += step)
            {
                var bucket = at;
                points.Add(point(bucket, series => counts.GetValueOrDefault((series, bucket))));
            }
            return points;
        }
    }

    private sealed class Row
    {
        public int Series { get; init; }
        public DateTimeOffset At { get; init; }
        public int Count { get; init; }
    }
}
