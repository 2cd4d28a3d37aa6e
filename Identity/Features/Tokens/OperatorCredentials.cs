using Identity.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace Identity.Features.Tokens;

/// <summary>
/// Checks an operator's login and password, for the password grant and the login page alike: lockout counted, a
/// refusal audited, and an unknown login or a disabled account taking as long as a wrong password, so that neither the
/// answer nor its time tells which it was.
/// </summary>
public sealed class OperatorCredentials(UserManager<Operator> operators, SignInManager<Operator> signIn, AuditTrail audit)
{
    // A hash of no one's password, checked against for unknown logins.
    private static readonly string UnknownLoginHash = new PasswordHasher<Operator>().HashPassword(new Operator(), Guid.NewGuid().ToString());

    /// <summary>The operator, or null when the sign-in is refused (recorded as refused by <paramref name="way"/>, e.g. "password").</summary>
    public async Task<Operator?> CheckAsync(string? login, string? password, string way, CancellationToken ct)
    {
        var user = await operators.FindByNameAsync(login ?? "");
        if (user is null)
        {
            operators.PasswordHasher.VerifyHashedPassword(new Operator(), UnknownLoginHash, password ?? "");
            return await RefusedAsync("unknown login");
        }
        if (user.Disabled)
        {
            operators.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? UnknownLoginHash, password ?? "");
            return await RefusedAsync("disabled");
        }
        var check = await signIn.CheckPasswordSignInAsync(user, password ?? "", lockoutOnFailure: true);
        return check.Succeeded ? user : await RefusedAsync(check.IsLockedOut ? "locked out" : "wrong password");

        async Task<Operator?> RefusedAsync(string reason)
        {
            await audit.RecordRefusedAsync(login, AuditActions.SignInRefused, $"{way}: {reason}", ct);
            return null;
        }
    }
}
