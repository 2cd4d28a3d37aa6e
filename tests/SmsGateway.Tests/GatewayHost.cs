using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SmsGateway.Tests;

/// <summary>The gateway in-process on Kestrel (real sockets, as the other services' tests run it), one per test.</summary>
public sealed class GatewayHost : WebApplicationFactory<Program>
{
    public const string Token = "test-token";

    private readonly Dictionary<string, string> _settings = new()
    {
        ["Gateway:Token"] = Token,
        // No wait unless a test asks for one, so the tests take no longer than they must.
        ["Gateway:Delay"] = "00:00:00",
    };

    private GatewayHost(IEnumerable<(string Key, string Value)> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    /// <summary>Starts a gateway with the test defaults and <paramref name="overrides"/> (configuration keys, <c>Gateway:Delay</c>...).</summary>
    public static GatewayHost Start(params (string Key, string Value)[] overrides)
    {
        var host = new GatewayHost(overrides);
        try
        {
            host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            host.StartServer();
            return host;
        }
        catch (Exception startFailure)
        {
            // Disposing a half-started host can throw too; that must not hide why the start failed.
            try
            {
                host.Dispose();
            }
            catch (Exception disposeFailure)
            {
                throw new AggregateException(startFailure, disposeFailure);
            }
            throw;
        }
    }

    /// <summary>A caller as TaskWorker is one: with <c>Authorization: Bearer {token}</c>, or none when null.</summary>
    public HttpClient CreateSender(string? token = Token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>The provider's call: <c>POST /v1/send/{id}</c> with <c>{ "id": id, "phone": phone, "text": text }</c>.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient sender, long id, long phone = 79001234567, string text = "hello") =>
        sender.PostAsJsonAsync($"/v1/send/{id}", new { id, phone, text });

    /// <summary>A body as given, for the cases the provider refuses.</summary>
    public static Task<HttpResponseMessage> SendRawAsync(HttpClient sender, long routeId, string json) =>
        sender.PostAsync($"/v1/send/{routeId}", new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonElement> GetMessagesAsync(string query = "")
    {
        using var client = CreateClient();
        return await client.GetFromJsonAsync<JsonElement>($"/messages{query}");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

public static class HttpResponseAssertions
{
    /// <summary>Asserts an RFC 7807 problem with the status and returns its body.</summary>
    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expectedStatus)
    {
        Assert.Equal(expectedStatus, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expectedStatus, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 validation problem that names <paramref name="field"/>.</summary>
    public static async Task AssertFieldErrorAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"Expected an error for '{field}' in {problem}");
    }
}
