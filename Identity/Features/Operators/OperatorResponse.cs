using Identity.Infrastructure;

namespace Identity.Features.Operators;

/// <summary>An operator as the API shows it (never the password hash).</summary>
/// <param name="Id">What tokens carry as <c>sub</c> and TaskApi records as <c>createdBy</c>.</param>
/// <param name="Login">What the operator signs in with.</param>
/// <param name="Role">admin, operator or viewer.</param>
/// <param name="Disabled">A disabled operator cannot sign in.</param>
/// <param name="LockedUntil">Set while the account is locked after 5 wrong passwords.</param>
/// <param name="CreatedAt">When the operator was created.</param>
public sealed record OperatorResponse(string Id, string Login, string Role, bool Disabled, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt)
{
    public static OperatorResponse From(Operator user, DateTimeOffset now) =>
        new(user.Id, user.UserName!, user.Role, user.Disabled, user.LockoutEnd > now ? user.LockoutEnd : null, user.CreatedAt);
}

/// <summary>The route of the endpoints about one operator.</summary>
public sealed class OperatorIdRequest
{
    /// <summary>The operator's id.</summary>
    public string Id { get; set; } = "";
}
