using System.Net;
using System.Text.Json;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Apps;

public sealed class ListAppsTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Get_AfterRegister_ListsTheAppWithoutItsSecret()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Mailings);

        var response = await Identity.SendAsAdminAsync(HttpMethod.Get, "/apps");

        var listed = (await ListedAsync(response)).Single(a => a.GetProperty("id").GetString() == app.Id);
        Assert.Equal([Scopes.Mailings], listed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.False(listed.GetProperty("disabled").GetBoolean());
        Assert.Equal(["createdAt", "disabled", "id", "name", "previousSecretValidUntil", "scopes"], listed.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(app.Secret, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_Apps_LeavesOutOurOwnClients()
    {
        var ids = (await ListedAsync(await Identity.SendAsAdminAsync(HttpMethod.Get, "/apps"))).Select(a => a.GetProperty("id").GetString());

        Assert.DoesNotContain(ServiceClients.TaskApi, ids);
        Assert.DoesNotContain(ServiceClients.SwaggerUi, ids);
    }

    private static async Task<IEnumerable<JsonElement>> ListedAsync(HttpResponseMessage response) =>
        (await response.JsonAsync(HttpStatusCode.OK)).EnumerateArray();
}
