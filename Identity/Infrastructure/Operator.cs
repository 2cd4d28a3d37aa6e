using Microsoft.AspNetCore.Identity;

namespace Identity.Infrastructure;

/// <summary>A person who works with the system: an ASP.NET Core Identity account (login, password hash, lockout) with one role.</summary>
public sealed class Operator : IdentityUser
{
    /// <summary>One of <see cref="Tasks.Shared.Roles"/>.</summary>
    public string Role { get; set; } = "";

    /// <summary>A disabled operator cannot sign in, and its tokens are revoked.</summary>
    public bool Disabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
