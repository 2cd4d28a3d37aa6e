using Identity.Infrastructure;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Identity.Features.Tokens;

/// <summary>
/// Puts every refused token request into the audit log: a wrong client secret or an unknown client (which OpenIddict
/// refuses before <see cref="TokenEndpoint"/> is reached), an expired refresh token, an unsupported grant. Those the
/// endpoint refused itself it has recorded already, with the reason it alone knows.
/// </summary>
public sealed class RefusedTokenRequests(AuditTrail audit) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    private const string RecordedItem = "identity.refusal-recorded";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<RefusedTokenRequests>()
            // Before OpenIddict writes the response.
            .SetOrder(int.MinValue + 100_000)
            .Build();

    public static void MarkRecorded(HttpContext context) => context.Items[RecordedItem] = true;

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var http = context.Transaction.GetHttpRequest()?.HttpContext;
        if (context.Error is null || http is null || http.Items.ContainsKey(RecordedItem))
        {
            return;
        }
        var request = context.Request;
        await audit.RecordRefusedAsync(request?.ClientId ?? request?.Username, AuditActions.SignInRefused,
            $"{request?.GrantType ?? "no grant type"}: {context.Error} ({context.Response.ErrorDescription})", context.CancellationToken);
    }
}
