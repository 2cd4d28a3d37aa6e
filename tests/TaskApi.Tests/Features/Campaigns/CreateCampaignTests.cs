using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using System.Text;
using System.Text.Json;
using TaskApi.Features.Campaigns;
using Tasks.Shared;
using Tasks.Testing;
using TaskApi.Tests.Infrastructure.Access;

namespace TaskApi.Tests.Features.Campaigns;

public sealed class CreateCampaignTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private readonly CampaignScenario _scenario = new(api);

    [Fact]
    public async Task Post_SendAtAbsent_SendsAtOnceToEveryAddressOfTheListsOnce()
    {
        var shared = CampaignScenario.Addresses(1)[0];
        var first = await _scenario.AddListAsync(new { email = shared, name = "First name", fields = new { plan = "gold" } }, "only.first." + shared);
        var second = await _scenario.AddListAsync(new { email = shared.ToUpperInvariant(), name = "Second name" }, "only.second." + shared);
        var template = await _scenario.AddTemplateAsync();

        var id = await _scenario.CreateAsync(CampaignScenario.Body(template, [first, second]));

        var campaign = await _scenario.InStatusAsync(id, "sending");
        Assert.Equal(3, campaign.GetProperty("messages").GetProperty("pending").GetInt32());
        var emails = await _scenario.EmailsAsync(id);
        Assert.Equal(new[] { shared, "only.first." + shared, "only.second." + shared }.Order(), emails.Select(e => e.Email).Order());
        // The address on both lists has the name and fields of the first list naming it.
        var both = emails.Single(e => e.Email == shared);
        Assert.Equal("First name", both.Name);
        Assert.Equal("gold", JsonDocument.Parse(both.Fields!).RootElement.GetProperty("plan").GetString());
        Assert.All(emails, e => Assert.Equal((EmailStatus.Pending, 1, 0), (e.Status, e.Dispatch, e.Attempts)));

        var sends = await _scenario.ReadAsync<EmailSendItem>(KafkaTopics.EmailsSend, emails.Select(e => e.Id.ToString()).ToList());
        var item = sends[both.Id.ToString()];
        Assert.Equal((both.Id, id, 1, shared, "First name"), (item.MessageId, item.CampaignId!.Value, item.Dispatch, item.To.Email, item.To.Name));
        Assert.Equal("gold", item.Fields!.Value.GetProperty("plan").GetString());
        Assert.Null(item.Content);
    }

    [Theory]
    [InlineData(ActorKinds.Operator)]
    [InlineData(ActorKinds.App)]
    public async Task Post_ByCaller_RecordsTheCallerAsCreator(string actorKind)
    {
        var caller = await api.NewCallerAsync(actorKind, Scopes.Campaigns);
        var body = CampaignScenario.Body(await _scenario.AddTemplateAsync(), [await _scenario.AddListAsync()], sendAt: DateTimeOffset.UtcNow.AddHours(2));

        var response = await caller.Http.PostAsJsonAsync("/campaigns", body);

        Assert.Equal(201, (int)response.StatusCode);
        var campaign = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(caller.Id, campaign.GetProperty("createdBy").GetString());
        Assert.Equal(caller.Id, (await _scenario.GetAsync(campaign.GetProperty("id").GetInt64())).GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Post_Sending_PublishesTheTemplateAsItWasWithTheCampaignsSubjectAndSender()
    {
        var list = await _scenario.AddListAsync(CampaignScenario.Addresses(1));
        var template = await _scenario.AddTemplateAsync("Template subject", "<p>{{ message }}</p>", "Text {{ message }}");

        var id = await _scenario.CreateAsync(CampaignScenario.Body(template, [list], subject: "Campaign subject {{ campaign.name }}", message: "Big news"));
        await _scenario.InStatusAsync(id, "sending");
        // A later edit of the template does not change a campaign that is sending.
        var edit = await _scenario.Http.PutAsJsonAsync($"/templates/{template}", new { name = "edited", subject = "Edited", html = "<p>edited</p>" });
        Assert.Equal(200, (int)edit.StatusCode);

        var change = (await _scenario.ReadAsync<CampaignChanged>(KafkaTopics.CampaignsChanges, [id.ToString()]))[id.ToString()];
        Assert.Equal(new CampaignChanged(id, "Spring news", new EmailPerson("news@example.com", "News desk"), "Campaign subject {{ campaign.name }}",
            "<p>{{ message }}</p>", "Text {{ message }}", "Big news", Cancelled: false), change);
    }

    [Fact]
    public async Task Post_UnsubscribedAddress_GetsNoEmail()
    {
        var addresses = CampaignScenario.Addresses(2);
        var list = await _scenario.AddListAsync(addresses);
        await api.WithDbAsync(db => TaskApi.Features.Lists.Unsubscription.UnsubscribeAsync(db, addresses[0], [list], DateTimeOffset.UtcNow, default));

        var id = await _scenario.CreateAsync(CampaignScenario.Body(await _scenario.AddTemplateAsync(), [list]));

        await _scenario.InStatusAsync(id, "sending");
        Assert.Equal([addresses[1]], (await _scenario.EmailsAsync(id)).Select(e => e.Email).ToArray());
    }

    [Fact]
    public async Task Post_ListsWithoutSubscribers_IsSentAtOnceWithNoEmails()
    {
        var id = await _scenario.CreateAsync(CampaignScenario.Body(await _scenario.AddTemplateAsync(), [await _scenario.AddListAsync()]));

        var campaign = await _scenario.InStatusAsync(id, "sent");
        Assert.Equal(0, campaign.GetProperty("messages").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Post_SendAtLater_StaysScheduledAndAsksTheSchedulerForThatTime()
    {
        var sendAt = DateTimeOffset.UtcNow.AddHours(2);
        var id = await _scenario.CreateAsync(CampaignScenario.Body(await _scenario.AddTemplateAsync(),
            [await _scenario.AddListAsync(CampaignScenario.Addresses(1))], sendAt));

        var campaign = await _scenario.GetAsync(id);
        Assert.Equal("scheduled", campaign.GetProperty("status").GetString());
        Assert.Equal(sendAt, campaign.GetProperty("sendAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var scheduleId = CampaignRecords.DueScheduleId(id);
        var request = (await _scenario.ReadAsync<ScheduleRequest>(KafkaTopics.SchedulerRequests, [scheduleId]))[scheduleId];
        Assert.Equal((KafkaTopics.CampaignsDue, id), (request.Topic, MessageJson.Deserialize<CampaignDue>(request.Value).CampaignId));
        Assert.Equal(sendAt, request.DueAt, TimeSpan.FromMilliseconds(1));
        Assert.Empty(await _scenario.EmailsAsync(id));
    }

    [Fact]
    public async Task Due_ReleasedTwice_StartsTheCampaignOnce()
    {
        var id = await _scenario.CreateAsync(CampaignScenario.Body(await _scenario.AddTemplateAsync(),
            [await _scenario.AddListAsync(CampaignScenario.Addresses(2))], DateTimeOffset.UtcNow.AddHours(1)));
        var due = MessageJson.Serialize(new CampaignDue(id));

        await _scenario.ProduceAsync(KafkaTopics.CampaignsDue, MessageKeys.For(id), due);
        await _scenario.ProduceAsync(KafkaTopics.CampaignsDue, MessageKeys.For(id), due);
        // Same key, same partition: once this one is dead-lettered, both before it were handled.
        await _scenario.ProduceAsync(KafkaTopics.CampaignsDue, MessageKeys.For(id), "{}"u8.ToArray());

        var deadLetter = await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, KafkaTopics.CampaignsDueDeadLetter, id.ToString(), CampaignScenario.Timeout);
        Assert.Equal("The value is not a CampaignDue {campaignId}.", deadLetter.Header(DeadLetterHeaders.Reason));
        Assert.Equal("sending", (await _scenario.GetAsync(id)).GetProperty("status").GetString());
        Assert.Equal(2, (await _scenario.EmailsAsync(id)).Count);
    }

    [Fact]
    public async Task Due_UnreadableRecordBeforeGoodOnes_IsDeadLetteredWithTheReasonAndTheGoodOnesStartTheirCampaigns()
    {
        var template = await _scenario.AddTemplateAsync();
        var ids = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add(await _scenario.CreateAsync(CampaignScenario.Body(template,
                [await _scenario.AddListAsync(CampaignScenario.Addresses(1))], DateTimeOffset.UtcNow.AddHours(1))));
        }

        // One key, one partition: the good records wait behind the unreadable one.
        var key = $"bad-{Guid.NewGuid():N}";
        await _scenario.ProduceAsync(KafkaTopics.CampaignsDue, Encoding.UTF8.GetBytes(key), "{\"campaignId\": \"seven\"}"u8.ToArray());
        foreach (var id in ids)
        {
            await _scenario.ProduceAsync(KafkaTopics.CampaignsDue, Encoding.UTF8.GetBytes(key), MessageJson.Serialize(new CampaignDue(id)));
        }

        foreach (var id in ids)
        {
            await _scenario.InStatusAsync(id, "sending");
        }
        var deadLetter = await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, KafkaTopics.CampaignsDueDeadLetter, key, CampaignScenario.Timeout);
        Assert.Equal("The value is not a CampaignDue {campaignId}.", deadLetter.Header(DeadLetterHeaders.Reason));
    }

    /// <summary>A valid body with <paramref name="fields"/> (JSON members) after its own: the last of a repeated name counts.</summary>
    private static string With(string fields) => $$"""{"name":"n","templateId":1,"listIds":[1],"from":{"email":"a@example.com"},{{fields}}}""";

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"templateId":1,"listIds":[1],"from":{"email":"a@example.com"}}""", "name" },
        { With($"\"name\":\"{new string('n', 201)}\""), "name" },
        { """{"name":"n","listIds":[1],"from":{"email":"a@example.com"}}""", "templateId" },
        { With("\"templateId\":\"1\""), "templateId" },
        { With("\"listIds\":[]"), "listIds" },
        { With($"\"listIds\":[{string.Join(",", Enumerable.Range(1, 51))}]"), "listIds" },
        { With("\"listIds\":[0]"), "listIds[0]" },
        { """{"name":"n","templateId":1,"listIds":[1]}""", "from" },
        { With("\"from\":{\"email\":\"not an address\"}"), "from.email" },
        { With("\"from\":{\"email\":\"A <a@example.com>\"}"), "from.email" },
        { With($"\"from\":{{\"email\":\"a@example.com\",\"name\":\"{new string('n', 201)}\"}}"), "from.name" },
        { With($"\"message\":\"{new string('m', 10_001)}\""), "message" },
        { With("\"subject\":\"a\\r\\nBcc: x@example.com\""), "subject" },
        { With("\"sendAt\":\"2030-01-01T10:00:00\""), "sendAt" },
        { With("\"sendAt\":\"2099-01-01T10:00:00Z\""), "sendAt" },
        { With("\"sendAt\":\"0001-01-01T00:00:00Z\""), "sendAt" },
        { With("\"sendAt\":\"9999-12-31T23:59:59Z\""), "sendAt" },
        { With("\"subject\":\"Hi {{ recipent.name }}\""), "subject" },
        { With("\"subject\":\"Hi {% if recipient.name %}\""), "subject" },
        { With("\"subject\":\"Hi {{ recipient.name | raw }}\""), "subject" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Post_InvalidField_Returns400NamingIt(string body, string field)
    {
        var response = await _scenario.Http.PostAsync("/campaigns", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.NotEmpty(await response.ReadFieldErrorsAsync(field));
    }

    [Fact]
    public async Task Post_UnknownTemplateAndLists_Returns400NamingEach()
    {
        var list = await _scenario.AddListAsync();

        var response = await _scenario.Http.PostAsJsonAsync("/campaigns", CampaignScenario.Body(long.MaxValue, [list, long.MaxValue - 1]));

        var problem = await response.ReadProblemAsync(400);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("templateId", out _), errors.GetRawText());
        Assert.Equal([$"No template has id {long.MaxValue}."], errors.GetProperty("templateId").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([$"No list has id {long.MaxValue - 1}."], errors.GetProperty("listIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, await api.WithDbAsync(db => db.Campaigns.CountAsync(c => c.TemplateId == long.MaxValue)));
    }

    public void Dispose() => _scenario.Dispose();
}
