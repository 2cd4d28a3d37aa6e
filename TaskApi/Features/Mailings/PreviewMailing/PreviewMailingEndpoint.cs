using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Mailings.CreateMailing;
using TaskApi.Features.Mailings.Planning;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings.PreviewMailing;

/// <summary>
/// <c>POST /mailings/preview</c>: how many clients a mailing's filter matches now, for a form that shows it while the
/// filter is edited. The body is the mailing's <c>filter</c>, validated by the same rules.
/// </summary>
public sealed class PreviewMailingEndpoint(TasksDbContext db) : Endpoint<MailingFilterRequest, MailingPreviewResponse>
{
    private const string CountSql = $"SELECT count(*) AS \"Value\" FROM clients WHERE {ClientFilter.WhereSql}";

    public override void Configure()
    {
        Post("/preview");
        Group<MailingsGroup>();
        // It only reads: a viewer may preview, and nothing is audited.
        Policies(ApiAccess.MailingsRead);
        RequestBinder(new RequestBinder<MailingFilterRequest>(BindingSource.JsonBody));
        MaxRequestBodySize(CreateMailingEndpoint.MaxRequestBytes);
        Description(endpoint => endpoint
            .WithName("PreviewMailing")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(summary =>
        {
            summary.Summary = "Count the clients a mailing's filter matches";
            summary.Description = "The body is a mailing's filter ({} for every client); the answer is how many clients match it now, " +
                "which is how many messages a mailing with this filter would make if it started now. Counted from the indexes a " +
                "mailing's start reads (tens of milliseconds for 1,000,000 clients).";
            summary.Responses[StatusCodes.Status413PayloadTooLarge] = $"The body is larger than {CreateMailingEndpoint.MaxRequestBytes} bytes.";
            summary.Responses[StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.";
        });
    }

    public override async Task<MailingPreviewResponse> ExecuteAsync(MailingFilterRequest request, CancellationToken ct)
    {
        var counted = await db.Database.SqlQueryRaw<long>(CountSql, ClientFilter.Parameters(request.DistinctOperatorCodes(), request.DistinctTags()))
            .ToListAsync(ct);
        return new MailingPreviewResponse(counted.Single());
    }
}

/// <summary>What a mailing with the filter would reach now.</summary>
/// <param name="Clients">How many clients match the filter now.</param>
public sealed record MailingPreviewResponse(long Clients);
