using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Notifications;
using TaskApi.Tests.Features.Notifications;

namespace TaskApi.Tests.Features.Users;

/// <summary><c>DELETE /users/{userId}</c>: the erasure of a user and their contact data.</summary>
public sealed class DeleteUserTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Delete_ExistingUser_Returns204AndErasesTheRowWithItsContactData()
    {
        var userId = UserTesting.NewUserId();
        await _client.PutUserAsync(userId, new { email = "erase.me@example.com", phone = Clients.ClientTesting.NewPhone(), name = "Erase Me" });

        var response = await _client.DeleteAsync(UserTesting.PathOf(userId));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await _client.GetAsync(UserTesting.PathOf(userId))).ReadProblemAsync(404);
        var contactDataLeft = await api.WithDbAsync(db => db.Users.CountAsync(u => u.UserId == userId || u.Email == "erase.me@example.com" || u.Name == "Erase Me"));
        Assert.Equal(0, contactDataLeft);
    }

    [Fact]
    public async Task Delete_UserWithNotificationDeliveries_NullsTheirAddressesAndKeepsTheDeliveries()
    {
        var (erased, kept) = (UserTesting.NewUserId(), UserTesting.NewUserId());
        await _client.PutUserAsync(erased, new { email = "gone@example.com", phone = Clients.ClientTesting.NewPhone() });
        await _client.PutUserAsync(kept, new { email = "kept@example.com" });
        var notification = await _client.CreateNotificationAsync(NotificationTesting.Body([erased, kept], "email", "sms"));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync(UserTesting.PathOf(erased))).StatusCode);

        var deliveries = await api.DeliveriesAsync(notification.Id());
        Assert.Equal(4, deliveries.Count);
        Assert.Equal((null, null), (deliveries[(erased, DeliveryChannel.Email)].Address, deliveries[(erased, DeliveryChannel.Sms)].Address));
        Assert.Equal(DeliveryStatus.Pending, deliveries[(erased, DeliveryChannel.Email)].Status);
        Assert.Equal("kept@example.com", deliveries[(kept, DeliveryChannel.Email)].Address);
    }

    [Fact]
    public async Task Delete_UnknownOrAlreadyErasedUser_Returns404()
    {
        var userId = UserTesting.NewUserId();
        await _client.PutUserAsync(userId, new { });
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync(UserTesting.PathOf(userId))).StatusCode);

        await (await _client.DeleteAsync(UserTesting.PathOf(userId))).ReadProblemAsync(404);
    }

    [Fact]
    public async Task Delete_ThenPutAgain_CreatesAFreshUser()
    {
        var userId = UserTesting.NewUserId();
        var erased = await _client.PutUserAsync(userId, new { name = "before" });
        await _client.DeleteAsync(UserTesting.PathOf(userId));

        var recreated = await _client.PutUserAsync(userId, new { });

        Assert.Equal(JsonValueKind.Null, recreated.GetProperty("name").ValueKind);
        Assert.True(recreated.GetProperty("createdAt").GetDateTimeOffset() > erased.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Delete_IdWithAControlCharacter_Returns400NamingUserId()
    {
        var response = await _client.DeleteAsync("/users/a%0Ab");

        await response.ReadFieldErrorsAsync("userId");
    }
}
