using System.Net;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Feed;

/// <summary>
/// End users' tokens: from the configured issuer, for the feed's audience, in their lifetime, they open the /me routes
/// and nothing else; operators' and apps' tokens do not open /me. A key rotated at the issuer is picked up.
/// </summary>
[Collection(FeedCollection.Name)]
public sealed class UserTokensTests(FeedApiFactory api)
{
    [Fact]
    public async Task Me_UserToken_IsAccepted()
    {
        using var user = api.UserClient(await api.NewUserAsync());

        using var response = await user.GetAsync("/me/notifications/unread-count");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Me_OperatorOrAppToken_Answers401()
    {
        var app = await api.NewAppAsync(Scopes.Notifications);
        foreach (var client in new[] { api.CreateClient(), app.Http, api.CreateClient(await api.Identity.OperatorTokenAsync(Roles.Admin)) })
        {
            using var response = await client.GetAsync("/me/notifications");

            await response.ReadProblemAsync(401);
            Assert.Equal("invalid_token", ErrorOf(response));
        }
    }

    [Theory]
    [InlineData("GET", "/users")]
    [InlineData("GET", "/notifications")]
    [InlineData("POST", "/notifications")]
    [InlineData("GET", "/tasks")]
    public async Task OtherRoutes_UserToken_Answers401(string verb, string path)
    {
        using var user = api.UserClient(await api.NewUserAsync());

        using var response = await user.SendAsync(new HttpRequestMessage(new HttpMethod(verb), path));

        await response.ReadProblemAsync(401);
        Assert.Equal("invalid_token", ErrorOf(response));
    }

    [Fact]
    public async Task Me_TokenOfAnotherIssuer_Answers401()
    {
        await using var stranger = StandInIssuer.Start();
        using var client = api.CreateClient(stranger.Mint(await api.NewUserAsync()));

        using var response = await client.GetAsync("/me/notifications");

        await response.ReadProblemAsync(401);
        Assert.Equal("invalid_token", ErrorOf(response));
    }

    [Fact]
    public async Task Me_ExpiredToken_Answers401()
    {
        using var client = api.CreateClient(api.Issuer.Mint(await api.NewUserAsync(), expires: DateTime.UtcNow.AddMinutes(-5)));

        using var response = await client.GetAsync("/me/notifications");

        var problem = await response.ReadProblemAsync(401);
        Assert.Contains("expired", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Me_TokenForAnotherAudience_Answers401()
    {
        using var client = api.CreateClient(api.Issuer.Mint(await api.NewUserAsync(), audience: Audiences.TaskApi));

        using var response = await client.GetAsync("/me/notifications");

        var problem = await response.ReadProblemAsync(401);
        Assert.Contains("another audience", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Me_KeyRotatedAtTheIssuer_TokensOfTheNewKeyAreAcceptedOnceTheKeysAreReadAgain()
    {
        var userId = await api.NewUserAsync();
        using (var before = api.UserClient(userId))
        {
            // The keys are read (and kept) before the rotation.
            Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/me/notifications/unread-count")).StatusCode);
        }
        var readsBefore = api.Issuer.KeyReads;

        api.Issuer.RotateKey();

        // The first token with the new key id makes the keys be read again (at most once a second here).
        await Eventually.UntilAsync(async () =>
        {
            using var after = api.UserClient(userId);
            return (await after.GetAsync("/me/notifications/unread-count")).StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10), "a token of the new key to be accepted");
        Assert.True(api.Issuer.KeyReads > readsBefore, "The keys were not read again.");
    }

    /// <summary>RFC 6750's error code in the response's <c>WWW-Authenticate: Bearer</c>.</summary>
    private static string? ErrorOf(HttpResponseMessage response)
    {
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        return challenge.Parameter is { } parameter && parameter.StartsWith("error=\"", StringComparison.Ordinal)
            ? parameter["error=\"".Length..parameter.IndexOf('"', "error=\"".Length)]
            : null;
    }
}
