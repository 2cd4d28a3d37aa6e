using System.ComponentModel.DataAnnotations;
using Identity.Infrastructure;

namespace Identity.Tests.Infrastructure;

/// <summary>The checks at start of the section <c>Identity</c> that are the service's own (beyond the ranges).</summary>
public sealed class IdentityServiceOptionsTests
{
    [Theory]
    [InlineData("/signin-oidc")]
    [InlineData("ftp://console.example/signin-oidc")]
    public void Validate_ConsoleRedirectUriNotAbsoluteHttp_IsRefusedNamingConsole(string uri)
    {
        var options = new IdentityServiceOptions { Console = { RedirectUris = [new Uri(uri, UriKind.RelativeOrAbsolute)] } };

        var refusal = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Equal([nameof(IdentityServiceOptions.Console)], refusal.MemberNames);
    }

    [Fact]
    public void Validate_ConsoleUrisAbsoluteHttp_AreAccepted()
    {
        var options = new IdentityServiceOptions
        {
            Console = { RedirectUris = [new Uri("http://127.0.0.1:5090/signin-oidc")], PostLogoutRedirectUris = [new Uri("https://console.example/signout-callback-oidc")] },
        };

        Assert.Empty(options.Validate(new ValidationContext(options)));
    }
}
