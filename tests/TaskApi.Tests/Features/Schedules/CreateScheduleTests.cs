using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TaskApi.Features.Schedules;
using TaskApi.Features.Schedules.CreateSchedule;
using TaskApi.Infrastructure.Access;
using TaskApi.Tests.Features.Templates;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Schedules;

[Collection(nameof(ScheduleApiCollection))]
public sealed class CreateScheduleTests(ScheduleApi api)
{
    private readonly HttpClient _client = api.CreateClient();

    [Theory]
    [InlineData("""{"timezone":"UTC","task":{"name":"x"}}""", "cron")]
    [InlineData("""{"cron":"* * *","timezone":"UTC","task":{"name":"x"}}""", "cron")]
    [InlineData("""{"cron":"61 * * * *","timezone":"UTC","task":{"name":"x"}}""", "cron")]
    [InlineData("""{"cron":"0 0 30 2 *","timezone":"UTC","task":{"name":"x"}}""", "cron")]
    [InlineData("""{"cron":"0 0 1 1 *","timezone":"UTC","startAt":"2027-02-01T00:00:00Z","endAt":"2027-03-01T00:00:00Z","task":{"name":"x"}}""", "cron")]
    [InlineData("""{"cron":"0 9 * * *","task":{"name":"x"}}""", "timezone")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"Mars/Olympus","task":{"name":"x"}}""", "timezone")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC+03:00","task":{"name":"x"}}""", "timezone")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","startAt":"2027-02-01T00:00:00","task":{"name":"x"}}""", "startAt")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","startAt":"2027-02-01T00:00:00Z","endAt":"2027-02-01T00:00:00Z","task":{"name":"x"}}""", "endAt")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","endAt":"2020-01-01T00:00:00Z","task":{"name":"x"}}""", "endAt")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","misfire":"sometimes","task":{"name":"x"}}""", "misfire")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC"}""", "task")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","task":{"name":""}}""", "task.name")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","task":{"name":"x","maxAttempts":11}}""", "task.maxAttempts")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","task":{"name":"x","runAt":"2027-01-01T00:00:00Z"}}""", "task.runAt")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","task":{"name":"x","delaySeconds":5}}""", "task.delaySeconds")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","task":{"name":"x"},"notification":{"userIds":["u"],"channels":["sms"],"title":"t","text":"x"}}""", "notification")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","notification":{"userIds":[],"channels":["sms"],"title":"t","text":"x"}}""", "notification.userIds")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","notification":{"userIds":["u"],"channels":["fax"],"title":"t","text":"x"}}""", "notification.channels[0]")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","notification":{"userIds":["u"],"channels":["sms"],"text":"x"}}""", "notification.title")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","notification":{"userIds":["u"],"channels":["sms"],"title":"t","text":"x","sendAt":"2027-01-01T00:00:00Z"}}""", "notification.sendAt")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"UTC","notification":{"userIds":["u"],"channels":["sms"],"text":"x","templateId":9223372036854775807}}""", "notification.templateId")]
    public async Task Post_InvalidField_Returns400NamingIt(string body, string field)
    {
        var response = await _client.PostAsync("/schedules", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ReadFieldErrorsAsync(field);
    }

    [Fact]
    public async Task Post_BodyOverRequestLimit_Returns413()
    {
        var body = JsonSerializer.Serialize(new { cron = "0 9 * * *", timezone = "UTC", task = new { name = "huge", payload = new string('x', CreateScheduleValidator.MaxRequestBytes) } });

        // As curl sends a large body: the API refuses it on its Content-Length alone, before the client sends it.
        var request = new HttpRequestMessage(HttpMethod.Post, "/schedules") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        var response = await _client.SendAsync(request);

        await response.ReadProblemAsync(413);
    }

    [Fact]
    public async Task Post_WeekdayCronInMoscow_AnswersTheNextFiveOccurrencesInUtcAndLocalTime()
    {
        // 2027-01-04 is a Monday; Moscow is UTC+3 all year.
        var schedule = await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("0 9 * * MON-FRI", "Europe/Moscow", new { startAt = "2027-01-02T00:00:00+03:00" }));

        Assert.Equal([.. Enumerable.Range(4, 5).Select(day => new DateTimeOffset(2027, 1, day, 6, 0, 0, TimeSpan.Zero))], schedule.NextAts());
        Assert.All(schedule.GetProperty("nextOccurrences").EnumerateArray(), o => Assert.EndsWith("T09:00:00+03:00", o.GetProperty("local").GetString()));
        Assert.Equal(("task", "runOnce", false), (schedule.GetProperty("kind").GetString(), schedule.GetProperty("misfire").GetString(), schedule.GetProperty("paused").GetBoolean()));
        Assert.Equal("scheduled", schedule.GetProperty("task").GetProperty("name").GetString());
        var stored = await api.StoredAsync(schedule.Id());
        Assert.Equal(new DateTimeOffset(2027, 1, 4, 6, 0, 0, TimeSpan.Zero), stored.NextOccurrence);
        var (request, due) = await api.RequestedAsync(schedule.Id(), _ => true);
        Assert.Equal((stored.NextOccurrence!.Value, 1), (request.DueAt, due.Version));
        Assert.Equal(KafkaTopics.SchedulesDue, request.Topic);
    }

    [Fact]
    public async Task Post_NotificationTarget_AnswersItAndRequestsTheFirstOccurrence()
    {
        var body = new
        {
            cron = "0 9 * * MON-FRI",
            timezone = "Europe/Moscow",
            startAt = "2027-01-02T00:00:00+03:00",
            notification = new { userIds = new[] { "u-1", "u-2" }, channels = new[] { "email", "inApp" }, title = "Standup", text = "At 9:15", data = new { room = 4 }, express = true },
        };

        var schedule = await ScheduleTesting.CreateAsync(_client, body);

        Assert.Equal("notification", schedule.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, schedule.GetProperty("task").ValueKind);
        var notification = schedule.GetProperty("notification");
        Assert.Equal(["u-1", "u-2"], notification.GetProperty("userIds").EnumerateArray().Select(id => id.GetString()));
        Assert.Equal(["email", "inApp"], notification.GetProperty("channels").EnumerateArray().Select(channel => channel.GetString()));
        Assert.Equal(("Standup", "At 9:15", 4, true),
            (notification.GetProperty("title").GetString(), notification.GetProperty("text").GetString(),
             notification.GetProperty("data").GetProperty("room").GetInt32(), notification.GetProperty("express").GetBoolean()));
        Assert.Equal(new DateTimeOffset(2027, 1, 4, 6, 0, 0, TimeSpan.Zero), schedule.NextAts()[0]);
        var (request, _) = await api.RequestedAsync(schedule.Id(), _ => true);
        Assert.Equal(KafkaTopics.SchedulesDue, request.Topic);
    }

    [Fact]
    public async Task Post_NotificationFromATemplate_CopiesItsSubjectAndHtmlNow()
    {
        var template = await _client.CreateTemplateAsync(TemplateTesting.ValidTemplate(subject: "Weekly digest", html: "<p>Digest</p>"));
        var body = new
        {
            cron = "0 9 * * MON",
            timezone = "UTC",
            notification = new { userIds = new[] { "u-1" }, channels = new[] { "email" }, text = "Digest", templateId = TemplateTesting.IdOf(template) },
        };

        var notification = (await ScheduleTesting.CreateAsync(_client, body)).GetProperty("notification");

        Assert.Equal(("Weekly digest", "<p>Digest</p>", TemplateTesting.IdOf(template)),
            (notification.GetProperty("title").GetString(), notification.GetProperty("html").GetString(), notification.GetProperty("templateId").GetInt64()));
    }

    [Fact]
    public async Task Post_NotificationByAnAppWithoutTheNotificationsScope_Returns403()
    {
        var app = await api.NewAppAsync(Scopes.Tasks);
        var body = new { cron = "0 9 * * *", timezone = "UTC", notification = new { userIds = new[] { "u-1" }, channels = new[] { "sms" }, title = "t", text = "x" } };

        var response = await app.Http.PostAsJsonAsync("/schedules", body);

        var problem = await response.ReadProblemAsync(403);
        Assert.Contains(ApiAccess.NotificationsWrite, problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, (await app.Http.PostAsJsonAsync("/schedules", ScheduleTesting.Body("0 9 * * *"))).StatusCode);
    }

    [Fact]
    public async Task Post_CronWithSeconds_FiresOnThoseSeconds()
    {
        var schedule = await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("*/20 * * * * *", "UTC", new { startAt = "2027-05-01T10:00:00Z" }));

        Assert.Equal([0, 20, 40, 0, 20], schedule.NextAts().Select(at => at.Second));
        Assert.Equal(new DateTimeOffset(2027, 5, 1, 10, 0, 0, TimeSpan.Zero), schedule.NextAts()[0]);
    }

    [Fact]
    public Task Post_DailyAtALocalTimeTheClocksSkip_RunsAtTheJump() =>
        // New York, 2027-03-14: at 02:00 EST the clocks jump to 03:00 EDT, so 02:30 does not exist that day.
        AssertFirstOccurrencesAsync("30 2 * * *", "2027-03-13T12:00:00-05:00", "2027-03-14T07:00:00Z", "2027-03-15T06:30:00Z", "2027-03-16T06:30:00Z");

    [Fact]
    public Task Post_DailyAtALocalTimeTheClocksRepeat_RunsOnce() =>
        // New York, 2027-11-07: at 02:00 EDT the clocks go back to 01:00 EST, so 01:30 happens twice that night.
        AssertFirstOccurrencesAsync("30 1 * * *", "2027-11-06T12:00:00-04:00", "2027-11-07T05:30:00Z", "2027-11-08T06:30:00Z", "2027-11-09T06:30:00Z");

    [Fact]
    public async Task Endpoints_ScheduleOfAnotherApp_Answer404AndListOnlyOwn()
    {
        var owner = await api.NewAppAsync(Scopes.Tasks);
        var other = await api.NewAppAsync(Scopes.Tasks);
        var id = (await ScheduleTesting.CreateAsync(owner.Http, ScheduleTesting.Body("0 9 * * *"))).Id();
        var othersOwn = (await ScheduleTesting.CreateAsync(other.Http, ScheduleTesting.Body("0 10 * * *"))).Id();

        await (await other.Http.GetAsync($"/schedules/{id}")).ReadProblemAsync(404);
        await (await other.Http.PatchAsJsonAsync($"/schedules/{id}", new { paused = true })).ReadProblemAsync(404);
        await (await other.Http.DeleteAsync($"/schedules/{id}")).ReadProblemAsync(404);
        var page = await other.Http.GetFromJsonAsync<JsonElement>("/schedules");
        Assert.Equal([othersOwn], page.GetProperty("items").EnumerateArray().Select(s => s.Id()));
        Assert.Equal(1, page.GetProperty("total").GetInt32());

        var asOwner = await owner.Http.GetFromJsonAsync<JsonElement>($"/schedules/{id}");
        var asOperator = await _client.GetFromJsonAsync<JsonElement>($"/schedules/{id}");
        Assert.Equal((owner.Id, owner.Id, false), (asOwner.GetProperty("createdBy").GetString(), asOperator.GetProperty("createdBy").GetString(), asOwner.GetProperty("paused").GetBoolean()));
    }

    [Fact]
    public async Task List_EachSchedule_ShowsItsNextOccurrencesAndNoneWhilePaused()
    {
        var running = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("0 9 * * *", "UTC"))).Id();
        var paused = (await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body("0 10 * * *", "UTC"))).Id();
        (await _client.PatchAsJsonAsync($"/schedules/{paused}", new { paused = true })).EnsureSuccessStatusCode();

        var items = (await _client.GetFromJsonAsync<JsonElement>("/schedules?pageSize=100")).GetProperty("items").EnumerateArray().ToDictionary(s => s.Id());

        var next = items[running].NextAts();
        Assert.Equal(ScheduleResponse.ShownOccurrences, next.Length);
        Assert.All(next, at => Assert.Equal(TimeSpan.FromHours(9), at.UtcDateTime.TimeOfDay));
        Assert.InRange(next[0], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(Enumerable.Range(0, next.Length).Select(day => next[0].AddDays(day)), next);
        Assert.True(items[paused].GetProperty("paused").GetBoolean());
        Assert.Empty(items[paused].NextAts());
    }

    [Fact]
    public async Task List_InvalidPage_Returns400NamingIt()
    {
        var response = await _client.GetAsync("/schedules?pageSize=101");

        await response.ReadFieldErrorsAsync("pageSize");
    }

    [Fact]
    public async Task Post_WithoutToken_Returns401()
    {
        var response = await api.CreateClient(token: null).PostAsJsonAsync("/schedules", ScheduleTesting.Body("0 9 * * *"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task AssertFirstOccurrencesAsync(string cron, string startAt, params string[] expected)
    {
        var schedule = await ScheduleTesting.CreateAsync(_client, ScheduleTesting.Body(cron, "America/New_York", new { startAt }));

        Assert.Equal(expected.Select(at => DateTimeOffset.Parse(at)), schedule.NextAts().Take(expected.Length));
    }
}
