using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Extensions;

/// <summary>Who may call the identity service's API: admins (operators and apps routes), TaskApi's client (sync routes).</summary>
public sealed class ApiAuthorizationTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    /// <summary>Every route for admins, with an id that need not exist: authorization comes before the lookup.</summary>
    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/operators" },
        { "POST", "/operators" },
        { "PATCH", "/operators/some-id" },
        { "POST", "/operators/some-id/password" },
        { "DELETE", "/operators/some-id" },
        { "GET", "/apps" },
        { "POST", "/apps" },
        { "PATCH", "/apps/app-some-id" },
        { "POST", "/apps/app-some-id/secret" },
        { "DELETE", "/apps/app-some-id" },
        { "POST", "/user-tokens" },
    };

    public static TheoryData<string, string> SyncRoutes => new()
    {
        { "GET", "/sync/revocations" },
        { "GET", "/sync/audit?after=0" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    [MemberData(nameof(SyncRoutes))]
    public async Task Send_WithoutToken_Returns401ProblemWithBearerChallenge(string method, string path)
    {
        var response = await Identity.SendAsync(new HttpMethod(method), path, token: null, body: new { });

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Send_ViewersOrOperatorsToken_Returns403ProblemNamingTheRoleAdmin(string method, string path)
    {
        foreach (var role in new[] { Roles.Viewer, Roles.Operator })
        {
            var response = await Identity.SendAsync(new HttpMethod(method), path, await Identity.OperatorTokenAsync(role), new { });

            var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains($"'{Roles.Admin}'", problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    [MemberData(nameof(SyncRoutes))]
    public async Task Send_AppsToken_Returns401ForItsAudienceIsTaskApi(string method, string path)
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);
        var token = (await (await Identity.ClientCredentialsGrantAsync(app)).TokenAsync()).AccessToken;

        var response = await Identity.SendAsync(new HttpMethod(method), path, token, new { });

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Get_ViewersTokenChangedToNameAdmin_Returns401()
    {
        var token = await Identity.OperatorTokenAsync(Roles.Viewer);
        var forged = Jwt.WithPayload(token, payload => payload.Replace($"\"role\":\"{Roles.Viewer}\"", $"\"role\":\"{Roles.Admin}\"", StringComparison.Ordinal));
        Assert.Equal(Roles.Admin, Jwt.Payload(forged).GetProperty("role").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, await Identity.AdminRouteStatusAsync(forged));
    }

    [Fact]
    public async Task Get_AdminsToken_Returns200()
    {
        Assert.Equal(HttpStatusCode.OK, await Identity.AdminRouteStatusAsync(await Identity.OperatorTokenAsync(Roles.Admin)));
    }
}
