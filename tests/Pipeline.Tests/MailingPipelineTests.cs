using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>
/// SMS mailings through the real processes: TaskApi, TaskWorker and the Scheduler, with a stand-in provider. The tests
/// share one pipeline: each mails to clients of its own (a tag of its own, the mailing filtered by it), and reads the
/// provider's requests for its own messages only.
/// </summary>
public sealed class MailingPipelineTests(MailingPipelineTests.SmsPipeline fixture) : IClassFixture<MailingPipelineTests.SmsPipeline>
{
    public sealed class SmsPipeline : IAsyncLifetime
    {
        public RunningPipeline Pipeline { get; private set; } = null!;

        public async Task InitializeAsync() => Pipeline = await RunningPipeline.StartAsync(WorkerSettings.Quick, withSms: true);

        public async Task DisposeAsync() => await Pipeline.DisposeAsync();
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly RunningPipeline _pipeline = fixture.Pipeline;

    // This test's clients: the mailings below are filtered by it.
    private readonly string _tag = $"test {Guid.NewGuid():N}";

    private StandInSmsGateway Gateway => _pipeline.Gateway!;

    [Fact]
    public async Task Mailing_ToImportedClients_SendsEachMessageOnceWithTheProvidersContract()
    {
        var phones = await _pipeline.ImportClientsAsync(20, firstPhone: 79_001_000_000, _tag);

        var mailingId = await _pipeline.CreateMailingAsync(new { text = "Привет!", startAt = Now(-1), endAt = Now(60), filter = Filter() });
        await _pipeline.WaitFinishedAsync(mailingId, Timeout);

        var requests = await RequestsOfAsync(mailingId);
        Assert.Equal(phones.Order(), requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("phone").GetInt64()).Order());
        Assert.All(requests, r =>
        {
            var body = JsonDocument.Parse(r.Body).RootElement;
            Assert.Equal(r.MessageId, body.GetProperty("id").GetInt64());
            Assert.Equal("Привет!", body.GetProperty("text").GetString());
            Assert.Equal($"Bearer {RunningPipeline.SmsToken}", r.Authorization);
            Assert.NotNull(r.TraceParent);
        });
        Assert.Equal(20, requests.Select(r => r.MessageId).Distinct().Count());
        // One trace per message: each send continues a trace of its own (W3C traceparent "00-{trace id}-{span id}-01").
        Assert.Equal(20, requests.Select(r => r.TraceParent!.Split('-')[1]).Distinct().Count());
        var stats = await _pipeline.GetAsync($"/mailings/{mailingId}/stats");
        Assert.Equal(20, stats.GetProperty("messages").GetProperty("sent").GetInt32());
    }

    [Fact]
    public async Task Mailing_ProviderFailsThenAccepts_RetriesThroughTheSchedulerAndHonoursRetryAfter()
    {
        await _pipeline.ImportClientsAsync(3, firstPhone: 79_002_000_000, _tag);
        var ids = await _pipeline.MessageIdsOfNextMailingAsync(3);
        Gateway.Answer(ids[0], StandInAnswer.Status(500, "boom"));
        Gateway.Answer(ids[1], StandInAnswer.Status(429, "slow down", retryAfter: "2"));
        Gateway.Answer(ids[2], StandInAnswer.Status(400, """{"error":"unknown subscriber"}"""));

        var mailingId = await _pipeline.CreateMailingAsync(new { text = "Retry me", startAt = Now(-1), endAt = Now(60), filter = Filter() });
        await _pipeline.WaitFinishedAsync(mailingId, Timeout);

        var messages = await _pipeline.MessagesAsync(mailingId);
        Assert.Equal(("sent", 2), (messages[ids[0]].Status, messages[ids[0]].Attempts));
        Assert.Equal(("sent", 2), (messages[ids[1]].Status, messages[ids[1]].Attempts));
        Assert.Equal(("failed", 1), (messages[ids[2]].Status, messages[ids[2]].Attempts));
        Assert.Contains("unknown subscriber", messages[ids[2]].LastError);
        var throttled = Gateway.RequestsFor(ids[1]);
        Assert.True(throttled[1].ReceivedAt - throttled[0].ReceivedAt >= TimeSpan.FromSeconds(1.9),
            $"the retry came {throttled[1].ReceivedAt - throttled[0].ReceivedAt} after a Retry-After of 2 s");
    }

    [Fact]
    public async Task Mailing_EndPassesMidSend_ExpiresWhatIsUnsent()
    {
        await _pipeline.ImportClientsAsync(2, firstPhone: 79_003_000_000, _tag);
        var ids = await _pipeline.MessageIdsOfNextMailingAsync(2);
        // One message is refused with a Retry-After beyond the end: it must not go out again.
        Gateway.Answer(ids[1], StandInAnswer.Status(503, "maintenance", retryAfter: "30"));

        // Ten seconds: the first message must go out before the end even on a loaded machine (4 s was not always enough).
        var mailingId = await _pipeline.CreateMailingAsync(new { text = "Short", startAt = Now(-1), endAt = DateTimeOffset.UtcNow.AddSeconds(10).ToString("O"), filter = Filter() });
        await _pipeline.WaitFinishedAsync(mailingId, Timeout);

        var messages = await _pipeline.MessagesAsync(mailingId);
        Assert.Equal("sent", messages[ids[0]].Status);
        Assert.Equal("expired", messages[ids[1]].Status);
        Assert.Single(Gateway.RequestsFor(ids[1]));
    }

    [Fact]
    public async Task Mailing_Deferred_StartsAtItsStartTimeThroughTheScheduler()
    {
        await _pipeline.ImportClientsAsync(2, firstPhone: 79_004_000_000, _tag);
        var startAt = DateTimeOffset.UtcNow.AddSeconds(3);

        var mailingId = await _pipeline.CreateMailingAsync(new { text = "Later", startAt = startAt.ToString("O"), endAt = Now(60), filter = Filter() });
        Assert.Equal("scheduled", (await _pipeline.GetAsync($"/mailings/{mailingId}")).GetProperty("status").GetString());
        await _pipeline.WaitFinishedAsync(mailingId, Timeout);

        var requests = await RequestsOfAsync(mailingId);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.True(r.ReceivedAt >= startAt, $"sent at {r.ReceivedAt:O}, before its start {startAt:O}"));
    }

    private static string Now(int plusMinutes) => DateTimeOffset.UtcNow.AddMinutes(plusMinutes).ToString("O");

    private object Filter() => new { operatorCodes = Array.Empty<string>(), tags = new[] { _tag } };

    /// <summary>What the provider received for the messages of <paramref name="mailingId"/>.</summary>
    private async Task<List<GatewayRequest>> RequestsOfAsync(long mailingId)
    {
        var messageIds = (await _pipeline.MessagesAsync(mailingId)).Keys.ToHashSet();
        return Gateway.Requests.Where(request => messageIds.Contains(request.MessageId)).ToList();
    }
}
