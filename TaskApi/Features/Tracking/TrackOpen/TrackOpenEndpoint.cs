using FastEndpoints;
using Tasks.EmailTemplates;

namespace TaskApi.Features.Tracking.TrackOpen;

/// <summary>
/// <c>GET /t/o/{token}.gif</c>, the open pixel: a 1×1 transparent GIF, never cached, so every open loads it. A signed
/// token records the email's open; any other token gets the same image and records nothing, so the answer tells a
/// prober nothing.
/// </summary>
public sealed class TrackOpenEndpoint(TrackingTokens tokens, TrackingRecorder recorder) : EndpointWithoutRequest<IResult>
{
    /// <summary>The smallest transparent GIF: 1×1, a two-colour table, the one pixel transparent.</summary>
    private static readonly byte[] Pixel =
    [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ];

    public override void Configure()
    {
        Get("/t/o/{token}.gif");
        Group<TrackingGroup>();
        // Public by design: the recipient's mail reader calls it, with the signed token as the only credential.
        AllowAnonymous();
        Description(endpoint => endpoint.WithName("TrackOpen").Produces(StatusCodes.Status200OK, contentType: "image/gif"), clearDefaults: true);
        Summary(summary =>
        {
            summary.Summary = "The open pixel of an email";
            summary.Description = "Answers a 1×1 transparent GIF (Cache-Control: no-store). A valid token records an open of its email.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        if (tokens.TryReadOpen(Route<string>("token", isRequired: false) ?? "", out var messageId))
        {
            await recorder.RecordOpenAsync(messageId);
        }
        HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Bytes(Pixel, "image/gif");
    }
}
