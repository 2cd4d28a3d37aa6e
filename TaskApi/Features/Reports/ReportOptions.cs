using System.ComponentModel.DataAnnotations;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Reports;

/// <summary>Bound from the <c>Reports</c> section: who gets the daily report, and when.</summary>
public sealed class ReportOptions : IValidatableObject
{
    public const string SectionName = "Reports";

    /// <summary>The addresses the daily report is mailed to; none: no report is mailed (GET /reports/daily still answers).</summary>
    public string[] Recipients { get; set; } = [];

    /// <summary>The local time of day (in <see cref="TimeZone"/>) the report of the day before goes out.</summary>
    public TimeOnly At { get; set; } = new(8, 0);

    /// <summary>The IANA time zone whose days the report covers.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The report's sender.</summary>
    public string From { get; set; } = "reports@tasks.localhost";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) is null)
        {
            yield return new ValidationResult($"Reports:TimeZone '{TimeZone}' is not an IANA time zone id.", [nameof(TimeZone)]);
        }
        foreach (var address in Recipients.Append(From).Where(address => !EmailAddresses.IsBareAddress(address)))
        {
            yield return new ValidationResult($"Reports: '{address}' is not an email address.", [nameof(Recipients)]);
        }
    }
}
