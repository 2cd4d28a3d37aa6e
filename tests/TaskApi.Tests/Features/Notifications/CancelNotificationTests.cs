using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Features.Notifications;
using TaskApi.Tests.Features.Clients;
using TaskApi.Tests.Features.Users;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Notifications;

/// <summary><c>DELETE /notifications/{id}</c>: cancelling a notification and its pending deliveries.</summary>
public sealed class CancelNotificationTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Cancel_SendingNotification_CancelsItsPendingDeliveriesAndKeepsTheSkipped()
    {
        var known = UserTesting.NewUserId();
        await _client.PutUserAsync(known, new { email = "known@example.com", phone = ClientTesting.NewPhone() });
        var created = await _client.CreateNotificationAsync(NotificationTesting.Body([known, UserTesting.NewUserId()], "email", "sms"));

        var response = await _client.DeleteAsync($"/notifications/{created.Id()}");

        var cancelled = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal((0, 1, 1), (cancelled.Count("email", "pending"), cancelled.Count("email", "cancelled"), cancelled.Count("email", "skipped")));
        Assert.Equal((0, 1, 1), (cancelled.Count("sms", "pending"), cancelled.Count("sms", "cancelled"), cancelled.Count("sms", "skipped")));
        var deliveries = await api.DeliveriesAsync(created.Id());
        Assert.Equal(DeliveryStatus.Cancelled, deliveries[(known, DeliveryChannel.Email)].Status);
        Assert.Equal(2, deliveries.Values.Count(d => d.Status == DeliveryStatus.Skipped));
    }

    [Fact]
    public async Task Cancel_Twice_AnswersTheCancelledNotificationUnchanged()
    {
        var userId = UserTesting.NewUserId();
        await _client.PutUserAsync(userId, new { email = "twice@example.com" });
        var created = await _client.CreateNotificationAsync(NotificationTesting.Body([userId], "email"));
        var first = await (await _client.DeleteAsync($"/notifications/{created.Id()}")).Content.ReadFromJsonAsync<JsonElement>();

        var again = await _client.DeleteAsync($"/notifications/{created.Id()}");

        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(("cancelled", 1), (second.GetProperty("status").GetString(), second.Count("email", "cancelled")));
        Assert.Equal(first.GetProperty("updatedAt").GetDateTimeOffset(), second.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Cancel_DoneNotification_Returns409()
    {
        var created = await _client.CreateNotificationAsync(NotificationTesting.Body([UserTesting.NewUserId()]));
        Assert.Equal("done", created.GetProperty("status").GetString());

        var response = await _client.DeleteAsync($"/notifications/{created.Id()}");

        await response.ReadProblemAsync(409);
    }

    [Fact]
    public async Task Cancel_UnknownId_Returns404()
    {
        await (await _client.DeleteAsync("/notifications/999999999")).ReadProblemAsync(404);
    }

    [Fact]
    public async Task Cancel_AnotherAppsNotification_Returns404AndLeavesItSending()
    {
        var owner = await api.NewAppAsync(Scopes.Notifications);
        var other = await api.NewAppAsync(Scopes.Notifications);
        var userId = UserTesting.NewUserId();
        await _client.PutUserAsync(userId, new { email = "owned@example.com" });
        var created = await owner.Http.CreateNotificationAsync(NotificationTesting.Body([userId], "email"));

        var response = await other.Http.DeleteAsync($"/notifications/{created.Id()}");

        await response.ReadProblemAsync(404);
        var stored = await owner.Http.GetFromJsonAsync<JsonElement>($"/notifications/{created.Id()}");
        Assert.Equal(("sending", 1), (stored.GetProperty("status").GetString(), stored.Count("email", "pending")));
    }
}
