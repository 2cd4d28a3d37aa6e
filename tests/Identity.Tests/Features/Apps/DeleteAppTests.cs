using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Apps;

public sealed class DeleteAppTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Delete_App_Returns204AndItGetsInvalidClient()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        await (await Identity.DeleteAppAsync(app.Id)).JsonAsync(HttpStatusCode.NoContent);

        Assert.Equal("invalid_client", (await (await Identity.ClientCredentialsGrantAsync(app)).TokenErrorAsync(HttpStatusCode.Unauthorized)).Error);
        var listed = await (await Identity.SendAsAdminAsync(HttpMethod.Get, "/apps")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(app.Id, listed.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        await (await Identity.DeleteAppAsync(app.Id)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_OurOwnClient_Returns404AndItKeepsWorking()
    {
        await (await Identity.DeleteAppAsync(ServiceClients.TaskApi)).ProblemAsync(HttpStatusCode.NotFound);

        await Identity.SyncTokenAsync();
    }
}
