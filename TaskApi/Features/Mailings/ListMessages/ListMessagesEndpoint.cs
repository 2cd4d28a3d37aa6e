using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Mailings.ListMessages;

/// <summary>The route, filter and page of <c>GET /mailings/{id}/messages</c>.</summary>
public sealed class ListMessagesRequest : ICursorPagedRequest, IStatusFilteredRequest
{
    /// <summary>The mailing's id.</summary>
    public long Id { get; set; }

    /// <summary>Only messages in this status: pending, sent, failed, expired or cancelled.</summary>
    public string? Status { get; set; }

    public int? Page { get; set; }

    public int? PageSize { get; set; }

    public long? After { get; set; }
}

public sealed class ListMessagesValidator : Validator<ListMessagesRequest>
{
    public ListMessagesValidator()
    {
        Include(new StatusFilterRules<MessageStatus>());
        Include(new CursorPagingRules());
    }
}

/// <summary>A message of a mailing.</summary>
/// <param name="Id">The message's id: what the sending API receives with every attempt.</param>
/// <param name="ClientId">The client it is for.</param>
/// <param name="Phone">The client's phone when the mailing started.</param>
/// <param name="Status">pending, sent, failed, expired or cancelled.</param>
/// <param name="Attempts">Calls of the sending API so far.</param>
/// <param name="SentAt">When the API accepted it.</param>
/// <param name="DueAt">While pending and waiting for a retry or the send window: when it goes out next.</param>
/// <param name="LastError">The last failed attempt's reason.</param>
public sealed record MessageResponse(long Id, long ClientId, string Phone, string Status, int Attempts, DateTimeOffset? SentAt, DateTimeOffset? DueAt, string? LastError);

/// <summary><c>GET /mailings/{id}/messages</c>: a page of a mailing's messages in id order, optionally of one status.</summary>
public sealed class ListMessagesEndpoint(TasksDbContext db) : Endpoint<ListMessagesRequest, Results<Ok<ItemsPage<MessageResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/{id}/messages");
        Group<MailingsGroup>();
        Policies(ApiAccess.MailingsRead);
        Description(endpoint => endpoint.WithName("ListMailingMessages").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(summary =>
        {
            summary.Summary = "List a mailing's messages";
            summary.Description = "In id order, optionally of one status; " + Paging.ByCursorDescription + ".";
            summary.Responses[StatusCodes.Status404NotFound] = "No mailing has this id.";
        });
    }

    public override async Task<Results<Ok<ItemsPage<MessageResponse>>, ProblemHttpResult>> ExecuteAsync(ListMessagesRequest request, CancellationToken ct)
    {
        if (!await db.Mailings.AnyAsync(m => m.Id == request.Id, ct))
        {
            return MailingProblems.NotFound(request.Id);
        }
        var messages = db.SmsMessages.AsNoTracking().Where(m => m.MailingId == request.Id);
        if (request.Status is not null)
        {
            var status = StatusNames<MessageStatus>.Parse(request.Status);
            messages = messages.Where(m => m.Status == status);
        }
        return TypedResults.Ok(await messages.ToIdPageAsync(request, m => m.Id,
            m => new MessageResponse(m.Id, m.ClientId, m.Phone, StatusNames<MessageStatus>.Of(m.Status), m.Attempts, m.SentAt, m.DueAt, m.LastError),
            m => m.Id, ct));
    }
}
