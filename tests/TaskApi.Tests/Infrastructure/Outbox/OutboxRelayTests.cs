using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmbeddedKafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.Tasks;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Infrastructure.Outbox;

public sealed class OutboxRelayTests(OutboxRelayTests.ShortTimeoutApi api) : IClassFixture<OutboxRelayTests.ShortTimeoutApi>
{
    /// <summary>Kafka deliveries time out after 1.5 s, so an outage shows as failed attempts quickly.</summary>
    public sealed class ShortTimeoutApi : TaskApiFactory
    {
        public ShortTimeoutApi() => Settings["Aspire:Confluent:Kafka:Producer:Config:message.timeout.ms"] = "1500";
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Relay_CreatedTask_PublishesWorkItemKeyedByTaskIdInTheRequestsTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { name = "traced", payload = new { n = 7 } }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var outsideClient = api.CreateOutsideClient();
        var created = await (await outsideClient.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.TaskWork);
        var published = await consumer.ConsumeFirstAsync(m => m.Message.Key!.SequenceEqual(MessageKeys.For(id)), Timeout);
        var workItem = MessageJson.Deserialize<TaskWorkItem>(published.Message.Value);
        Assert.Equal(id, workItem.TaskId);
        Assert.Equal("traced", workItem.Name);
        Assert.Equal(7, workItem.Payload!.Value.GetProperty("n").GetInt32());
        Assert.Equal(traceId, ActivityContext.Parse(published.Header("traceparent")!, null).TraceId);
        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.SentAt != null)), Timeout, "the outbox record to be marked sent");
    }

    [Fact]
    public async Task Relay_KafkaDownWhenTaskIsCreated_PublishesOnceKafkaIsBack()
    {
        using var undelivered = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), TaskMetrics.OutboxUndeliveredInstrument);
        using var consumer = PipelineKafka.Consumer(api.Kafka.BootstrapServers, KafkaTopics.TaskWork);
        api.Kafka.SetBrokerDown(KafkaMockCluster.AllBrokers);
        Guid id;
        try
        {
            var response = await _client.PostAsJsonAsync("/tasks", new { name = "created during an outage" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            await Eventually.UntilAsync(() => Task.FromResult(undelivered.Total > 0), Timeout, "the relay to fail delivering while Kafka is down");
            Assert.True(await api.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.SentAt == null)));
        }
        finally
        {
            api.Kafka.SetBrokerUp(KafkaMockCluster.AllBrokers);
        }

        await consumer.ConsumeFirstAsync(m => MessageJson.Deserialize<TaskWorkItem>(m.Message.Value).TaskId == id, Timeout);
        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.SentAt != null)), Timeout, "every outbox record to be marked sent");
    }
}
