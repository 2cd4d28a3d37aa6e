using System.Security.Cryptography;
using FluentValidation;
using Microsoft.AspNetCore.WebUtilities;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Tasks.Shared;

namespace Identity.Features.Apps;

/// <summary>What the app endpoints share: finding a registered app, new credentials, stopping its tokens.</summary>
public sealed class AppChanges(AppManager apps, IdentityDb db, IOpenIddictTokenManager tokens, TimeProvider clock)
{
    private const string ClientIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A registered app (not one of our own clients, which are not managed here).</summary>
    public async Task<OpenIddictEntityFrameworkCoreApplication?> FindAsync(string id, CancellationToken ct) =>
        id.StartsWith(AppManager.ClientIdPrefix, StringComparison.Ordinal) ? await apps.FindByClientIdAsync(id, ct) : null;

    public static string NewClientId() => AppManager.ClientIdPrefix + RandomNumberGenerator.GetString(ClientIdAlphabet, 20);

    /// <summary>256 random bits: guessing is hopeless, so the rate limit and the hash only add to it.</summary>
    public static string NewSecret() => Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Stops the app's tokens issued until now: from <paramref name="effectiveAt"/> on (at once when null) at TaskApi,
    /// which reads the revocation within seconds; entries of tokens stored here are revoked when it is at once.
    /// </summary>
    public async Task RevokeTokensAsync(string clientId, CancellationToken ct, DateTimeOffset? effectiveAt = null)
    {
        db.RevokeTokens(clientId, clock.GetUtcNow(), effectiveAt);
        if (effectiveAt is null)
        {
            await tokens.RevokeBySubjectAsync(clientId, ct);
        }
    }

    public static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No app has the id '{id}'.");
}

/// <summary>The scopes rule of registering and updating an app.</summary>
public static class AppScopesRule
{
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> AreAppScopes<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(scopes => scopes is null || (scopes.Count > 0 && scopes.All(Scopes.ForApps.Contains) && scopes.Distinct().Count() == scopes.Count))
            .WithMessage($"'scopes' must name one or more of {string.Join(", ", Scopes.ForApps)}, each once.");
}
