using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>
/// kill -9 of TaskWorker or TaskApi during a mailing of 5,000 clients: every message ends final and sent, none is lost, and
/// the provider receives each message id once, except those whose send was in flight at the kill.
/// </summary>
public sealed class MailingProcessFailureTests : IAsyncLifetime
{
    private const int Clients = 5000;
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

        await AllSentOnceExceptInFlightAsync(killedAt);
    }

    [Fact]
    public async Task ApiKilledMidMailing_EveryMessageSentAndOnlyInFlightOnesTwice()
    {
        await SomeSentAsync();

        await _pipeline.Api.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        AssertMidMailing();
        await _pipeline.StartApiAsync();

        await AllSentOnceExceptInFlightAsync(killedAt);
    }

    private Task SomeSentAsync() =>
        Eventually.UntilAsync(() => Task.FromResult(_pipeline.Gateway!.Requests.Count >= 500), Timeout, "500 sends before the kill");

    private void AssertMidMailing() =>
        Assert.True(_pipeline.Gateway!.Requests.Select(r => r.MessageId).Distinct().Count() < Clients, "the kill came before the mailing was sent");

    private async Task AllSentOnceExceptInFlightAsync(DateTimeOffset killedAt)
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
        // At the provider a worker has at most one send per connection (Sms:MaxConnections, 256) and a few between an
        // answer and its sent marker.
        Assert.True(twice.Count <= 512, $"{twice.Count} messages were sent twice; at most the worker's sends in flight at the provider may be.");
    }
}
