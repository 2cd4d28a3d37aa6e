using FastEndpoints;
using Tasks.EmailTemplates;

namespace TaskApi.Features.Tracking.TrackClick;

/// <summary>
/// <c>GET /t/c/{token}</c>, a rewritten link: records the click and redirects to the link's address. The address is in
/// the signed token, so only an address that was in that email can be reached (no open redirect).
/// </summary>
public sealed class TrackClickEndpoint(TrackingTokens tokens, TrackingRecorder recorder) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Get("/t/c/{token}");
        Group<TrackingGroup>();
        // Public by design: the recipient's mail reader calls it, with the signed token as the only credential.
        AllowAnonymous();
        Description(endpoint => endpoint.WithName("TrackClick")
            .Produces(StatusCodes.Status302Found).ProducesProblem(StatusCodes.Status404NotFound), clearDefaults: true);
        Summary(summary =>
        {
            summary.Summary = "A tracked link of an email";
            summary.Description = "Records a click of its email and redirects (302) to the link's original address.";
            summary.Responses[StatusCodes.Status302Found] = "Location is the link's original address.";
            summary.Responses[StatusCodes.Status404NotFound] = "The token is not one of ours.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        if (!tokens.TryReadClick(Route<string>("token", isRequired: false) ?? "", out var messageId, out var url))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Link not found", detail: "This link is not one of ours.");
        }
        await recorder.RecordClickAsync(messageId);
        HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Redirect(url);
    }
}
