using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Apps;

/// <summary><c>PATCH /apps/{id}</c>: name, scopes, disabled.</summary>
public sealed class UpdateAppTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Patch_Disabled_TokenRequestsGetInvalidClient()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var updated = await (await Identity.PatchAppAsync(app.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        Assert.True(updated.GetProperty("disabled").GetBoolean());
        var refusal = await (await Identity.ClientCredentialsGrantAsync(app)).TokenErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_client", refusal.Error);
    }

    [Fact]
    public async Task Patch_EnabledAgain_TokenRequestsSucceed()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);
        await (await Identity.PatchAppAsync(app.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        var updated = await (await Identity.PatchAppAsync(app.Id, new { disabled = false })).JsonAsync(HttpStatusCode.OK);

        Assert.False(updated.GetProperty("disabled").GetBoolean());
        await (await Identity.ClientCredentialsGrantAsync(app)).TokenAsync();
    }

    [Fact]
    public async Task Patch_ScopesAndName_AreWhatTheAppAndItsNextTokenHave()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var updated = await (await Identity.PatchAppAsync(app.Id, new { name = "renamed", scopes = new[] { Scopes.Campaigns } })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("renamed", updated.GetProperty("name").GetString());
        Assert.Equal([Scopes.Campaigns], updated.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var payload = Jwt.Payload((await (await Identity.ClientCredentialsGrantAsync(app)).TokenAsync()).AccessToken);
        Assert.Equal(Scopes.Campaigns, payload.GetProperty("scope").GetString());
        Assert.Equal("renamed", payload.GetProperty("name").GetString());
        Assert.Equal("invalid_scope", (await (await Identity.ClientCredentialsGrantAsync(app, Scopes.Tasks)).TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
    }

    [Fact]
    public async Task Patch_ScopeThatIsNotAnAppScope_Returns400NamingScopes()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        Assert.Equal(["scopes"], await (await Identity.PatchAppAsync(app.Id, new { scopes = new[] { Scopes.IdentitySync } })).InvalidFieldsAsync());
    }

    [Fact]
    public async Task Patch_NothingToChange_Returns400()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        Assert.Equal(["body"], await (await Identity.PatchAppAsync(app.Id, new { })).InvalidFieldsAsync());
    }

    [Theory]
    [InlineData("app-nosuchapp")]
    [InlineData(ServiceClients.TaskApi)]
    public async Task Patch_AppThatIsNotRegistered_Returns404(string id)
    {
        var response = await Identity.PatchAppAsync(id, new { disabled = true });

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }
}
