using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using TaskApi.Features.Tasks.CreateTask;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using TaskApi.Model;
using Tasks.Shared;
using Tasks.ApiDefaults;

namespace TaskApi.Features.Tasks.Intake;

/// <summary>
/// Tasks submitted by any Kafka producer on <c>tasks.requests</c>: JSON <c>{"name": ..., "payload": ...}</c>, the
/// message key (optional) being the idempotency key. Valid messages become tasks exactly as over REST (same
/// validator, same insert); invalid ones go to <c>tasks.requests.dlq</c> with the reason, and the partition
/// moves on. A message without a key gets its position as key, so a redelivered message creates no second task. Their
/// creator is <see cref="ActorKinds.Kafka"/> (the broker, not the identity service, knows the producers), so the
/// message keys are one namespace of idempotency keys, apart from every REST caller's.
/// </summary>
public sealed partial class TaskRequestsConsumer(
    [FromKeyedServices(TaskRequestsConsumer.ConsumerKey)] IConsumer<byte[]?, byte[]> consumer,
    IServiceScopeFactory scopes,
    DeadLetterProducer deadLetters,
    CreateTaskValidator validator,
    OutboxSignal outbox,
    TaskMetrics metrics,
    TimeProvider clock,
    ILogger<TaskRequestsConsumer> logger) : BatchConsumer(consumer, deadLetters, logger)
{
    public const string ConsumerKey = "intake";
    public const string ConsumerGroup = "taskapi-intake";
    public const string Source = "kafka";

    /// <summary>The same limit as a REST request body.</summary>
    public const int MaxMessageBytes = CreateTaskValidator.MaxRequestBytes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    protected override string Topic => KafkaTopics.TaskRequests;

    protected override string DeadLetterTopic => KafkaTopics.TaskRequestsDeadLetter;

    protected override void CountDeadLettered() => metrics.DeadLettered(KafkaTopics.TaskRequestsDeadLetter);

    protected override async Task<IReadOnlyCollection<RejectedRecord>> HandleBatchAsync(
        IReadOnlyList<ConsumeResult<byte[]?, byte[]>> batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var accepted = new List<NewTask>(batch.Count);
        var rejected = new List<RejectedRecord>();
        foreach (var message in batch)
        {
            using var activity = KafkaTracing.StartProcess(message);
            var read = Read(message);
            if (read.Error is { } error)
            {
                rejected.Add(new RejectedRecord(message, error));
                continue;
            }
            var request = read.Request!;
            accepted.Add(new NewTask(request.ToNewTask(now, ActorKinds.Kafka), request.Payload, activity?.Id));
        }

        if (accepted.Count > 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            var inserted = await TaskCreation.InsertAsync(scope.ServiceProvider.GetRequiredService<TasksDbContext>(), accepted, cancellationToken);
            outbox.Notify();
            metrics.Created(Source, inserted.Count);
            foreach (var id in inserted)
            {
                CreateTaskEndpoint.LogCreated(logger, id, Source);
            }
        }
        return rejected;
    }

    /// <summary>Reads one submission: the command to run, or why it cannot be.</summary>
    private ReadResult Read(ConsumeResult<byte[]?, byte[]> message)
    {
        var value = message.Message.Value;
        if (value is null || value.Length == 0)
        {
            return ReadResult.Rejected("The message has no value; expected JSON {\"name\": ..., \"payload\": ...}.");
        }
        if (value.Length > MaxMessageBytes)
        {
            return ReadResult.Rejected($"The message is {value.Length} bytes; at most {MaxMessageBytes} are accepted.");
        }

        string key;
        try
        {
            key = message.Message.Key is { } keyBytes
                ? StrictUtf8.GetString(keyBytes)
                : KeylessIdempotencyKey(message);
        }
        catch (DecoderFallbackException)
        {
            return ReadResult.Rejected("The message key (the idempotency key) is not valid UTF-8.");
        }

        CreateTaskRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<CreateTaskRequest>(value, MessageJson.Options);
        }
        catch (JsonException e)
        {
            return ReadResult.Rejected(JsonErrors.Describe(e));
        }
        if (request is null)
        {
            return ReadResult.Rejected("The message is JSON null; expected an object {\"name\": ..., \"payload\": ...}.");
        }

        request.IdempotencyKey = key;
        var validation = validator.Validate(request);
        return validation.IsValid
            ? new ReadResult(request, null)
            : ReadResult.Rejected(string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)));
    }

    /// <summary>
    /// A message without a key is one submission wherever it is redelivered from, so its position identifies it. The
    /// position alone does not: a broker that starts empty (the embedded cluster at every AppHost start) or a recreated
    /// topic hands out the same offsets again while PostgreSQL keeps the tasks, and new submissions would be taken for
    /// old ones. The record's timestamp and a hash of its value tell them apart; a redelivery carries both unchanged.
    /// </summary>
    internal static string KeylessIdempotencyKey(ConsumeResult<byte[]?, byte[]> message) =>
        $"{Source}:{message.Topic}/{message.Partition.Value}/{message.Offset.Value}" +
        $"@{message.Message.Timestamp.UnixTimestampMs}#{Convert.ToHexStringLower(SHA256.HashData(message.Message.Value))[..16]}";

    private sealed record ReadResult(CreateTaskRequest? Request, string? Error)
    {
        public static ReadResult Rejected(string error) => new(null, error);
    }
}
