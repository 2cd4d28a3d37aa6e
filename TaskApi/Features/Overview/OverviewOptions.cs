using System.ComponentModel.DataAnnotations;

namespace TaskApi.Features.Overview;

/// <summary>Bound from the <c>Overview</c> section.</summary>
public sealed class OverviewOptions
{
    public const string SectionName = "Overview";

    /// <summary>
    /// How old the counts of tasks and notification deliveries by status may be when <c>GET /overview</c> answers with
    /// them: read at most once per this on each TaskApi instance and shared by every request meanwhile, since each read
    /// scans an index entry per row (about 150 ms per million rows here). Matches the console's 2 s refresh; zero reads
    /// them for every request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CountsMaxAge { get; set; } = TimeSpan.FromSeconds(2);
}
