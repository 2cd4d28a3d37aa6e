using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Operators;

public sealed class ListOperatorsTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Get_AfterCreate_ListsTheOperatorWithoutAnythingOfItsPassword()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "listed");

        var response = await Identity.SendAsAdminAsync(HttpMethod.Get, "/operators");

        var listed = (await response.JsonAsync(HttpStatusCode.OK)).EnumerateArray().Single(o => o.GetProperty("id").GetString() == account.Id);
        Assert.Equal(account.Login, listed.GetProperty("login").GetString());
        Assert.Equal(Roles.Operator, listed.GetProperty("role").GetString());
        Assert.False(listed.GetProperty("disabled").GetBoolean());
        Assert.Equal(["createdAt", "disabled", "id", "lockedUntil", "login", "role"], listed.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(account.Password, await response.Content.ReadAsStringAsync());
    }
}
