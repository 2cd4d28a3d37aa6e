using System.Net;
using System.Text.Json;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Operators;

/// <summary>
/// The last enabled admin can be neither disabled, demoted nor deleted, or nobody could manage operators and apps again.
/// On an identity service of its own: whether an admin is the last depends on every other operator there.
/// </summary>
public sealed class LastAdminTests(OwnIdentity own) : IClassFixture<OwnIdentity>
{
    private TestIdentity Identity => own.Current;

    [Fact]
    public async Task Patch_DisableTheLastAdmin_Returns409AndItStaysEnabled()
    {
        var adminId = await BuiltInAdminIdAsync();

        await (await Identity.PatchOperatorAsync(adminId, new { disabled = true })).ProblemAsync(HttpStatusCode.Conflict);

        await AssertBuiltInAdminUnchangedAsync();
    }

    [Fact]
    public async Task Patch_DemoteTheLastAdmin_Returns409AndItStaysAdmin()
    {
        var adminId = await BuiltInAdminIdAsync();

        await (await Identity.PatchOperatorAsync(adminId, new { role = Roles.Operator })).ProblemAsync(HttpStatusCode.Conflict);

        await AssertBuiltInAdminUnchangedAsync();
    }

    [Fact]
    public async Task Delete_TheLastAdmin_Returns409AndItStays()
    {
        var adminId = await BuiltInAdminIdAsync();

        await (await Identity.DeleteOperatorAsync(adminId)).ProblemAsync(HttpStatusCode.Conflict);

        await AssertBuiltInAdminUnchangedAsync();
    }

    [Fact]
    public async Task Patch_DemoteAnAdminWhoseOnlyPeerIsDisabled_Returns409()
    {
        var peer = await Identity.NewOperatorAsync(Roles.Admin, "disabled-peer");
        await (await Identity.PatchOperatorAsync(peer.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);
        var adminId = await BuiltInAdminIdAsync();

        await (await Identity.PatchOperatorAsync(adminId, new { role = Roles.Operator })).ProblemAsync(HttpStatusCode.Conflict);

        await AssertBuiltInAdminUnchangedAsync();
    }

    [Fact]
    public async Task Patch_DisableAnAdminWhileAnotherIsEnabled_Returns200()
    {
        var other = await Identity.NewOperatorAsync(Roles.Admin, "not-last");

        // It leaves the built-in admin the only enabled one again, as the other tests of this class expect.
        var updated = await (await Identity.PatchOperatorAsync(other.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        Assert.True(updated.GetProperty("disabled").GetBoolean());
    }

    private async Task<string> BuiltInAdminIdAsync() => (await BuiltInAdminAsync()).GetProperty("id").GetString()!;

    private async Task<JsonElement> BuiltInAdminAsync()
    {
        var operators = await (await Identity.SendAsAdminAsync(HttpMethod.Get, "/operators")).JsonAsync(HttpStatusCode.OK);
        return operators.EnumerateArray().Single(o => o.GetProperty("login").GetString() == TestIdentity.AdminLogin);
    }

    private async Task AssertBuiltInAdminUnchangedAsync()
    {
        var admin = await BuiltInAdminAsync();
        Assert.Equal(Roles.Admin, admin.GetProperty("role").GetString());
        Assert.False(admin.GetProperty("disabled").GetBoolean());
        // Its token was not revoked either.
        Assert.Equal(HttpStatusCode.OK, await Identity.AdminRouteStatusAsync(await Identity.OperatorTokenAsync(Roles.Admin)));
    }
}
