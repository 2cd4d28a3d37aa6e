using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.DeadLetters;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.DeadLetters;

/// <summary>
/// The API the dead-letter tests share (one host for their classes, which run one after another), with a producer that
/// writes to the .dlq topics as a rejecting consumer (or someone by hand) would.
/// </summary>
public sealed class DeadLetterApi : TaskApiFactory
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IProducer<byte[]?, byte[]>? _producer;

    private IProducer<byte[]?, byte[]> Producer => _producer ??= PipelineKafka.Producer(Kafka.BootstrapServers);

    /// <summary>The headers a dead-letter writer adds, with <paramref name="source"/> left out when null.</summary>
    public static List<(string Name, byte[]? Value)> DeadLetterHeadersOf(string reason, string? source) =>
        source is null
            ? [(DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason))]
            : [(DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason)), (DeadLetterHeaders.Source, Encoding.UTF8.GetBytes(source))];

    /// <summary>Produces a record to <paramref name="deadLetterTopic"/> (partition 0) and returns it once the API has stored it.</summary>
    public async Task<DeadLetter> DeadLetterAsync(string deadLetterTopic, string? key, string value, IEnumerable<(string Name, byte[]? Value)> headers)
    {
        var record = new Headers();
        foreach (var (name, headerValue) in headers)
        {
            record.Add(name, headerValue);
        }
        var delivered = await Producer.ProduceAsync(new TopicPartition(deadLetterTopic, new Partition(0)), new Message<byte[]?, byte[]>
        {
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = Encoding.UTF8.GetBytes(value),
            Headers = record,
        });
        return await Eventually.GetAsync(
            () => WithDbAsync(db => db.DeadLetters.AsNoTracking()
                .FirstOrDefaultAsync(d => d.Topic == deadLetterTopic && d.Partition == 0 && d.Offset == delivered.Offset.Value)),
            Timeout, $"the dead letter at {delivered.TopicPartitionOffset}");
    }

    /// <summary>A dead letter of a valid submission an older validator had rejected from <c>tasks.requests</c>.</summary>
    public Task<DeadLetter> RejectedSubmissionAsync(string key, string name, params (string Name, byte[]? Value)[] ownHeaders) =>
        DeadLetterAsync(KafkaTopics.TaskRequestsDeadLetter, key, $$$"""{"name":"{{{name}}}","payload":{"n":1}}""",
            [.. ownHeaders, .. DeadLetterHeadersOf("'name' is not on the allowed list (an older validator).", $"{KafkaTopics.TaskRequests}/0/5")]);

    /// <summary>The items of <c>GET /dead-letters</c> with this query.</summary>
    public async Task<JsonElement> ListAsync(string query) =>
        await CreateClient().GetFromJsonAsync<JsonElement>($"/dead-letters?{query}");

    public override async ValueTask DisposeAsync()
    {
        _producer?.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(nameof(DeadLetterApiCollection))]
public sealed class DeadLetterApiCollection : ICollectionFixture<DeadLetterApi>;
