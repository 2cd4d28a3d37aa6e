using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Identity.Features.Tokens;

/// <summary>
/// An app's client credentials get neither an ID token (an app is no person) nor a refresh token (it asks again
/// instead): <c>openid</c> and <c>offline_access</c> are refused with <c>invalid_scope</c>, as RFC 6749 §5.2 names a
/// scope the client may not have. OpenIddict would issue an ID token for the first and refuse the second as
/// <c>invalid_request</c>; this runs before its own checks. Nothing here depends on the client, so running before it
/// is authenticated tells a stranger nothing.
/// </summary>
public sealed class ProtocolScopesOfApps : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<ProtocolScopesOfApps>()
            .SetOrder(int.MinValue + 50_000)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (context.Request.IsClientCredentialsGrantType()
            && context.Request.GetScopes().FirstOrDefault(scope => scope is Scopes.OpenId or Scopes.OfflineAccess) is { } scope)
        {
            context.Reject(error: Errors.InvalidScope, description: $"An app's client credentials get no '{scope}': ask for the API scopes only.");
        }
        return ValueTask.CompletedTask;
    }
}
