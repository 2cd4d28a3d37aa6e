using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>Clients and mailings through a running pipeline's API, and its messages as the database holds them.</summary>
public static class PipelineMailings
{
    /// <summary>
    /// Imports clients with consecutive phones through the API, tagged <paramref name="tag"/> when given (so that a mailing
    /// filtered by it reaches these clients only, when tests share a pipeline).
    /// </summary>
    public static async Task<List<long>> ImportClientsAsync(this RunningPipeline pipeline, int count, long firstPhone, string? tag = null)
    {
        var phones = Enumerable.Range(0, count).Select(i => firstPhone + i).ToList();
        using var client = pipeline.CreateApiClient();
        var response = await client.PostAsJsonAsync("/clients/import",
            phones.Select(phone => new { phone = phone.ToString(CultureInfo.InvariantCulture), operatorCode = "900", timezone = "Europe/Moscow", tag }));
        Assert.Equal(200, (int)response.StatusCode);
        return phones;
    }

    /// <summary>The ids the next mailing's messages get (they come from one sequence, in client id order), to program the stand-in.</summary>
    public static async Task<long[]> MessageIdsOfNextMailingAsync(this RunningPipeline pipeline, int count)
    {
        await using var connection = new NpgsqlConnection(pipeline.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(max(id), 0) FROM sms_messages", connection);
        var last = (long)(await command.ExecuteScalarAsync())!;
        return Enumerable.Range(1, count).Select(i => last + i).ToArray();
    }

    public static async Task<long> CreateMailingAsync(this RunningPipeline pipeline, object body)
    {
        using var client = pipeline.CreateApiClient();
        var response = await client.PostAsJsonAsync("/mailings", body);
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> GetAsync(this RunningPipeline pipeline, string path)
    {
        using var client = pipeline.CreateApiClient();
        return await client.GetFromJsonAsync<JsonElement>(path);
    }

    public static Task WaitFinishedAsync(this RunningPipeline pipeline, long mailingId, TimeSpan timeout) =>
        Eventually.UntilAsync(async () => (await pipeline.GetAsync($"/mailings/{mailingId}")).GetProperty("status").GetString() == "finished",
            timeout, $"mailing {mailingId} to finish");

    public static async Task<Dictionary<long, (string Status, int Attempts, string? LastError)>> MessagesAsync(this RunningPipeline pipeline, long mailingId)
    {
        await using var connection = new NpgsqlConnection(pipeline.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, status, attempts, last_error FROM sms_messages WHERE mailing_id = @id", connection)
        {
            Parameters = { new("id", mailingId) },
        };
        var messages = new Dictionary<long, (string, int, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            messages[reader.GetInt64(0)] = (reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }
        return messages;
    }

}
