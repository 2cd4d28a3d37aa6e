using System.Net;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Operators;

public sealed class CreateOperatorTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Post_NewOperator_Returns201WithTheOperatorWhoCanSignIn()
    {
        var login = OperatorAccounts.UniqueLogin("created");
        var password = $"{login} password";

        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, "/operators", new { login, password, role = Roles.Operator });

        var created = await response.JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        Assert.Equal($"/operators/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(login, created.GetProperty("login").GetString());
        Assert.Equal(Roles.Operator, created.GetProperty("role").GetString());
        Assert.False(created.GetProperty("disabled").GetBoolean());
        Assert.InRange(created.GetProperty("createdAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var token = await (await Identity.PasswordGrantAsync(login, password)).TokenAsync();
        Assert.Equal(id, Jwt.Payload(token.AccessToken).GetProperty("sub").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_ExistingLogin_Returns409(bool otherCase)
    {
        var existing = await Identity.NewOperatorAsync(Roles.Viewer, "taken");
        var login = otherCase ? existing.Login.ToUpperInvariant() : existing.Login;

        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, "/operators", new { login, password = "another long password", role = Roles.Viewer });

        await response.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Post_PasswordOf11Characters_Returns400NamingPassword()
    {
        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, "/operators",
            new { login = OperatorAccounts.UniqueLogin("short"), password = "11 chars ok", role = Roles.Viewer });

        Assert.Equal(["password"], await response.InvalidFieldsAsync());
    }

    [Fact]
    public async Task Post_LoginEndingInALineBreak_Returns400NamingLoginByItsRule()
    {
        var login = OperatorAccounts.UniqueLogin("ends") + "\n";

        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, "/operators", new { login, password = "a long enough password", role = Roles.Viewer });

        // Our rule, matched against the whole login (.NET's $ also matches before a final line break), not only
        // ASP.NET Identity's allowed characters behind it.
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["login"], errors.EnumerateObject().Select(field => field.Name));
        Assert.Equal(["'login' may hold letters, digits and -._@ only."], errors.GetProperty("login").EnumerateArray().Select(error => error.GetString()));
    }

    [Theory]
    [InlineData("root")]
    [InlineData("Admin")]
    [InlineData("")]
    public async Task Post_RoleThatIsNotOne_Returns400NamingRole(string role)
    {
        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, "/operators",
            new { login = OperatorAccounts.UniqueLogin("bad-role"), password = "a long enough password", role });

        Assert.Equal(["role"], await response.InvalidFieldsAsync());
    }

    [Fact]
    public async Task Post_NewOperator_StoresOnlyAHashOfThePassword()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "hashed");

        var stored = await Identity.Database.ScalarAsync<string>("""SELECT "PasswordHash" FROM "AspNetUsers" WHERE "Id" = @id""", ("id", account.Id));

        Assert.NotEqual(account.Password, stored);
        Assert.DoesNotContain(account.Password, stored);
        // A hash of this password indeed, not some other value.
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<Operator>().VerifyHashedPassword(new Operator(), stored, account.Password));
    }
}
