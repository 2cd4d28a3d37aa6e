using System.Net.Http.Headers;
using System.Text.Json;

namespace AppHost.Tests;

/// <summary>Tokens from the identity service the AppHost runs, as an operator gets them, and API clients that send one.</summary>
public static class AccessTokens
{
    /// <summary>The password grant at <c>/connect/token</c>, as the start-up summary's command asks for a token.</summary>
    public static async Task<string> PasswordGrantAsync(Uri identity, string login, string password)
    {
        using var client = new HttpClient { BaseAddress = identity };
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = login,
            ["password"] = password,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"The identity service answered {(int)response.StatusCode}: {body}");
        return AccessToken(body);
    }

    /// <summary>The <c>access_token</c> of a token endpoint's answer.</summary>
    public static string AccessToken(string tokenResponse) =>
        JsonDocument.Parse(tokenResponse).RootElement.GetProperty("access_token").GetString()!;

    /// <summary><paramref name="client"/>, each of whose requests carries <paramref name="token"/>.</summary>
    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
