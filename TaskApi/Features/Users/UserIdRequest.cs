using FastEndpoints;

namespace TaskApi.Features.Users;

/// <summary>The route of <c>/users/{userId}</c>.</summary>
public sealed class UserIdRequest
{
    /// <summary>The user's id in the integrating product (percent-encoded in the path).</summary>
    public string UserId { get; set; } = null!;
}

public sealed class UserIdValidator : Validator<UserIdRequest>
{
    public UserIdValidator() => RuleFor(r => r.UserId).MustBeUserId();
}
