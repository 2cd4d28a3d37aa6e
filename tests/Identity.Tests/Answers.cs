using System.Net;
using System.Text.Json;

namespace Identity.Tests;

/// <summary>An access token response (RFC 6749 §5.1).</summary>
public sealed record TokenAnswer(string AccessToken, string? RefreshToken, int ExpiresIn, string? Scope);

/// <summary>A token error response (RFC 6749 §5.2).</summary>
public sealed record TokenError(string Error, string? Description);

/// <summary>Reads answers after checking their status; a wrong status fails with the body, which says why.</summary>
public static class Answers
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<TokenAnswer> TokenAsync(this HttpResponseMessage response)
    {
        var json = await response.JsonAsync(HttpStatusCode.OK);
        return new TokenAnswer(
            json.GetProperty("access_token").GetString()!,
            json.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            json.GetProperty("expires_in").GetInt32(),
            json.TryGetProperty("scope", out var scope) ? scope.GetString() : null);
    }

    public static async Task<TokenError> TokenErrorAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var json = await response.JsonAsync(expected);
        return new TokenError(json.GetProperty("error").GetString()!,
            json.TryGetProperty("error_description", out var description) ? description.GetString() : null);
    }

    /// <summary>An RFC 9457 problem with <paramref name="expected"/> as its status, as the HTTP status says.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.JsonAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The fields a validation problem (400) names.</summary>
    public static async Task<IReadOnlyList<string>> InvalidFieldsAsync(this HttpResponseMessage response)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        return [.. problem.GetProperty("errors").EnumerateObject().Select(field => field.Name)];
    }
}
