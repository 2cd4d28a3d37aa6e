using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>Templates, lists and campaigns through a running pipeline's API, and its emails as the database holds them.</summary>
public static class PipelineCampaigns
{
    public const string Html = """
        <html><body><p>Hello {{ recipient.name }}, {{ message }}</p>
        <p><a href="https://shop.example.com/sale?from=mail">Sale</a> <a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>
        """;

    /// <summary>A template, a list of <paramref name="addresses"/> and a campaign of them, sent at <paramref name="sendAt"/> (null: now).</summary>
    public static async Task<long> CreateCampaignAsync(this RunningPipeline pipeline, IReadOnlyList<string> addresses, DateTimeOffset? sendAt = null)
    {
        using var client = pipeline.CreateApiClient();
        var template = await PostAsync(client, "/templates", new { name = "pipeline", subject = "News for {{ recipient.name }}", html = Html });
        var list = await PostAsync(client, "/lists", new { name = $"pipeline {Guid.NewGuid():N}" });
        foreach (var chunk in addresses.Chunk(10_000))
        {
            var import = await client.PostAsJsonAsync($"/lists/{list}/subscribers", chunk.Select(email => new { email, name = "Reader " + email[..4] }));
            Assert.Equal(200, (int)import.StatusCode);
        }
        return await PostAsync(client, "/campaigns", new
        {
            name = "pipeline campaign",
            templateId = template,
            listIds = new[] { list },
            from = new { email = "news@example.com", name = "News" },
            message = "spring is here",
            sendAt = sendAt?.ToString("O"),
        });
    }

    public static string[] Addresses(int count) => Enumerable.Range(0, count).Select(i => $"reader{i}.{Guid.NewGuid():N}@example.com").ToArray();

    public static Task WaitCampaignStatusAsync(this RunningPipeline pipeline, long campaignId, string status, TimeSpan timeout) =>
        Eventually.UntilAsync(async () => (await pipeline.GetAsync($"/campaigns/{campaignId}")).GetProperty("status").GetString() == status,
            timeout, $"campaign {campaignId} to be {status}");

    public static async Task<Dictionary<long, (string Email, string Status, int Attempts, string? LastError)>> EmailsAsync(this RunningPipeline pipeline, long campaignId)
    {
        await using var connection = new NpgsqlConnection(pipeline.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, email, status, attempts, last_error FROM email_messages WHERE campaign_id = @id", connection)
        {
            Parameters = { new("id", campaignId) },
        };
        var emails = new Dictionary<long, (string, string, int, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            emails[reader.GetInt64(0)] = (reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        }
        return emails;
    }

    private static async Task<long> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }
}
