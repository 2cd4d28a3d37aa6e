using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Notifications;

namespace TaskApi.Tests.Features.Notifications;

/// <summary>What the notification tests share: a valid body, posting it, reading counts and the stored deliveries.</summary>
public static class NotificationTesting
{
    public static readonly string[] AllChannels = ["email", "sms", "inApp"];

    /// <summary>A valid body of POST /notifications to <paramref name="userIds"/> on <paramref name="channels"/> (all three by default).</summary>
    public static JsonObject Body(IEnumerable<string> userIds, params string[] channels) => new()
    {
        ["userIds"] = new JsonArray(userIds.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
        ["channels"] = new JsonArray((channels.Length == 0 ? AllChannels : channels).Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        ["title"] = "Your order shipped",
        ["text"] = "Order 42 is on its way.",
    };

    public static async Task<HttpResponseMessage> PostNotificationAsync(this HttpClient http, JsonObject body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notifications") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await http.SendAsync(request);
    }

    /// <summary>Posts a notification, asserting 201, and returns it as the API answered.</summary>
    public static async Task<JsonElement> CreateNotificationAsync(this HttpClient http, JsonObject body)
    {
        var response = await http.PostNotificationAsync(body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /notifications answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static long Id(this JsonElement notification) => notification.GetProperty("id").GetInt64();

    /// <summary>The count of a channel and status in a notification's answer ("email", "pending").</summary>
    public static int Count(this JsonElement notification, string channel, string status) =>
        notification.GetProperty("counts").GetProperty(channel).GetProperty(status).GetInt32();

    /// <summary>The stored deliveries of a notification, by user and channel.</summary>
    public static Task<Dictionary<(string UserId, DeliveryChannel Channel), NotificationDelivery>> DeliveriesAsync(this TaskApiFactory api, long notificationId) =>
        api.WithDbAsync(db => db.NotificationDeliveries.AsNoTracking().Where(d => d.NotificationId == notificationId)
            .ToDictionaryAsync(d => (d.UserId, d.Channel)));
}
