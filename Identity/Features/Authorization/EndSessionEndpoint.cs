using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Server.AspNetCore;

namespace Identity.Features.Authorization;

/// <summary>
/// <c>GET|POST /connect/endsession</c>: ends the operator's session at the identity service; OpenIddict then sends the
/// browser to the client's <c>post_logout_redirect_uri</c> when it is one the client registered.
/// </summary>
public sealed class EndSessionEndpoint : PassthroughEndpoint
{
    public const string Route = "/connect/endsession";

    protected override string Path => Route;

    public override async Task HandleAsync(CancellationToken ct)
    {
        await HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        await Send.ResultAsync(TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]));
    }
}
