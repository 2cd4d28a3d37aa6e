using System.Text.Json.Serialization;
using FastEndpoints;

namespace TaskApi.Features.Users.PutUser;

/// <summary><c>PUT /users/{userId}</c>: the user's id from the route and all its fields from the body.</summary>
public sealed class PutUserRequest : UserRequest
{
    /// <summary>The user's id in the integrating product: 1 to 128 characters, no control characters, no '/' (percent-encoded in the path).</summary>
    // From the route only: a "userId" in the body is not read.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenReading)]
    public string UserId { get; set; } = null!;
}

public sealed class PutUserValidator : Validator<PutUserRequest>
{
    public PutUserValidator()
    {
        RuleFor(r => r.UserId).MustBeUserId();
        Include(new UserRules());
    }
}
