namespace TasksConsole.Infrastructure.SignIn;

/// <summary>The tokens an operator's sign-in gave the console: the access token TaskApi takes, and the refresh token that renews it.</summary>
/// <param name="AccessToken">Sent to TaskApi as the bearer token.</param>
/// <param name="RefreshToken">Redeemed at the identity service for the next pair (each is used once: the identity service rotates them).</param>
/// <param name="ExpiresAt">When the access token expires.</param>
public sealed record OperatorTokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether the access token is within <paramref name="margin"/> of its expiry (or past it) at <paramref name="now"/>.</summary>
    public bool IsDueForRefresh(DateTimeOffset now, TimeSpan margin) => ExpiresAt - now <= margin;

    /// <summary>Whether TaskApi would still take the access token at <paramref name="now"/>.</summary>
    public bool IsValidAt(DateTimeOffset now) => now < ExpiresAt;
}

/// <summary>The operator must sign in again: the session ended, its refresh token was refused, or TaskApi refused its token.</summary>
public sealed class SignInRequiredException(string reason) : Exception(reason);
