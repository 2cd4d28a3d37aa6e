using System.Security.Claims;
using Tasks.Shared;

namespace TaskApi.Infrastructure.Access;

/// <summary>Who makes a request, as its access token says: an operator (by role) or an app (by scope).</summary>
public static class Caller
{
    /// <summary>The operator's id or the app's client id: what <c>createdBy</c> records.</summary>
    public static string Id(this ClaimsPrincipal user) =>
        user.FindFirstValue(AccessClaims.Subject) ?? throw new InvalidOperationException("An authenticated caller without a subject.");

    /// <summary>An app sees only what it created where the data is its own (tasks); operators see everything their role allows.</summary>
    public static bool IsApp(this ClaimsPrincipal user) => user.FindFirstValue(AccessClaims.Actor) == ActorKinds.App;
}
