using FastEndpoints;
using TaskApi.Features.Campaigns;
using TaskApi.Infrastructure;
using Tasks.EmailTemplates;

namespace TaskApi.Features.Tracking.Unsubscribe;

/// <summary>
/// <c>POST /u/{token}</c>: unsubscribes the email's address from the campaign's lists. It is both the confirmation
/// page's button and the RFC 8058 one-click address (<c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>), which
/// mail readers POST to without showing a page; whatever the body, the token decides.
/// </summary>
public sealed class UnsubscribeEndpoint(TrackingTokens tokens, TasksDbContext db, CampaignMetrics metrics, TimeProvider clock)
    : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Post("/u/{token}");
        Group<TrackingGroup>();
        // Public by design: the recipient's mail reader calls it, with the signed token as the only credential.
        AllowAnonymous();
        Description(endpoint => endpoint.WithName("Unsubscribe")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces<string>(StatusCodes.Status404NotFound, "text/html"), clearDefaults: true);
        Summary(summary =>
        {
            summary.Summary = "Unsubscribe (one-click, RFC 8058)";
            summary.Description = "Takes the email's address off every list its campaign was sent to; a second time changes nothing.";
            summary.Responses[StatusCodes.Status404NotFound] = "The token is not one of ours.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        if (!tokens.TryReadUnsubscribe(Route<string>("token", isRequired: false) ?? "", out var messageId)
            || await UnsubscribeRecipient.FindAsync(db, messageId, ct) is not { } recipient)
        {
            return UnsubscribePages.NotFound();
        }
        if (!recipient.Unsubscribed)
        {
            await recipient.UnsubscribeAsync(db, clock.GetUtcNow(), ct);
            metrics.Tracked("unsubscribe");
        }
        return UnsubscribePages.Done(recipient);
    }
}
