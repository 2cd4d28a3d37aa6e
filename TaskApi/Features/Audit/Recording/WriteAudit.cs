using System.Security.Claims;
using FastEndpoints;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Features.Audit.Recording;

/// <summary>
/// Puts every write an operator or an app made into the audit log: a request to an endpoint whose policy is a write
/// policy (<see cref="ApiAccess.IsWrite"/>) that succeeded. Who (the token's subject, kind and name), what (the method
/// and route), which entity (a creation's <c>Location</c>, else the path), when, from where (the client's address).
/// </summary>
public static class WriteAudit
{
    public static IApplicationBuilder UseWriteAudit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode is >= 200 and < 300
                && context.User.Identity?.IsAuthenticated == true
                && context.GetEndpoint() is RouteEndpoint endpoint
                && endpoint.Metadata.GetMetadata<EndpointDefinition>()?.PreBuiltUserPolicies?.Any(ApiAccess.IsWrite) == true)
            {
                context.RequestServices.GetRequiredService<AuditRecorder>().Record(Entry(context, endpoint));
            }
        });

    private static AuditEntry Entry(HttpContext context, RouteEndpoint endpoint) => new()
    {
        OccurredAt = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
        ActorId = context.User.Id(),
        ActorKind = context.User.FindFirstValue(AccessClaims.Actor) ?? "",
        ActorName = context.User.FindFirstValue(AccessClaims.Name),
        Action = $"{context.Request.Method} /{endpoint.RoutePattern.RawText?.Trim('/')}",
        Entity = NpgsqlArrays.Truncated(context.Response.Headers.Location.FirstOrDefault() is { Length: > 0 } created ? created : context.Request.Path.Value, 300),
        ClientAddress = context.Connection.RemoteIpAddress?.ToString(),
        Status = context.Response.StatusCode,
    };
}
