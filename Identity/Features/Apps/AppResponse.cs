using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Features.Apps;

/// <summary>A registered app as the API shows it (never a secret, except once, when it is issued).</summary>
/// <param name="Id">Its client id: the login of its HTTP Basic credentials, and what TaskApi records as <c>createdBy</c>.</param>
/// <param name="Name">What it is called.</param>
/// <param name="Scopes">What it may do: tasks, mailings, campaigns, notifications.</param>
/// <param name="Disabled">A disabled app gets no tokens, and its tokens stop working.</param>
/// <param name="PreviousSecretValidUntil">After a rotation, until when the old secret still works.</param>
/// <param name="CreatedAt">When it was registered.</param>
public sealed record AppResponse(string Id, string Name, IReadOnlyList<string> Scopes, bool Disabled, DateTimeOffset? PreviousSecretValidUntil, DateTimeOffset? CreatedAt)
{
    public static async Task<AppResponse> FromAsync(AppManager apps, OpenIddictEntityFrameworkCoreApplication app, TimeProvider clock, CancellationToken ct) =>
        new(app.ClientId!, app.DisplayName ?? "",
            AppScopes.Of(await apps.GetPermissionsAsync(app, ct)),
            await apps.IsDisabledAsync(app, ct),
            await apps.GetPreviousSecretUntilAsync(app, ct) is { } until && until > clock.GetUtcNow() ? until : null,
            await apps.GetCreatedAtAsync(app, ct));
}

/// <summary>An app's credentials, shown once: only a hash of the secret is kept.</summary>
/// <param name="Id">The client id (login).</param>
/// <param name="Secret">The client secret (password): 256 random bits, base64url.</param>
/// <param name="PreviousSecretValidUntil">After a rotation, until when the old secret still works.</param>
public sealed record AppCredentials(string Id, string Secret, DateTimeOffset? PreviousSecretValidUntil);

/// <summary>A new app and its credentials.</summary>
public sealed record RegisteredApp(AppResponse App, AppCredentials Credentials);

/// <summary>The route of the endpoints about one app.</summary>
public sealed class AppIdRequest
{
    /// <summary>The app's client id.</summary>
    public string Id { get; set; } = "";
}

/// <summary>An app's scopes are its OpenIddict scope permissions.</summary>
public static class AppScopes
{
    public static IReadOnlyList<string> Of(IEnumerable<string> permissions) =>
        [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..]).Order()];

    public static IEnumerable<string> AsPermissions(IEnumerable<string> scopes) => scopes.Select(scope => Permissions.Prefixes.Scope + scope);
}
