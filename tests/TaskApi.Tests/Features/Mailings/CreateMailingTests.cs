using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tasks.Shared;
using TaskApi.Tests.Infrastructure.Access;

namespace TaskApi.Tests.Features.Mailings;

public sealed class CreateMailingTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private readonly MailingScenario _scenario = new(api);

    [Fact]
    public async Task Post_ValidMailingStartingLater_IsScheduledWithLocationAndEverythingItWasGiven()
    {
        var startAt = DateTimeOffset.UtcNow.AddHours(2);
        var response = await _scenario.Http.PostAsJsonAsync("/mailings", new
        {
            text = "Sale starts now",
            startAt = startAt.ToOffset(TimeSpan.FromHours(3)).ToString("O"),
            endAt = startAt.AddHours(1).ToString("O"),
            filter = new { operatorCodes = new[] { "900", "916" }, tags = new[] { "vip" } },
            sendWindow = new { from = "09:00", to = "21:00" },
        });

        Assert.Equal(201, (int)response.StatusCode);
        var mailing = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = mailing.GetProperty("id").GetInt64();
        Assert.Equal($"/mailings/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("scheduled", mailing.GetProperty("status").GetString());
        Assert.Equal("Sale starts now", mailing.GetProperty("text").GetString());
        Assert.Equal(startAt.ToUniversalTime(), mailing.GetProperty("startAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(["900", "916"], mailing.GetProperty("filter").GetProperty("operatorCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("21:00", mailing.GetProperty("sendWindow").GetProperty("to").GetString());
        Assert.Equal(0, mailing.GetProperty("messages").GetProperty("total").GetInt32());
        Assert.Equal(mailing.GetRawText(), (await _scenario.GetAsync(id)).GetRawText());
    }

    [Theory]
    [InlineData(ActorKinds.Operator)]
    [InlineData(ActorKinds.App)]
    public async Task Post_ByCaller_RecordsTheCallerAsCreator(string actorKind)
    {
        var caller = await api.NewCallerAsync(actorKind, Scopes.Mailings);
        var startAt = DateTimeOffset.UtcNow.AddHours(2);

        var response = await caller.Http.PostAsJsonAsync("/mailings", _scenario.Body(startAt: startAt, endAt: startAt.AddHours(1)));

        Assert.Equal(201, (int)response.StatusCode);
        var mailing = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(caller.Id, mailing.GetProperty("createdBy").GetString());
        Assert.Equal(caller.Id, (await _scenario.GetAsync(mailing.GetProperty("id").GetInt64())).GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Post_StartingLater_AsksTheSchedulerForItsStartAndEnd()
    {
        var startAt = DateTimeOffset.UtcNow.AddHours(2);
        var id = (await _scenario.CreateAsync(_scenario.Body(startAt: startAt, endAt: startAt.AddHours(1)))).GetProperty("id").GetInt64();

        var start = $"mailing-{id}-start-v1";
        var end = $"mailing-{id}-end-v1";
        var requests = await _scenario.ReadAsync<ScheduleRequest>(KafkaTopics.SchedulerRequests, [start, end]);

        Assert.Equal(KafkaTopics.MailingsDue, requests[start].Topic);
        Assert.Equal(startAt, requests[start].DueAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(new MailingDue(id, MailingMoment.Start, 1), MessageJson.Deserialize<MailingDue>(requests[start].Value));
        Assert.Equal(startAt.AddHours(1), requests[end].DueAt, TimeSpan.FromMilliseconds(1));
        var changed = await _scenario.ReadAsync<MailingChanged>(KafkaTopics.MailingsChanges, [id.ToString()]);
        Assert.False(changed[id.ToString()].Cancelled);
    }

    [Fact]
    public async Task Post_WithoutFilterAndWindow_MatchesEveryoneAtAnyTime()
    {
        var response = await _scenario.Http.PostAsJsonAsync("/mailings", new
        {
            text = "Hi",
            startAt = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
            endAt = DateTimeOffset.UtcNow.AddDays(2).ToString("O"),
        });

        var mailing = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Empty(mailing.GetProperty("filter").GetProperty("tags").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, mailing.GetProperty("sendWindow").ValueKind);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z"}""", "text" },
        { """{"text":"","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z"}""", "text" },
        { $$"""{"text":"{{new string('x', 1001)}}","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z"}""", "text" },
        { """{"text":"a\u0000b","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z"}""", "text" },
        { """{"text":5,"startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z"}""", "text" },
        { """{"text":"hi","endAt":"2030-01-02T00:00:00Z"}""", "startAt" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00","endAt":"2030-01-02T00:00:00Z"}""", "startAt" },
        { """{"text":"hi","startAt":"tomorrow","endAt":"2030-01-02T00:00:00Z"}""", "startAt" },
        { """{"text":"hi","startAt":"2099-01-01T00:00:00Z","endAt":"2099-01-02T00:00:00Z"}""", "startAt" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z"}""", "endAt" },
        { """{"text":"hi","startAt":"2030-01-02T00:00:00Z","endAt":"2030-01-01T00:00:00Z"}""", "endAt" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-01T00:00:00Z"}""", "endAt" },
        { """{"text":"hi","startAt":"2020-01-01T00:00:00Z","endAt":"2020-01-02T00:00:00Z"}""", "endAt" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","filter":{"operatorCodes":["90"]}}""", "filter.operatorCodes[0]" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","filter":{"operatorCodes":["9000"]}}""", "filter.operatorCodes[0]" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","filter":{"operatorCodes":["900","abc"]}}""", "filter.operatorCodes[1]" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","filter":{"operatorCodes":"900"}}""", "filter.operatorCodes" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","filter":{"operatorCodes":["900\n"]}}""", "filter.operatorCodes[0]" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z\n","endAt":"2030-01-02T00:00:00Z"}""", "startAt" },
        { """{"text":"hi","startAt":"0001-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z"}""", "startAt" },
        { """{"text":"hi","startAt":"0001-01-01T00:00:00+01:00","endAt":"2030-01-02T00:00:00Z"}""", "startAt" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"9999-12-31T23:59:59Z"}""", "endAt" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"9999-12-31T23:59:59-01:00"}""", "endAt" },
        { $$$"""{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","filter":{"tags":["{{{new string('t', 65)}}}"]}}""", "filter.tags[0]" },
        { $$$"""{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","filter":{"tags":[{{{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"t{i}\""))}}}]}}""", "filter.tags" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","sendWindow":{"from":"9:00","to":"21:00"}}""", "sendWindow.from" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","sendWindow":{"from":"09:00","to":"24:00"}}""", "sendWindow.to" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","sendWindow":{"from":"09:00"}}""", "sendWindow.to" },
        { """{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","sendWindow":{"from":"09:00","to":"09:00"}}""", "sendWindow.to" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Post_InvalidField_Returns400NamingIt(string body, string field)
    {
        var response = await _scenario.Http.PostAsync("/mailings", new StringContent(body, Encoding.UTF8, "application/json"));

        var errors = await response.ReadFieldErrorsAsync(field);
        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task Post_BodyOverTheLimit_Returns413()
    {
        var body = $$$"""{"text":"hi","startAt":"2030-01-01T00:00:00Z","endAt":"2030-01-02T00:00:00Z","filter":{"tags":["{{{new string('t', 70_000)}}}"]}}""";

        var response = await _scenario.Http.PostAsync("/mailings", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ReadProblemAsync(413);
    }

    [Fact]
    public async Task Post_NotJson_Returns415()
    {
        var response = await _scenario.Http.PostAsync("/mailings", new StringContent("text=hi", Encoding.UTF8, "text/plain"));

        await response.ReadProblemAsync(415);
    }

    [Theory]
    [InlineData("/mailings/abc")]
    [InlineData("/mailings/99999999999999999999")]
    public async Task Get_IdNotANumber_Returns400(string path)
    {
        var response = await _scenario.Http.GetAsync(path);

        await response.ReadFieldErrorsAsync("id");
    }

    [Fact]
    public async Task Get_UnknownId_Returns404()
    {
        var response = await _scenario.Http.GetAsync("/mailings/987654321");

        await response.ReadProblemAsync(404);
    }

    [Fact]
    public async Task List_ByStatus_ReturnsOnlyThatStatusNewestFirst()
    {
        var first = (await _scenario.CreateAsync(_scenario.Body(startAt: DateTimeOffset.UtcNow.AddDays(1), endAt: DateTimeOffset.UtcNow.AddDays(2)))).GetProperty("id").GetInt64();
        var second = (await _scenario.CreateAsync(_scenario.Body(startAt: DateTimeOffset.UtcNow.AddDays(1), endAt: DateTimeOffset.UtcNow.AddDays(2)))).GetProperty("id").GetInt64();

        var page = await _scenario.Http.GetFromJsonAsync<JsonElement>("/mailings?status=scheduled&pageSize=100");

        var ids = page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.True(ids.IndexOf(second) < ids.IndexOf(first) && ids.IndexOf(second) >= 0);
        Assert.All(page.GetProperty("items").EnumerateArray(), m => Assert.Equal("scheduled", m.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=x", "pageSize")]
    public async Task List_InvalidQuery_Returns400NamingIt(string query, string field)
    {
        var response = await _scenario.Http.GetAsync($"/mailings?{query}");

        await response.ReadFieldErrorsAsync(field);
    }

    public void Dispose() => _scenario.Dispose();
}
