using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Feed;

/// <summary>
/// The default run's wiring: TaskApi trusts the identity service as the issuer of end users' tokens (Auth:Users, as the
/// AppHost sets it), so a token an admin mints there (<c>POST /user-tokens</c>) opens the user's feed.
/// </summary>
public sealed class IdentityUserTokensTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    [Fact]
    public async Task Me_TokenMintedByTheIdentityService_OpensTheUsersFeed()
    {
        var userId = await api.NewUserAsync();
        await api.SendInAppAsync("try the feed", userId);
        var minted = await api.Identity.SendAsAdminAsync(HttpMethod.Post, "/user-tokens", new { userId });
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        var token = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var client = api.CreateClient(token);

        var page = await client.GetFromJsonAsync<JsonElement>("/me/notifications");

        Assert.Equal(["try the feed"], page.Items().Select(item => item.Title()));
    }
}
