using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Reports.GetDailyReport;

/// <summary>The query of <c>GET /reports/daily</c>.</summary>
public sealed class GetDailyReportRequest
{
    /// <summary>The day, yyyy-MM-dd, in the report's time zone (Reports:TimeZone), from 2000-01-01 to 2999-12-31.</summary>
    public string? Date { get; set; }

    /// <summary>The day, or null when it is not one or lies outside <see cref="AcceptedTimes"/> (the day after 9999-12-31 is none).</summary>
    public static LocalDate? Parse(string? date) =>
        date is { Length: 10 } && LocalDatePattern.Iso.Parse(date) is { Success: true } parsed && AcceptedTimes.Contains(parsed.Value) ? parsed.Value : null;
}

public sealed class GetDailyReportValidator : Validator<GetDailyReportRequest>
{
    public GetDailyReportValidator()
    {
        RuleFor(r => r.Date).NotEmpty()
            .Must(date => GetDailyReportRequest.Parse(date) is not null).WithMessage($"'{{PropertyName}}' must be a day as yyyy-MM-dd, such as 2026-11-30, {AcceptedTimes.Range}.")
            .When(r => r.Date is not null, ApplyConditionTo.CurrentValidator);
    }
}

/// <summary><c>GET /reports/daily?date=yyyy-MM-dd</c>: the daily report of that day, as the report email has it.</summary>
public sealed class GetDailyReportEndpoint(TasksDbContext db, IOptions<ReportOptions> options) : Endpoint<GetDailyReportRequest, DailyReport>
{
    public override void Configure()
    {
        Get("/reports/daily");
        Policies(ApiAccess.CampaignsRead);
        Description(endpoint => endpoint.WithName("GetDailyReport").WithTags("Reports").ProducesValidationProblem());
        Summary(summary =>
        {
            summary.Summary = "The daily report of a day";
            summary.Description = "The day's SMS mailings and email campaigns by status, and their messages by the final status they reached " +
                "that day; the same report Reports:Recipients get by email at Reports:At the next day.";
        });
    }

    public override async Task<DailyReport> ExecuteAsync(GetDailyReportRequest request, CancellationToken ct) =>
        await DailyReport.BuildAsync(db, GetDailyReportRequest.Parse(request.Date)!.Value,
            DateTimeZoneProviders.Tzdb[options.Value.TimeZone], ct);
}
