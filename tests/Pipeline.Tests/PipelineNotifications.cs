using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using StackExchange.Redis;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>A notification's delivery as the database holds it.</summary>
public sealed record PipelineDelivery(long Id, long NotificationId, string Channel, string Status, string? Address);

/// <summary>A user as imported: an email and a mobile phone.</summary>
public sealed record PipelineUser(string UserId, string Email, string Phone);

/// <summary>Users and notifications through a running pipeline's API, and their deliveries as the database holds them.</summary>
public static class PipelineNotifications
{
    /// <summary>Imports <paramref name="count"/> users with an email and a mobile phone each through the API; answers their ids.</summary>
    public static async Task<PipelineUser[]> ImportUsersAsync(this RunningPipeline pipeline, int count, long firstPhone)
    {
        var users = Enumerable.Range(0, count).Select(i => (firstPhone + i).ToString(CultureInfo.InvariantCulture))
            .Select(phone => new PipelineUser($"user-{phone}", $"user{phone}@example.com", phone)).ToArray();
        using var client = pipeline.CreateApiClient();
        var response = await client.PostAsJsonAsync("/users/import", users.Select(user => new { userId = user.UserId, email = user.Email, phone = user.Phone }));
        Assert.Equal(200, (int)response.StatusCode);
        return users;
    }

    /// <summary>Creates a notification through the API with <paramref name="client"/>, which must answer 201; answers its id.</summary>
    public static async Task<long> CreateNotificationAsync(HttpClient client, IEnumerable<PipelineUser> users, params string[] channels)
    {
        var response = await client.PostAsJsonAsync("/notifications", new { userIds = users.Select(user => user.UserId), channels, title = "Pipeline notice", text = "Something happened" });
        Assert.True(201 == (int)response.StatusCode, $"POST /notifications answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Waits until every one of <paramref name="notificationIds"/> is done, and answers their deliveries.</summary>
    public static async Task<List<PipelineDelivery>> WaitDoneAsync(this RunningPipeline pipeline, IReadOnlyCollection<long> notificationIds, TimeSpan timeout)
    {
        long notDone = -1;
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                await using var connection = await OpenAsync(pipeline);
                await using var command = new NpgsqlCommand("SELECT count(*) FROM notifications WHERE id = ANY(@ids) AND status <> 'done'", connection)
                {
                    Parameters = { new("ids", notificationIds.ToArray()) },
                };
                notDone = (long)(await command.ExecuteScalarAsync())!;
                return notDone == 0;
            }, timeout, $"{notificationIds.Count} notifications to be done");
        }
        catch (TimeoutException e)
        {
            var statuses = (await pipeline.DeliveriesAsync(notificationIds)).CountBy(d => (d.Channel, d.Status));
            throw new TimeoutException($"{e.Message} {notDone} are not; deliveries: {string.Join(", ", statuses)}", e);
        }
        return await pipeline.DeliveriesAsync(notificationIds);
    }

    public static async Task<List<PipelineDelivery>> DeliveriesAsync(this RunningPipeline pipeline, IReadOnlyCollection<long> notificationIds)
    {
        await using var connection = await OpenAsync(pipeline);
        await using var command = new NpgsqlCommand(
            "SELECT id, notification_id, channel, status, address FROM notification_deliveries WHERE notification_id = ANY(@ids)", connection)
        {
            Parameters = { new("ids", notificationIds.ToArray()) },
        };
        var deliveries = new List<PipelineDelivery>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            deliveries.Add(new PipelineDelivery(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return deliveries;
    }

    /// <summary>
    /// The ids the next notification's <paramref name="count"/> deliveries get: they come from one sequence in one statement,
    /// so a test can program the SMS stand-in for them before they exist.
    /// </summary>
    public static async Task<long[]> DeliveryIdsOfNextNotificationAsync(this RunningPipeline pipeline, int count)
    {
        await using var connection = await OpenAsync(pipeline);
        await using var command = new NpgsqlCommand(
            "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('notification_deliveries', 'id')), 0)", connection);
        var last = (long)(await command.ExecuteScalarAsync())!;
        return Enumerable.Range(1, count).Select(i => last + i).ToArray();
    }

    /// <summary>Those of <paramref name="deliveryIds"/> with a sent marker in the workers' Redis (<c>notification:sent:{deliveryId}</c>).</summary>
    public static async Task<HashSet<long>> SentMarkedAsync(this RunningPipeline pipeline, IEnumerable<long> deliveryIds)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(pipeline.Redis!.ConnectionString);
        var database = redis.GetDatabase();
        var marked = await Task.WhenAll(deliveryIds.Select(async id => (id, marked: await database.KeyExistsAsync($"notification:sent:{id}"))));
        return marked.Where(m => m.marked).Select(m => m.id).ToHashSet();
    }

    /// <summary>The delivery id in a notification email's Message-ID (<c>n.{notificationId}.{deliveryId}@domain</c>); null for another email.</summary>
    public static long? DeliveryIdOf(ReceivedEmail email)
    {
        var parts = (email.Message.MessageId ?? "").Split('@')[0].Split('.');
        return parts is ["n", _, var deliveryId] && long.TryParse(deliveryId, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private static async Task<NpgsqlConnection> OpenAsync(RunningPipeline pipeline)
    {
        var connection = new NpgsqlConnection(pipeline.Database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
