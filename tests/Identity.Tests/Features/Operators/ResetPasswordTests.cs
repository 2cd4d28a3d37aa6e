using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Operators;

/// <summary><c>POST /operators/{id}/password</c> (its lockout ending: PasswordLockoutTests).</summary>
public sealed class ResetPasswordTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Post_NewPassword_Returns204AndOnlyTheNewPasswordSignsIn()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "reset");
        var newPassword = $"{account.Login} new password";

        await (await Identity.ResetPasswordAsync(account.Id, newPassword)).JsonAsync(HttpStatusCode.NoContent);

        Assert.Equal("invalid_grant", (await (await Identity.PasswordGrantAsync(account)).TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
        await (await Identity.PasswordGrantAsync(account.Login, newPassword)).TokenAsync();
    }

    [Fact]
    public async Task Post_NewPasswordOfAnAdmin_ItsTokenIsRefusedAtOnce()
    {
        var admin = await Identity.NewOperatorAsync(Roles.Admin, "reset-admin");
        var token = (await Identity.SignInAsync(admin)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await Identity.AdminRouteStatusAsync(token));

        await (await Identity.ResetPasswordAsync(admin.Id, $"{admin.Login} new password")).JsonAsync(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, await Identity.AdminRouteStatusAsync(token));
    }

    [Fact]
    public async Task Post_NewPassword_RefreshTokenGotWithTheOldIsRefused()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "reset-refresh");
        var signedIn = await Identity.SignInAsync(account);

        await (await Identity.ResetPasswordAsync(account.Id, $"{account.Login} new password")).JsonAsync(HttpStatusCode.NoContent);

        Assert.Equal("invalid_grant", (await (await Identity.RefreshGrantAsync(signedIn.RefreshToken!)).TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
    }

    [Fact]
    public async Task Post_PasswordOf11Characters_Returns400AndKeepsTheOldPassword()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "reset-short");

        Assert.Equal(["password"], await (await Identity.ResetPasswordAsync(account.Id, "11 chars ok")).InvalidFieldsAsync());

        await Identity.SignInAsync(account);
    }

    [Fact]
    public async Task Post_UnknownOperator_Returns404()
    {
        await (await Identity.ResetPasswordAsync(Guid.NewGuid().ToString(), "a long enough password")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
