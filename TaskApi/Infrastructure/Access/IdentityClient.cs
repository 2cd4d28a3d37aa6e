using System.Net;
using System.Net.Http.Headers;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.Options;
using Tasks.Shared;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// TaskApi's calls to the identity service, as its own client (<c>taskapi</c>, client credentials, scope
/// <c>identity.sync</c>): the revocations and the audit events. Its token is kept until shortly before it expires.
/// </summary>
public sealed class IdentityClient(IHttpClientFactory httpClients, IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "identity";

    private static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _token;

    public Task<RevocationList> GetRevocationsAsync(CancellationToken ct) => GetAsync<RevocationList>("/sync/revocations", ct);

    public Task<AuditEventPage> GetAuditEventsAsync(long after, int limit, CancellationToken ct) =>
        GetAsync<AuditEventPage>($"/sync/audit?after={after}&limit={limit}", ct);

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var client = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Value.IdentityUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client, ct));
        using var response = await client.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // Our secret was rotated, or the identity service's keys were: ask for a new token next time.
            _token = null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(ct) ?? throw new InvalidOperationException($"The identity service answered {path} with null.");
    }

    private async Task<string> TokenAsync(HttpClient client, CancellationToken ct)
    {
        if (_token is { } cached && clock.GetUtcNow() < cached.RenewAt)
        {
            return cached.Token;
        }
        await _tokenLock.WaitAsync(ct);
        try
        {
            if (_token is { } renewed && clock.GetUtcNow() < renewed.RenewAt)
            {
                return renewed.Token;
            }
            var response = await client.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = new Uri(options.Value.IdentityUrl, "/connect/token").ToString(),
                ClientId = ServiceClients.TaskApi,
                ClientSecret = options.Value.ClientSecret,
                Scope = Scopes.IdentitySync,
            }, ct);
            if (response.IsError || response.AccessToken is null)
            {
                throw new HttpRequestException($"The identity service refused TaskApi's token request: {response.Error} {response.ErrorDescription}");
            }
            _token = (response.AccessToken, clock.GetUtcNow() + TimeSpan.FromSeconds(response.ExpiresIn) - RenewBeforeExpiry);
            return response.AccessToken;
        }
        finally
        {
            _tokenLock.Release();
        }
    }
}
