using FastEndpoints;
using TaskApi.Infrastructure;
using Tasks.EmailTemplates;

namespace TaskApi.Features.Tracking.Unsubscribe;

/// <summary>
/// <c>GET /u/{token}</c>, the unsubscribe link: a page asking to confirm. Following the link changes nothing by itself,
/// since mail scanners follow links; the page's button (or a mail reader's one-click POST) unsubscribes.
/// </summary>
public sealed class UnsubscribePageEndpoint(TrackingTokens tokens, TasksDbContext db) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Get("/u/{token}");
        Group<TrackingGroup>();
        // Public by design: the recipient's mail reader calls it, with the signed token as the only credential.
        AllowAnonymous();
        Description(endpoint => endpoint.WithName("UnsubscribePage")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces<string>(StatusCodes.Status404NotFound, "text/html"), clearDefaults: true);
        Summary(summary =>
        {
            summary.Summary = "The unsubscribe page of an email";
            summary.Description = "An HTML page naming the address and the lists, with a button that unsubscribes (POST to the same address).";
            summary.Responses[StatusCodes.Status404NotFound] = "The token is not one of ours.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var token = Route<string>("token", isRequired: false) ?? "";
        return tokens.TryReadUnsubscribe(token, out var messageId) && await UnsubscribeRecipient.FindAsync(db, messageId, ct) is { } recipient
            ? UnsubscribePages.Confirm(recipient, token)
            : UnsubscribePages.NotFound();
    }
}
