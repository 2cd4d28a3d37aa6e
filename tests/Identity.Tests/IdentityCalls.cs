using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests;

/// <summary>
/// Requests to an identity service as any caller may make them (any grant, any credentials, any token or none), their
/// answers returned as they came, for the test to assert on; TestIdentity's own helpers take the successful path only.
/// </summary>
public static class IdentityCalls
{
    private const string TokenPath = "/connect/token";

    // One client for every instance: each request names its instance's address.
    private static readonly HttpClient Http = new();

    /// <summary>A token request with <paramref name="form"/>, the client authenticating with HTTP Basic when <paramref name="basic"/> is given.</summary>
    public static async Task<HttpResponseMessage> RequestTokenAsync(this TestIdentity identity, IReadOnlyDictionary<string, string> form, AppCredentials? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(identity.BaseAddress, TokenPath)) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = basic?.BasicAuthorization();
        return await Http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PasswordGrantAsync(this TestIdentity identity, string login, string password) =>
        identity.RequestTokenAsync(new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = login, ["password"] = password });

    public static Task<HttpResponseMessage> PasswordGrantAsync(this TestIdentity identity, OperatorAccount account) =>
        identity.PasswordGrantAsync(account.Login, account.Password);

    /// <summary>The client credentials grant with HTTP Basic, asking for <paramref name="scope"/> (space-separated) when given.</summary>
    public static Task<HttpResponseMessage> ClientCredentialsGrantAsync(this TestIdentity identity, AppCredentials app, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        return identity.RequestTokenAsync(form, basic: app);
    }

    public static Task<HttpResponseMessage> RefreshGrantAsync(this TestIdentity identity, string refreshToken) =>
        identity.RequestTokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    /// <summary>A request to the identity service's API with <paramref name="token"/> as the bearer token (none when null).</summary>
    public static Task<HttpResponseMessage> SendAsync(this TestIdentity identity, HttpMethod method, string path, string? token, object? body = null) =>
        identity.SendContentAsync(method, path, token, body is null ? null : JsonContent.Create(body));

    /// <summary>What the identity service's API answers a request with <paramref name="token"/> on a route for admins (<c>GET /operators</c>).</summary>
    public static async Task<HttpStatusCode> AdminRouteStatusAsync(this TestIdentity identity, string token)
    {
        using var response = await identity.SendAsync(HttpMethod.Get, "/operators", token);
        return response.StatusCode;
    }

    /// <summary>An admin's request with a body exactly as written, for bodies an object cannot express (a field left out).</summary>
    public static async Task<HttpResponseMessage> SendJsonTextAsAdminAsync(this TestIdentity identity, HttpMethod method, string path, string json) =>
        await identity.SendContentAsync(method, path, await identity.OperatorTokenAsync(Roles.Admin), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<HttpResponseMessage> SendContentAsync(this TestIdentity identity, HttpMethod method, string path, string? token, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, new Uri(identity.BaseAddress, path)) { Content = content };
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }
}
