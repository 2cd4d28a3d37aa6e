using System.Diagnostics;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace TaskApi.Features.Tracking;

/// <summary>
/// Keeps the tokens in tracking and unsubscribe addresses (<c>/u/{token}</c>, <c>/t/c/{token}</c>, <c>/t/o/{token}.gif</c>)
/// out of traces: whoever reads a trace could otherwise unsubscribe the recipient or forge their clicks. Their
/// <c>url.path</c> is written with the token replaced (<c>http.route</c> names the template, not the token), and every
/// query value (an <c>access_token</c> among them) is replaced too, whatever the instrumentation's own default.
/// </summary>
public static class TokenRedaction
{
    public const string Redacted = "REDACTED";

    private static readonly string[] TokenPathPrefixes = ["/u/", "/t/c/", "/t/o/"];

    /// <summary>Adds the redaction to the ASP.NET Core trace instrumentation ServiceDefaults configures, after its own enrichment.</summary>
    public static IServiceCollection AddTokenRedaction(this IServiceCollection services) =>
        services.Configure<AspNetCoreTraceInstrumentationOptions>(options =>
        {
            var earlier = options.EnrichWithHttpRequest;
            options.EnrichWithHttpRequest = (activity, request) =>
            {
                earlier?.Invoke(activity, request);
                Redact(activity, request);
            };
        });

    /// <summary><paramref name="path"/> with its token replaced, or itself when it carries none.</summary>
    public static string RedactedPath(string path)
    {
        foreach (var prefix in TokenPathPrefixes)
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && path.Length > prefix.Length)
            {
                return prefix + Redacted + (path.EndsWith(".gif", StringComparison.OrdinalIgnoreCase) ? ".gif" : "");
            }
        }
        return path;
    }

    /// <summary>A query string with every value replaced, its names kept.</summary>
    public static string RedactedQuery(QueryString query) =>
        string.Join('&', query.Value!.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)[0] + "=" + Redacted));

    private static void Redact(Activity activity, HttpRequest request)
    {
        if (request.Path.Value is { } path && RedactedPath(path) is var redacted && !ReferenceEquals(redacted, path))
        {
            activity.SetTag("url.path", redacted);
        }
        if (request.QueryString.HasValue)
        {
            activity.SetTag("url.query", RedactedQuery(request.QueryString));
        }
    }
}
