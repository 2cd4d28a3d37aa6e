using System.Net;
using Identity.Features.Tokens;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Operators;

/// <summary><c>PATCH /operators/{id}</c>: role and disabled, and what each does to the operator's tokens.</summary>
public sealed class UpdateOperatorTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Patch_Role_ReturnsTheNewRoleWhichTheNextTokenCarries()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "promoted");

        var updated = await (await Identity.PatchOperatorAsync(account.Id, new { role = Roles.Operator })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(Roles.Operator, updated.GetProperty("role").GetString());
        var token = await Identity.SignInAsync(account);
        Assert.Equal(Roles.Operator, Jwt.Payload(token.AccessToken).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Patch_RoleOfAnAdmin_ItsTokenIsRefusedAtOnce()
    {
        var admin = await Identity.NewOperatorAsync(Roles.Admin, "demoted");
        var token = (await Identity.SignInAsync(admin)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await Identity.AdminRouteStatusAsync(token));

        await (await Identity.PatchOperatorAsync(admin.Id, new { role = Roles.Viewer })).JsonAsync(HttpStatusCode.OK);

        // Not 403 for a viewer: the token itself is revoked, whatever role it names.
        Assert.Equal(HttpStatusCode.Unauthorized, await Identity.AdminRouteStatusAsync(token));
    }

    [Fact]
    public async Task Patch_Disabled_PasswordGrantIsRefusedWithTheSameError()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "disabled");

        var updated = await (await Identity.PatchOperatorAsync(account.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        Assert.True(updated.GetProperty("disabled").GetBoolean());
        var refusal = await (await Identity.PasswordGrantAsync(account)).TokenErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new TokenError("invalid_grant", TokenEndpoint.SignInRefused), refusal);
    }

    [Fact]
    public async Task Patch_DisabledAdmin_ItsTokenIsRefusedByTheIdentityApiAtOnce()
    {
        var admin = await Identity.NewOperatorAsync(Roles.Admin, "disabled-admin");
        var token = (await Identity.SignInAsync(admin)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await Identity.AdminRouteStatusAsync(token));

        await (await Identity.PatchOperatorAsync(admin.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Unauthorized, await Identity.AdminRouteStatusAsync(token));
    }

    [Fact]
    public async Task Patch_Disabled_RefreshTokenIsRefused()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "disabled-refresh");
        var signedIn = await Identity.SignInAsync(account);

        await (await Identity.PatchOperatorAsync(account.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("invalid_grant", (await (await Identity.RefreshGrantAsync(signedIn.RefreshToken!)).TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
    }

    [Fact]
    public async Task Patch_EnabledAgain_OperatorSignsInAgain()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "re-enabled");
        await (await Identity.PatchOperatorAsync(account.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        var updated = await (await Identity.PatchOperatorAsync(account.Id, new { disabled = false })).JsonAsync(HttpStatusCode.OK);

        Assert.False(updated.GetProperty("disabled").GetBoolean());
        await Identity.SignInAsync(account);
    }

    [Fact]
    public async Task Patch_RoleThatIsNotOne_Returns400NamingRole()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "bad-role");

        Assert.Equal(["role"], await (await Identity.PatchOperatorAsync(account.Id, new { role = "root" })).InvalidFieldsAsync());
    }

    [Fact]
    public async Task Patch_NeitherRoleNorDisabled_Returns400()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "no-change");

        Assert.Equal(["body"], await (await Identity.PatchOperatorAsync(account.Id, new { })).InvalidFieldsAsync());
    }

    [Fact]
    public async Task Patch_UnknownOperator_Returns404()
    {
        var response = await Identity.PatchOperatorAsync(Guid.NewGuid().ToString(), new { disabled = true });

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }
}
