using System.ComponentModel.DataAnnotations;

namespace TaskApi.Features.Feed;

/// <summary>
/// The OpenID Connect issuer of the integrating product's end users, whose access tokens open the in-app feed
/// (<c>/me/notifications</c>), section <c>Auth:Users</c>.
/// </summary>
public sealed class UserTokenOptions
{
    public const string SectionName = "Auth:Users";

    /// <summary>
    /// The issuer's address: its discovery document is read from <c>.well-known/openid-configuration</c> under it, and
    /// the keys from the document's <c>jwks_uri</c>. Tokens must name the document's <c>issuer</c>.
    /// </summary>
    [Required]
    public Uri? Authority { get; set; }

    /// <summary>The <c>aud</c> a user's token must name: what the issuer calls this API.</summary>
    [Required, MinLength(1)]
    public string? Audience { get; set; }

    /// <summary>
    /// A token signed with a key not seen yet (the issuer rotated its keys) makes the keys be read again, at most this
    /// often, so tokens with made-up key ids cannot make TaskApi call the issuer at will. At least 1 s (IdentityModel's floor).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
}
