using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlerFilters;

namespace Identity.Features.Tokens;

/// <summary>
/// Refuses a token request for a scope the client was not granted with <c>invalid_scope</c>, as RFC 6749 §5.2 says
/// ("the requested scope ... exceeds the scope granted"). It takes the place of OpenIddict's own check, which makes the
/// same refusal <c>invalid_request</c>; like that one it runs once the client has been authenticated.
/// </summary>
public sealed class ScopePermissions(IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Replaced => OpenIddictServerHandlers.Exchange.ValidateScopePermissions.Descriptor;

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .AddFilter<RequireClientIdParameter>()
            .AddFilter<RequireDegradedModeDisabled>()
            .AddFilter<RequireScopePermissionsEnabled>()
            .UseScopedHandler<ScopePermissions>()
            .SetOrder(Replaced.Order)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var application = await applications.FindByClientIdAsync(context.ClientId!)
            ?? throw new InvalidOperationException("The client of a token request was authenticated but is unknown.");
        // openid and offline_access are the protocol's own, granted by the grant type rather than per client
        // (ProtocolScopesOfApps refuses them to client credentials).
        foreach (var scope in context.Request.GetScopes().Where(scope => scope is not (Scopes.OpenId or Scopes.OfflineAccess)))
        {
            if (!await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope))
            {
                context.Reject(error: Errors.InvalidScope, description: $"This client has not been granted the scope '{scope}'.");
                return;
            }
        }
    }
}
