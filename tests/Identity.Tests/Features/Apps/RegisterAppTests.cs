using System.Buffers.Text;
using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Apps;

public sealed class RegisterAppTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Post_ValidApp_Returns201WithTheAppAndItsCredentials()
    {
        var name = $"registered {Guid.NewGuid():N}";

        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, "/apps", new { name, scopes = new[] { Scopes.Tasks, Scopes.Campaigns } });

        var registered = await response.JsonAsync(HttpStatusCode.Created);
        var app = registered.GetProperty("app");
        var id = app.GetProperty("id").GetString()!;
        Assert.Equal($"/apps/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(name, app.GetProperty("name").GetString());
        Assert.Equal([Scopes.Campaigns, Scopes.Tasks], app.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.False(app.GetProperty("disabled").GetBoolean());
        var credentials = registered.GetProperty("credentials");
        Assert.Equal(id, credentials.GetProperty("id").GetString());
        // 256 random bits.
        Assert.Equal(32, Base64Url.DecodeFromChars(credentials.GetProperty("secret").GetString()).Length);
        await (await Identity.ClientCredentialsGrantAsync(new AppCredentials(id, credentials.GetProperty("secret").GetString()!))).TokenAsync();
    }

    [Theory]
    [InlineData("""{ "name": "no scopes" }""")]
    [InlineData("""{ "name": "empty scopes", "scopes": [] }""")]
    [InlineData("""{ "name": "unknown scope", "scopes": ["tasks", "everything"] }""")]
    [InlineData("""{ "name": "an identity scope", "scopes": ["identity.sync"] }""")]
    [InlineData("""{ "name": "duplicate scope", "scopes": ["tasks", "tasks"] }""")]
    public async Task Post_ScopesThatAreNotAppScopesEachOnce_Returns400NamingScopes(string body)
    {
        var response = await Identity.SendJsonTextAsAdminAsync(HttpMethod.Post, "/apps", body);

        Assert.Equal(["scopes"], await response.InvalidFieldsAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public async Task Post_NameOfWrongLength_Returns400NamingName(int length)
    {
        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, "/apps", new { name = new string('n', length), scopes = new[] { Scopes.Tasks } });

        Assert.Equal(["name"], await response.InvalidFieldsAsync());
    }

    [Fact]
    public async Task Post_NameOf200Characters_Returns201()
    {
        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, "/apps", new { name = new string('n', 200), scopes = new[] { Scopes.Tasks } });

        await response.JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Post_ValidApp_StoresOnlyAHashOfTheSecret()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var stored = await Identity.Database.ScalarAsync<string>("""SELECT "ClientSecret" FROM "OpenIddictApplications" WHERE "ClientId" = @id""", ("id", app.Id));

        Assert.False(string.IsNullOrEmpty(stored));
        Assert.NotEqual(app.Secret, stored);
        Assert.DoesNotContain(app.Secret, stored);
    }
}
