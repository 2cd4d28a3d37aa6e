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
        if (!tokens.TryReadClick(Route<string>("token", isRequired: false) ?? "", out var messageId, out var url)
            || AsciiLocation(url) is not { } location)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Link not found", detail: "This link is not one of ours.");
        }
        await recorder.RecordClickAsync(messageId);
        HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Redirect(location);
    }

    /// <summary>
    /// The link as a browser would request it: a Location header must be ASCII, so an international host becomes its
    /// punycode and other characters of the path, query and fragment are percent-encoded (as UTF-8). Null for a link
    /// that is no absolute URI (the email's author can write anything into an href).
    /// </summary>
    private static string? AsciiLocation(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }
        // AbsoluteUri percent-encodes the rest but keeps an international host as written.
        return new UriBuilder(uri) { Host = uri.IdnHost }.Uri.AbsoluteUri;
    }
}
