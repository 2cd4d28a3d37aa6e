using System.Net;
using System.Text.Json;
using Identity.Features.Tokens;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Tokens;

/// <summary>The password grant locks an account for 15 minutes after 5 wrong passwords; an admin's password reset ends it.</summary>
public sealed class PasswordLockoutTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    private const int AllowedWrongPasswords = 5;

    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Post_RightPasswordAfterFourWrong_IssuesToken()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "four-wrong");

        await EnterWrongPasswordsAsync(account, AllowedWrongPasswords - 1);

        await (await Identity.PasswordGrantAsync(account)).TokenAsync();
    }

    [Fact]
    public async Task Post_RightPasswordAfterFiveWrong_IsRefusedWithTheSameError()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "five-wrong");
        var wrongPassword = await EnterWrongPasswordsAsync(account, AllowedWrongPasswords);

        var rightPassword = await (await Identity.PasswordGrantAsync(account)).TokenErrorAsync(HttpStatusCode.BadRequest);

        Assert.Equal(wrongPassword, rightPassword);
        Assert.Equal(TokenEndpoint.SignInRefused, rightPassword.Description);
    }

    [Fact]
    public async Task GetOperators_LockedOperator_ShowsLockedUntilAbout15MinutesAhead()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "locked");
        Assert.Equal(JsonValueKind.Null, (await LockedUntilAsync(account)).ValueKind);

        await EnterWrongPasswordsAsync(account, AllowedWrongPasswords);

        var lockedUntil = (await LockedUntilAsync(account)).GetDateTimeOffset();
        // Minutes either side: the lock's length is what is checked, not the clock.
        Assert.InRange(lockedUntil, DateTimeOffset.UtcNow.AddMinutes(13), DateTimeOffset.UtcNow.AddMinutes(16));
    }

    [Fact]
    public async Task PostPassword_LockedOperator_UnlocksItWithTheNewPassword()
    {
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "unlocked");
        await EnterWrongPasswordsAsync(account, AllowedWrongPasswords);
        Assert.NotEqual(JsonValueKind.Null, (await LockedUntilAsync(account)).ValueKind);

        var newPassword = $"{account.Login} new password";
        await (await Identity.ResetPasswordAsync(account.Id, newPassword)).JsonAsync(HttpStatusCode.NoContent);

        await (await Identity.PasswordGrantAsync(account.Login, newPassword)).TokenAsync();
        Assert.Equal(JsonValueKind.Null, (await LockedUntilAsync(account)).ValueKind);
    }

    private async Task<JsonElement> LockedUntilAsync(OperatorAccount account) =>
        (await Identity.ListedOperatorAsync(account.Id))!.Value.GetProperty("lockedUntil");

    /// <summary>Signs in with a wrong password <paramref name="count"/> times; returns the (last) refusal.</summary>
    private async Task<TokenError> EnterWrongPasswordsAsync(OperatorAccount account, int count)
    {
        TokenError? refusal = null;
        for (var attempt = 0; attempt < count; attempt++)
        {
            refusal = await (await Identity.PasswordGrantAsync(account.Login, "not the password")).TokenErrorAsync(HttpStatusCode.BadRequest);
        }
        return refusal!;
    }
}
