using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Confluent.Kafka;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Sms;

namespace TaskWorker.Tests.Sms;

/// <summary>
/// Each attempt as the stand-in provider sees it, and how its answer is reported. Exactly one request per record
/// shows that no resilience handler retries behind the worker's back.
/// </summary>
public sealed class SmsGatewayClientTests(SmsWorkerFixture fixture) : IClassFixture<SmsWorkerFixture>, IDisposable
{
    private readonly IProducer<byte[]?, byte[]> _producer = fixture.Kafka.CreateProducer();
    private readonly TopicReader _reports = new(fixture.Kafka, KafkaTopics.MessagesStatus);

    [Fact]
    public async Task SendAsync_GatewayAccepts_PostsTheProvidersShapeOnceAndReportsSent()
    {
        var item = SmsRecords.NewItem();

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var report = await _reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(new SmsOutcomeReported(item.MessageId, item.MailingId, item.Dispatch, SmsOutcome.Sent, Called: true, report.OccurredAt), report);
        var request = Assert.Single(fixture.Gateway.RequestsFor(item.MessageId));
        Assert.Equal($"Bearer {WorkerFactory.SmsToken}", request.Authorization);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(["id", "phone", "text"], body.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal(JsonValueKind.Number, body.RootElement.GetProperty("id").ValueKind);
        Assert.Equal(item.MessageId, body.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Number, body.RootElement.GetProperty("phone").ValueKind);
        Assert.Equal(long.Parse(item.Phone), body.RootElement.GetProperty("phone").GetInt64());
        Assert.Equal(item.Text, body.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task SendAsync_RefusalWithABodyThatNeverEnds_ReadsOnlyTheStartAndReportsTheRefusal()
    {
        var item = SmsRecords.NewItem();
        fixture.Gateway.Answer(item.MessageId, StandInAnswer.EndlessBody(400, """{"title":"bad phone"}"""));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        // Read whole, the body would be awaited until the attempt's timeout and reported as no answer.
        var report = await _reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(SmsOutcome.Failed, report.Outcome);
        Assert.StartsWith("400 Bad Request: {\"title\":\"bad phone\"}", report.Error);
        Assert.InRange(report.Error!.Length, 1, SmsGatewayClient.MaxErrorLength);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task SendAsync_GatewayAnswersATransientFailure_ReportsRetryAfterOneRequest(int status)
    {
        var item = SmsRecords.NewItem();
        fixture.Gateway.Answer(item.MessageId, StandInAnswer.Status(status, """{"title":"try later"}"""));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var report = await _reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(SmsOutcome.Retry, report.Outcome);
        Assert.True(report.Called);
        Assert.StartsWith($"{status} ", report.Error);
        Assert.Contains("try later", report.Error);
        Assert.Null(report.RetryNotBefore);
        Assert.Single(fixture.Gateway.RequestsFor(item.MessageId));
    }

    [Fact]
    public async Task SendAsync_GatewayAnswersLaterThanTheTimeout_ReportsRetry()
    {
        var item = SmsRecords.NewItem();
        fixture.Gateway.Answer(item.MessageId, StandInAnswer.AcceptedAfter(SmsWorkerFixture.AttemptTimeout * 10));
        var produced = DateTimeOffset.UtcNow;

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var report = await _reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(SmsOutcome.Retry, report.Outcome);
        Assert.True(report.Called);
        Assert.StartsWith("No answer within 00:00:01", report.Error);
        var request = Assert.Single(fixture.Gateway.RequestsFor(item.MessageId));
        // The attempt's clock starts when the worker sends, between the record's production and the stand-in's receipt
        // (which a stalled test process can delay by most of a second): it gave up a timeout after the first at the
        // earliest, and soon after the second.
        Assert.True(report.OccurredAt - produced >= SmsWorkerFixture.AttemptTimeout * 0.9, $"reported {report.OccurredAt - produced} after the record was produced");
        Assert.True(report.OccurredAt - request.ReceivedAt <= SmsWorkerFixture.AttemptTimeout * 5, $"reported {report.OccurredAt - request.ReceivedAt} after the request arrived");
    }

    [Fact]
    public async Task SendAsync_GatewayAnswers429WithRetryAfterSeconds_ReportsRetryNotBeforeThatLater()
    {
        var item = SmsRecords.NewItem();
        fixture.Gateway.Answer(item.MessageId, StandInAnswer.Status(429, retryAfter: "7"));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var report = await _reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(SmsOutcome.Retry, report.Outcome);
        Assert.StartsWith("429 ", report.Error);
        var answeredAt = fixture.Gateway.RequestsFor(item.MessageId).Single().ReceivedAt;
        Assert.NotNull(report.RetryNotBefore);
        Assert.InRange(report.RetryNotBefore.Value - answeredAt, TimeSpan.FromSeconds(6.5), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task SendAsync_GatewayAnswers503WithRetryAfterDate_ReportsThatDate()
    {
        var item = SmsRecords.NewItem();
        var notBefore = new DateTimeOffset(DateTime.UtcNow.AddMinutes(5).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        fixture.Gateway.Answer(item.MessageId, StandInAnswer.Status(503, retryAfter: notBefore.ToString("R")));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var report = await _reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(SmsOutcome.Retry, report.Outcome);
        Assert.Equal(notBefore, report.RetryNotBefore);
    }

    [Fact]
    public async Task SendAsync_GatewayRefuses400_ReportsFailedWithTheStatusAndTheBodyTruncated()
    {
        var item = SmsRecords.NewItem();
        var body = $$"""{"title":"phone is not served","detail":"{{new string('x', 1_000)}}"}""";
        fixture.Gateway.Answer(item.MessageId, StandInAnswer.Status(400, body));

        await _producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var report = await _reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(SmsOutcome.Failed, report.Outcome);
        Assert.True(report.Called);
        Assert.StartsWith("400 Bad Request: {\"title\":\"phone is not served\"", report.Error);
        Assert.Equal(SmsGatewayClient.MaxErrorLength, report.Error!.Length);
        Assert.Single(fixture.Gateway.RequestsFor(item.MessageId));
    }

    [Fact]
    public async Task SendAsync_NothingListensAtTheBaseUrl_ReportsRetry()
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        using var worker = WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, new Uri($"http://127.0.0.1:{UnusedPort()}")));
        using var producer = kafka.CreateProducer();
        using var reports = new TopicReader(kafka, KafkaTopics.MessagesStatus);
        var item = SmsRecords.NewItem();

        await producer.ProduceAsync(KafkaTopics.MessagesSend, SmsRecords.Message(item));

        var report = await reports.WaitForReportAsync(item.MessageId);
        Assert.Equal(SmsOutcome.Retry, report.Outcome);
        Assert.True(report.Called);
        Assert.StartsWith("The request failed: Connection refused", report.Error);
    }

    public void Dispose()
    {
        _producer.Dispose();
        _reports.Dispose();
    }

    /// <summary>A loopback port that was free a moment ago and that nothing listens on.</summary>
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
