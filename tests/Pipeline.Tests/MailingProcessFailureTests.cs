using Tasks.Shared;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>
/// kill -9 of TaskWorker or TaskApi during a mailing of 5,000 clients: every message ends final and sent, none is lost, and
/// the provider receives each message id once, except those whose send was in flight at the kill.
/// </summary>
public sealed class MailingProcessFailureTests : IAsyncLifetime
{
    private const int Clients = 5000;

    /// <summary>TaskApi's default Outbox:BatchSize, which RunningPipeline keeps: the most records one relay pass publishes.</summary>
    private const int OutboxBatchSize = 1000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private RunningPipeline _pipeline = null!;
    private long _mailingId;
    private long[] _messageIds = [];

    public async Task InitializeAsync()
    {
        _pipeline = await RunningPipeline.StartAsync(WorkerSettings.Quick, withSms: true);
        await _pipeline.ImportClientsAsync(Clients, firstPhone: 79_005_000_000);
        _messageIds = await _pipeline.MessageIdsOfNextMailingAsync(Clients);
        // A provider that takes a little while, so sends are in flight when a process dies.
        foreach (var id in _messageIds)
        {
            _pipeline.Gateway!.Answer(id, StandInAnswer.AcceptedAfter(TimeSpan.FromMilliseconds(20)));
        }
        _mailingId = await _pipeline.CreateMailingAsync(new
        {
            text = "Survive this",
            startAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
            endAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
        });
    }

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    [Fact]
    public async Task WorkerKilledMidMailing_EveryMessageSentAndOnlyInFlightOnesTwice()
    {
        await SomeSentAsync();

        await _pipeline.Workers[0].KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        AssertMidMailing();
        await _pipeline.StartWorkerAsync();

        var twice = await AllSentOnceExceptInFlightAsync(killedAt);
        // At the provider a worker has at most one send per connection (Sms:MaxConnections, 256) and a few between an
        // answer and its sent marker.
        Assert.True(twice.Count <= 512, $"{twice.Count} messages were sent twice; at most the worker's sends in flight at the provider may be.");
    }

    [Fact]
    public async Task ApiKilledMidMailing_EveryMessageSentAndOnlyInFlightOnesTwice()
    {
        await SomeSentAsync();

        await _pipeline.Api.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        AssertMidMailing();
        await _pipeline.StartApiAsync();

        var twice = await AllSentOnceExceptInFlightAsync(killedAt);
        // TaskApi sends nothing itself, so its death cut no send short. What it can repeat is the outbox batch it had
        // published and not yet marked (at most Outbox:BatchSize records): a copy reaches the worker while its original
        // may still wait there for a connection, past the sent marker's check, and both go out. So a message sent twice
        // is one whose send record is on messages.send twice under the same dispatch number, and there are no more of
        // those than one batch.
        var replayed = (await PipelineKafka.ReadAllAsync<SmsSendItem>(_pipeline.Kafka.BootstrapServers, KafkaTopics.MessagesSend, Timeout))
            .GroupBy(send => (send.MessageId, send.Dispatch)).Where(copies => copies.Count() > 1).Select(copies => copies.Key.MessageId).ToHashSet();
        Assert.Subset(replayed, twice.ToHashSet());
        Assert.True(replayed.Count <= OutboxBatchSize, $"{replayed.Count} send records were published twice; one outbox batch is {OutboxBatchSize}.");
    }

    private Task SomeSentAsync() =>
        Eventually.UntilAsync(() => Task.FromResult(_pipeline.Gateway!.Requests.Count >= 500), Timeout, "500 sends before the kill");

    private void AssertMidMailing() =>
        Assert.True(_pipeline.Gateway!.Requests.Select(r => r.MessageId).Distinct().Count() < Clients, "the kill came before the mailing was sent");

    /// <summary>Waits for the mailing to finish with every message sent; returns the ids the provider received more than once.</summary>
    private async Task<List<long>> AllSentOnceExceptInFlightAsync(DateTimeOffset killedAt)
    {
        await _pipeline.WaitFinishedAsync(_mailingId, Timeout);

        var messages = await _pipeline.MessagesAsync(_mailingId);
        Assert.Equal(_messageIds.Order(), messages.Keys.Order());
        Assert.All(messages.Values, m => Assert.Equal("sent", m.Status));
        var received = _pipeline.Gateway!.Requests.GroupBy(r => r.MessageId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.ReceivedAt).ToList());
        Assert.Equal(_messageIds.Order(), received.Keys.Order());
        var twice = received.Where(r => r.Value.Count > 1).ToList();
        // Only a send the dead process had handed over may be handed over again. Sends it wrote just before it died may
        // still be in the stand-in's sockets and queues when it is gone: a second's margin, far less than the restart takes.
        Assert.All(twice, r => Assert.True(r.Value[0].ReceivedAt <= killedAt.AddSeconds(1),
            $"message {r.Key} was first received at {r.Value[0].ReceivedAt:O}, more than a second after the process was dead ({killedAt:O}), and again"));
        return twice.Select(r => r.Key).ToList();
    }
}
