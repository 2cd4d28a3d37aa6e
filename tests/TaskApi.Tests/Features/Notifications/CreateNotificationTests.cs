using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.Notifications;
using TaskApi.Tests.Features.Clients;
using TaskApi.Tests.Features.Templates;
using TaskApi.Tests.Features.Users;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;
using Tasks.Testing;
using Xunit.Abstractions;

namespace TaskApi.Tests.Features.Notifications;

/// <summary><c>POST /notifications</c>: its rules, the deliveries it makes and skips, idempotency, templates and size.</summary>
public sealed class CreateNotificationTests(TaskApiFactory api, ITestOutputHelper output) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    public static TheoryData<string, Action<JsonObject>> InvalidBodies => new()
    {
        { "userIds", body => body.Remove("userIds") },
        { "userIds", body => body["userIds"] = new JsonArray() },
        { "userIds", body => body["userIds"] = new JsonArray(Enumerable.Range(0, 10_001).Select(i => (JsonNode?)JsonValue.Create($"u{i}")).ToArray()) },
        { "userIds[1]", body => body["userIds"] = new JsonArray("a", "") },
        { "userIds[0]", body => body["userIds"] = new JsonArray("a/b") },
        { "userIds[0]", body => body["userIds"] = new JsonArray(new string('x', 129)) },
        { "userIds[0]", body => body["userIds"] = new JsonArray((JsonNode?)null) },
        { "channels", body => body.Remove("channels") },
        { "channels", body => body["channels"] = new JsonArray() },
        { "channels", body => body["channels"] = new JsonArray("email", "sms", "inApp", "email") },
        { "channels[0]", body => body["channels"] = new JsonArray("fax") },
        { "channels[1]", body => body["channels"] = new JsonArray("email", "in_app") },
        { "channels[2]", body => body["channels"] = new JsonArray("sms", "email", "sms") },
        { "title", body => body.Remove("title") },
        { "title", body => body["title"] = new string('t', 201) },
        { "title", body => body["title"] = "two\nlines" },
        { "title", body => body["templateId"] = 1 },
        { "html", body => { body["templateId"] = 1; body.Remove("title"); body["html"] = "<p>x</p>"; } },
        { "templateId", body => { body["templateId"] = 0; body.Remove("title"); } },
        { "text", body => body.Remove("text") },
        { "text", body => body["text"] = "" },
        { "text", body => body["text"] = new string('t', 10_001) },
        { "html", body => body["html"] = new string('h', 512 * 1024 + 1) },
        { "data", body => body["data"] = new JsonArray(1, 2) },
        { "data", body => body["data"] = "text" },
        { "data", body => body["data"] = new JsonObject { ["big"] = new string('d', 64 * 1024) } },
        { "sendAt", body => body["sendAt"] = "3000-01-01T00:00:00Z" },
        { "sendAt", body => body["sendAt"] = "2026-12-07T10:00:00" },
        { "express", body => body["express"] = "yes" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_InvalidField_Returns400NamingTheField(string field, Action<JsonObject> spoil)
    {
        var body = NotificationTesting.Body([UserTesting.NewUserId()]);
        spoil(body);
        var before = await api.WithDbAsync(db => db.Notifications.CountAsync());

        var response = await _client.PostNotificationAsync(body);

        await response.ReadFieldErrorsAsync(field);
        Assert.Equal(before, await api.WithDbAsync(db => db.Notifications.CountAsync()));
    }

    [Fact]
    public async Task Create_BodyOverRequestLimit_Returns413()
    {
        var body = NotificationTesting.Body(["a"]);
        body["text"] = new string('t', 10 * 1024 * 1024);

        // As curl sends a large body: the API refuses it on its Content-Length alone, before the client sends it.
        var request = new HttpRequestMessage(HttpMethod.Post, "/notifications") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;

        var response = await _client.SendAsync(request);

        await response.ReadProblemAsync(413);
    }

    [Fact]
    public async Task Create_RepeatedUserId_Returns400NamingTheRepeatAndItsFirstIndex()
    {
        var response = await _client.PostNotificationAsync(NotificationTesting.Body(["a", "b", "c", "b"]));

        var messages = await response.ReadFieldErrorsAsync("userIds[3]");
        Assert.Contains("userIds[1]", Assert.Single(messages));
    }

    [Fact]
    public async Task Create_BadIdempotencyKey_Returns400NamingTheHeader()
    {
        var response = await _client.PostNotificationAsync(NotificationTesting.Body(["a"]), idempotencyKey: "has space");

        await response.ReadFieldErrorsAsync("Idempotency-Key");
    }

    [Fact]
    public async Task Create_UsersWithPreferencesAndMissingAddresses_SkipsEachWithItsReason()
    {
        var (full, noEmailNoSms, quiet, unknown) = (UserTesting.NewUserId(), UserTesting.NewUserId(), UserTesting.NewUserId(), UserTesting.NewUserId());
        var phone = ClientTesting.NewPhone();
        await _client.PutUserAsync(full, new { email = "full@example.com", phone });
        await _client.PutUserAsync(noEmailNoSms, new { phone = ClientTesting.NewPhone(), preferences = new { sms = false } });
        // Opted out of a channel it has no address for: the preference is the reason given.
        await _client.PutUserAsync(quiet, new { email = "quiet@example.com", preferences = new { sms = false, inApp = false } });

        var created = await _client.CreateNotificationAsync(NotificationTesting.Body([full, noEmailNoSms, quiet, unknown]));

        Assert.Equal("sending", created.GetProperty("status").GetString());
        Assert.Equal((2, 2), (created.Count("email", "pending"), created.Count("email", "skipped")));
        Assert.Equal((1, 3), (created.Count("sms", "pending"), created.Count("sms", "skipped")));
        // In-app deliveries go into the feed at creation.
        Assert.Equal((2, 2), (created.Count("inApp", "sent"), created.Count("inApp", "skipped")));
        var deliveries = await api.DeliveriesAsync(created.Id());
        Assert.Equal(12, deliveries.Count);
        string Outcome(string userId, DeliveryChannel channel) => Describe(deliveries[(userId, channel)]);
        Assert.Equal("Pending/-/full@example.com", Outcome(full, DeliveryChannel.Email));
        Assert.Equal($"Pending/-/{phone}", Outcome(full, DeliveryChannel.Sms));
        Assert.Equal("Sent/-/-", Outcome(full, DeliveryChannel.InApp));
        Assert.Equal("Skipped/NoAddress/-", Outcome(noEmailNoSms, DeliveryChannel.Email));
        Assert.Equal("Skipped/OptedOut/-", Outcome(noEmailNoSms, DeliveryChannel.Sms));
        Assert.Equal("Sent/-/-", Outcome(noEmailNoSms, DeliveryChannel.InApp));
        Assert.Equal("Pending/-/quiet@example.com", Outcome(quiet, DeliveryChannel.Email));
        Assert.Equal("Skipped/OptedOut/-", Outcome(quiet, DeliveryChannel.Sms));
        Assert.Equal("Skipped/OptedOut/-", Outcome(quiet, DeliveryChannel.InApp));
        Assert.All(deliveries.Where(d => d.Key.UserId == unknown), d => Assert.Equal("Skipped/NoAddress/-", Describe(d.Value)));
    }

    [Fact]
    public async Task Create_OneChannelAllSkipped_IsDoneWithTheOtherChannelsNull()
    {
        var created = await _client.CreateNotificationAsync(NotificationTesting.Body([UserTesting.NewUserId()], "sms"));

        Assert.Equal("done", created.GetProperty("status").GetString());
        Assert.Equal(1, created.Count("sms", "skipped"));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("counts").GetProperty("email").ValueKind);
        Assert.Equal(["sms"], created.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("done", (await _client.GetFromJsonAsync<JsonElement>($"/notifications/{created.Id()}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Create_SendAtAheadWithDataAndExpress_IsScheduledAndKeepsThem()
    {
        var userId = UserTesting.NewUserId();
        await _client.PutUserAsync(userId, new { });
        var body = NotificationTesting.Body([userId], "inApp");
        var sendAt = DateTimeOffset.UtcNow.AddHours(1);
        body["sendAt"] = sendAt.ToString("O");
        body["express"] = true;
        body["data"] = new JsonObject { ["orderId"] = 42, ["note"] = "\u00e9" };
        body["html"] = "<p>Order 42</p>";

        var created = await _client.CreateNotificationAsync(body);

        var stored = await _client.GetFromJsonAsync<JsonElement>($"/notifications/{created.Id()}");
        Assert.Equal("scheduled", stored.GetProperty("status").GetString());
        Assert.True(stored.GetProperty("express").GetBoolean());
        Assert.Equal(sendAt.ToUnixTimeMilliseconds(), stored.GetProperty("sendAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(42, stored.GetProperty("data").GetProperty("orderId").GetInt32());
        Assert.Equal("<p>Order 42</p>", stored.GetProperty("html").GetString());
        Assert.Equal(1, stored.Count("inApp", "pending"));
    }

    [Fact]
    public async Task Create_WithTemplate_TakesItsSubjectAndHtml()
    {
        var template = await _client.CreateTemplateAsync(TemplateTesting.ValidTemplate(subject: "Shipped {{ recipient.name }}", html: "<p>On its way</p>"));
        var body = NotificationTesting.Body([UserTesting.NewUserId()], "email");
        body.Remove("title");
        body["templateId"] = TemplateTesting.IdOf(template);

        var created = await _client.CreateNotificationAsync(body);

        Assert.Equal(("Shipped {{ recipient.name }}", "<p>On its way</p>"), (created.GetProperty("title").GetString(), created.GetProperty("html").GetString()));
        Assert.Equal(TemplateTesting.IdOf(template), created.GetProperty("templateId").GetInt64());
    }

    [Fact]
    public async Task Create_UnknownTemplate_Returns400NamingTemplateId()
    {
        var body = NotificationTesting.Body([UserTesting.NewUserId()]);
        body.Remove("title");
        body["templateId"] = long.MaxValue;

        var response = await _client.PostNotificationAsync(body);

        await response.ReadFieldErrorsAsync("templateId");
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyTwice_AnswersTheFirstWith200AndCreatesNothing()
    {
        var caller = await api.NewAppAsync(Scopes.Notifications);
        var other = await api.NewAppAsync(Scopes.Notifications);
        var body = NotificationTesting.Body([UserTesting.NewUserId(), UserTesting.NewUserId()]);

        var first = await caller.Http.PostNotificationAsync(body, "order-42");
        var again = await caller.Http.PostNotificationAsync(NotificationTesting.Body(["someone-else"]), "order-42");
        var othersOwn = await other.Http.PostNotificationAsync(body, "order-42");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created), (first.StatusCode, again.StatusCode, othersOwn.StatusCode));
        var (firstId, againAnswer) = ((await first.Content.ReadFromJsonAsync<JsonElement>()).Id(), await again.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(firstId, againAnswer.Id());
        Assert.Equal(2, againAnswer.Count("email", "skipped"));
        Assert.NotEqual(firstId, (await othersOwn.Content.ReadFromJsonAsync<JsonElement>()).Id());
        Assert.Equal(6, (await api.DeliveriesAsync(firstId)).Count);
        Assert.Equal(1, await api.WithDbAsync(db => db.Notifications.CountAsync(n => n.CreatedBy == caller.Id)));
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyConcurrently_CreatesOneNotification()
    {
        var caller = await api.NewAppAsync(Scopes.Notifications);
        var body = NotificationTesting.Body([UserTesting.NewUserId()]);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => caller.Http.PostNotificationAsync(body, "once")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).Id()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await api.WithDbAsync(db => db.Notifications.CountAsync(n => n.CreatedBy == caller.Id)));
        Assert.Equal(3, (await api.DeliveriesAsync(ids[0])).Count);
    }

    [Fact]
    public async Task Create_10000UsersOn3Channels_Writes30000DeliveriesAndCountsThem()
    {
        var users = Enumerable.Range(0, 10_000).Select(_ => new { userId = UserTesting.NewUserId("bulk"), email = "bulk@example.com", phone = ClientTesting.NewPhone("901") }).ToList();
        var import = await _client.PostAsJsonAsync("/users/import", users);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        using var created = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), NotificationMetrics.DeliveriesCreatedInstrument);

        var stopwatch = Stopwatch.StartNew();
        var notification = await _client.CreateNotificationAsync(NotificationTesting.Body(users.Select(u => u.userId)));
        output.WriteLine($"10,000 users × 3 channels created in {stopwatch.ElapsedMilliseconds} ms");

        // Dispatched in the same transaction: email and SMS pending (handed over or spread), in-app in the feed.
        Assert.Equal((10_000, 10_000, 10_000), (notification.Count("email", "pending"), notification.Count("sms", "pending"), notification.Count("inApp", "sent")));
        Assert.Equal(30_000, created.Total);
        var stored = await api.WithDbAsync(db => db.NotificationDeliveries.Where(d => d.NotificationId == notification.Id())
            .GroupBy(d => d.Channel).Select(g => new { Channel = g.Key, Dispatched = g.Count(d => d.Status != DeliveryStatus.Skipped), Users = g.Select(d => d.UserId).Distinct().Count() })
            .ToListAsync());
        Assert.Equal(3, stored.Count);
        Assert.All(stored, channel => Assert.Equal((10_000, 10_000), (channel.Dispatched, channel.Users)));
    }

    private static string Describe(NotificationDelivery delivery) =>
        $"{delivery.Status}/{delivery.Reason?.ToString() ?? "-"}/{delivery.Address ?? "-"}";
}
