using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Tasks.Shared;

namespace TasksConsole.Infrastructure.SignIn;

/// <summary>Redeems a refresh token for a new access token and refresh token.</summary>
public interface IRefreshTokenGrant
{
    /// <summary>The new tokens, or null when the identity service refused the refresh token (expired, revoked, operator disabled).</summary>
    /// <exception cref="HttpRequestException">The identity service could not be asked.</exception>
    Task<OperatorTokens?> RedeemAsync(string refreshToken, CancellationToken cancellationToken);
}

/// <summary>
/// RFC 6749's refresh_token grant at the identity service's token endpoint (from the discovery document the sign-in
/// reads), as the public client <c>console</c>: no secret.
/// </summary>
public sealed partial class IdentityRefreshTokenGrant(
    HttpClient http,
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptions<ConsoleOptions> options,
    TimeProvider clock,
    ILogger<IdentityRefreshTokenGrant> logger) : IRefreshTokenGrant
{
    public async Task<OperatorTokens?> RedeemAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var configurationManager = oidcOptions.Get(OpenIdConnectDefaults.AuthenticationScheme).ConfigurationManager
            ?? throw new InvalidOperationException("The OpenID Connect handler has no configuration manager.");
        var configuration = await configurationManager.GetConfigurationAsync(cancellationToken);
        var requestedAt = clock.GetUtcNow();
        var response = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = configuration.TokenEndpoint,
            ClientId = options.Value.ClientId,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            RefreshToken = refreshToken,
        }, cancellationToken);
        if (response.ErrorType == ResponseErrorType.Protocol)
        {
            LogRefused(logger, LogText.EscapedIfAny(response.Error), LogText.EscapedIfAny(response.ErrorDescription));
            return null;
        }
        if (response.IsError || response.AccessToken is null)
        {
            throw new HttpRequestException($"The identity service's token endpoint could not be asked: {response.Error}", response.Exception);
        }
        // The lifetime counts from the request, not the answer: the token may expire a little earlier than computed otherwise.
        return new OperatorTokens(response.AccessToken, response.RefreshToken ?? refreshToken, requestedAt.AddSeconds(response.ExpiresIn));
    }

    [LoggerMessage(LogLevel.Information, "The identity service refused the console session's refresh token: {Error} {Description}")]
    private static partial void LogRefused(ILogger logger, string? error, string? description);
}
