using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TasksConsole.Infrastructure;
using TasksConsole.Infrastructure.SignIn;

namespace TasksConsole.Tests.Infrastructure.SignIn;

/// <summary>The session tokens' refresh before expiry, on a clock the test moves.</summary>
public sealed class OperatorSessionsTests : IDisposable
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);
    private const string SessionId = "session-1";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly IdentityStandIn _identity = new();
    private readonly OperatorSessions _sessions;

    public OperatorSessionsTests()
    {
        _identity.Clock = _clock;
        _sessions = new OperatorSessions(_identity, _cache, Options.Create(new ConsoleOptions { RefreshBeforeExpiry = Margin }), _clock,
            NullLogger<OperatorSessions>.Instance);
        _sessions.Start(SessionId, new OperatorTokens("access-0", "refresh-0", _clock.GetUtcNow().AddHours(1)));
    }

    private static ClaimsPrincipal Operator { get; } = new(new ClaimsIdentity([new Claim(OperatorSessions.SessionClaim, SessionId)], "test"));

    [Fact]
    public async Task AccessTokenAsync_JustOutsideTheMargin_ReturnsTheTokenWithoutRefreshing()
    {
        _clock.Advance(TimeSpan.FromHours(1) - Margin - TimeSpan.FromSeconds(1));

        Assert.Equal("access-0", await _sessions.AccessTokenAsync(Operator, CancellationToken.None));
        Assert.Empty(_identity.Redeemed);
    }

    [Fact]
    public async Task AccessTokenAsync_WithinTheMarginOfExpiry_RedeemsTheRefreshTokenAndUsesTheNewPair()
    {
        _clock.Advance(TimeSpan.FromHours(1) - Margin);

        Assert.Equal("access-1", await _sessions.AccessTokenAsync(Operator, CancellationToken.None));
        // The rotated refresh token is the one redeemed next time.
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("access-2", await _sessions.AccessTokenAsync(Operator, CancellationToken.None));
        Assert.Equal(["refresh-0", "refresh-1"], _identity.Redeemed);
    }

    [Fact]
    public async Task AccessTokenAsync_ManyCallersDueForRefreshAtOnce_RedeemTheRefreshTokenOnce()
    {
        _clock.Advance(TimeSpan.FromHours(1));
        _identity.Answer = new TaskCompletionSource();

        var callers = Enumerable.Range(0, 8).Select(_ => _sessions.AccessTokenAsync(Operator, CancellationToken.None)).ToList();
        _identity.Answer.SetResult();

        Assert.All(await Task.WhenAll(callers), token => Assert.Equal("access-1", token));
        Assert.Equal(["refresh-0"], _identity.Redeemed);
    }

    [Fact]
    public async Task AccessTokenAsync_RefreshTokenRefused_EndsTheSessionAndRequiresSignIn()
    {
        _clock.Advance(TimeSpan.FromHours(1));
        _identity.Refuses = true;

        await Assert.ThrowsAsync<SignInRequiredException>(() => _sessions.AccessTokenAsync(Operator, CancellationToken.None));
        Assert.False(_sessions.IsActive(SessionId));
        await Assert.ThrowsAsync<SignInRequiredException>(() => _sessions.AccessTokenAsync(Operator, CancellationToken.None));
        Assert.Single(_identity.Redeemed);
    }

    [Fact]
    public async Task AccessTokenAsync_IdentityUnreachableBeforeExpiry_KeepsTheCurrentTokenUntilItExpires()
    {
        _identity.Unreachable = true;
        _clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(10));

        Assert.Equal("access-0", await _sessions.AccessTokenAsync(Operator, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<HttpRequestException>(() => _sessions.AccessTokenAsync(Operator, CancellationToken.None));
        // Not refused: once the identity service answers again, the session goes on.
        _identity.Unreachable = false;
        Assert.Equal("access-1", await _sessions.AccessTokenAsync(Operator, CancellationToken.None));
    }

    [Fact]
    public async Task AccessTokenAsync_SessionThisProcessDoesNotKnow_RequiresSignIn()
    {
        var stranger = new ClaimsPrincipal(new ClaimsIdentity([new Claim(OperatorSessions.SessionClaim, "from-before-a-restart")], "test"));

        await Assert.ThrowsAsync<SignInRequiredException>(() => _sessions.AccessTokenAsync(stranger, CancellationToken.None));
        Assert.False(_sessions.IsActive("from-before-a-restart"));
    }

    [Fact]
    public async Task End_ActiveSession_RefusesItsNextToken()
    {
        _sessions.End(SessionId);

        Assert.False(_sessions.IsActive(SessionId));
        await Assert.ThrowsAsync<SignInRequiredException>(() => _sessions.AccessTokenAsync(Operator, CancellationToken.None));
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>
    /// The identity service's refresh-token grant as the sessions see it: each refresh token redeemed once for the next
    /// numbered pair, an hour long; or refused, or out of reach.
    /// </summary>
    private sealed class IdentityStandIn : IRefreshTokenGrant
    {
        public List<string> Redeemed { get; } = [];

        public TimeProvider Clock { get; set; } = TimeProvider.System;

        public TaskCompletionSource? Answer { get; set; }

        public bool Refuses { get; set; }

        public bool Unreachable { get; set; }

        public async Task<OperatorTokens?> RedeemAsync(string refreshToken, CancellationToken cancellationToken)
        {
            if (Unreachable)
            {
                throw new HttpRequestException("Connection refused");
            }
            Redeemed.Add(refreshToken);
            if (Answer is not null)
            {
                await Answer.Task;
            }
            var next = Redeemed.Count;
            return Refuses ? null : new OperatorTokens($"access-{next}", $"refresh-{next}", Clock.GetUtcNow().AddHours(1));
        }
    }
}
