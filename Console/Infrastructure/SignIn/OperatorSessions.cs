using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace TasksConsole.Infrastructure.SignIn;

/// <summary>
/// The tokens of every signed-in console session, kept in this process and shared by everything that calls TaskApi for
/// the session: the page requests (prerendering) and every interactive circuit of its browser tabs. The cookie carries
/// only the session's key (and the operator's claims): three JWTs would make it larger than some clients send.
/// </summary>
/// <remarks>
/// Why here and not only in the cookie (the BlazorWebAppOidc sample's CookieOidcRefresher) or in one holder per circuit:
/// the identity service rotates refresh tokens (each redeems once; reuse after a short leeway revokes the whole chain).
/// A circuit lives on a WebSocket for hours and never passes the cookie handler again, so a refresh it made could not
/// reach the cookie, and two tabs (or a tab and a page load) holding the same refresh token would each redeem it. One
/// entry per session, refreshed under its own lock, lets exactly one caller redeem each refresh token and all others
/// take its result. After a restart of the console its sessions are unknown and their operators sign in again (silently
/// while their session at the identity service lasts). One console instance, so the entries need no shared store.
/// </remarks>
public sealed partial class OperatorSessions(
    IRefreshTokenGrant refreshTokens,
    IMemoryCache cache,
    IOptions<ConsoleOptions> options,
    TimeProvider clock,
    ILogger<OperatorSessions> logger)
{
    /// <summary>The claim the console adds to the cookie's principal at sign-in: the key of the session's entry.</summary>
    public const string SessionClaim = "console_session";

    /// <summary>Starts the session's entry with the tokens of its sign-in.</summary>
    public void Start(string sessionId, OperatorTokens tokens) =>
        cache.Set(Key(sessionId), new Session(tokens), new MemoryCacheEntryOptions { SlidingExpiration = options.Value.SessionLifetime });

    /// <summary>
    /// Whether the session can still call TaskApi: false once it ended, and for a session this process does not know (it
    /// restarted, or the entry expired), so that its cookie is refused and the operator signs in again.
    /// </summary>
    public bool IsActive(string sessionId) => cache.TryGetValue<Session>(Key(sessionId), out var session) && session!.Tokens is not null;

    /// <summary>Ends the session's access to TaskApi: its next page load signs the operator in again.</summary>
    public void End(string sessionId)
    {
        if (cache.TryGetValue<Session>(Key(sessionId), out var session))
        {
            session!.Tokens = null;
        }
    }

    /// <summary>
    /// An access token of <paramref name="user"/>'s session that TaskApi takes for at least
    /// <see cref="ConsoleOptions.RefreshBeforeExpiry"/> more, refreshed first if it would not.
    /// </summary>
    /// <exception cref="SignInRequiredException">The session is unknown or ended, or its refresh token was refused.</exception>
    public async Task<string> AccessTokenAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var sessionId = SessionIdOf(user) ?? throw new SignInRequiredException("The operator is not signed in to the console.");
        if (!cache.TryGetValue<Session>(Key(sessionId), out var session))
        {
            throw new SignInRequiredException("The console does not know this session.");
        }
        var margin = options.Value.RefreshBeforeExpiry;
        var tokens = session!.Tokens;
        if (tokens is not null && !tokens.IsDueForRefresh(clock.GetUtcNow(), margin))
        {
            return tokens.AccessToken;
        }
        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed while this one waited: its tokens are the ones to use.
            tokens = session.Tokens ?? throw new SignInRequiredException("The session has ended.");
            if (!tokens.IsDueForRefresh(clock.GetUtcNow(), margin))
            {
                return tokens.AccessToken;
            }
            return (await RefreshAsync(sessionId, session, tokens, cancellationToken)).AccessToken;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>The session key of a signed-in operator's principal.</summary>
    public static string? SessionIdOf(ClaimsPrincipal user) => user.FindFirst(SessionClaim)?.Value;

    private async Task<OperatorTokens> RefreshAsync(string sessionId, Session session, OperatorTokens tokens, CancellationToken cancellationToken)
    {
        if (tokens.RefreshToken is null)
        {
            return EndWhenExpired(sessionId, session, tokens, "no refresh token");
        }
        OperatorTokens? refreshed;
        try
        {
            refreshed = await refreshTokens.RedeemAsync(tokens.RefreshToken, cancellationToken);
        }
        catch (HttpRequestException exception) when (tokens.IsValidAt(clock.GetUtcNow()))
        {
            // The identity service is out of reach for a moment: the current token still works until its expiry.
            LogRefreshPostponed(logger, exception.Message);
            return tokens;
        }
        if (refreshed is null)
        {
            session.Tokens = null;
            LogEnded(logger, sessionId, "refresh token refused");
            throw new SignInRequiredException("The identity service refused the session's refresh token.");
        }
        session.Tokens = refreshed;
        return refreshed;
    }

    private OperatorTokens EndWhenExpired(string sessionId, Session session, OperatorTokens tokens, string reason)
    {
        if (tokens.IsValidAt(clock.GetUtcNow()))
        {
            return tokens;
        }
        session.Tokens = null;
        LogEnded(logger, sessionId, reason);
        throw new SignInRequiredException($"The session's access token expired ({reason}).");
    }

    private static string Key(string sessionId) => $"{SessionClaim}:{sessionId}";

    [LoggerMessage(LogLevel.Information, "Console session {SessionId} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string sessionId, string reason);

    [LoggerMessage(LogLevel.Warning, "The access token could not be refreshed yet, the current one is used until its expiry: {Reason}")]
    private static partial void LogRefreshPostponed(ILogger logger, string reason);

    /// <summary>One session's tokens (null once it ended) and the lock its refreshes take turns under.</summary>
    private sealed class Session(OperatorTokens tokens)
    {
        public volatile OperatorTokens? Tokens = tokens;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
