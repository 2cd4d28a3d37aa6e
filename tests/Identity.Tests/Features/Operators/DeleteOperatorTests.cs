using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Operators;

public sealed class DeleteOperatorTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Delete_Operator_Returns204AndTheOperatorIsGone()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "deleted");

        await (await Identity.DeleteOperatorAsync(account.Id)).JsonAsync(HttpStatusCode.NoContent);

        Assert.Null(await Identity.ListedOperatorAsync(account.Id));
        Assert.Equal("invalid_grant", (await (await Identity.PasswordGrantAsync(account)).TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
        await (await Identity.DeleteOperatorAsync(account.Id)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_AdminOperator_ItsTokenIsRefusedAtOnce()
    {
        var admin = await Identity.NewOperatorAsync(Roles.Admin, "deleted-admin");
        var token = (await Identity.SignInAsync(admin)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await Identity.AdminRouteStatusAsync(token));

        await (await Identity.DeleteOperatorAsync(admin.Id)).JsonAsync(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, await Identity.AdminRouteStatusAsync(token));
    }

    [Fact]
    public async Task Delete_Operator_ItsRefreshTokenIsRefused()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "deleted-refresh");
        var signedIn = await Identity.SignInAsync(account);

        await (await Identity.DeleteOperatorAsync(account.Id)).JsonAsync(HttpStatusCode.NoContent);

        Assert.Equal("invalid_grant", (await (await Identity.RefreshGrantAsync(signedIn.RefreshToken!)).TokenErrorAsync(HttpStatusCode.BadRequest)).Error);
    }
}
