using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.DeadLetters;

[Collection(nameof(DeadLetterApiCollection))]
public sealed class ReplayDeadLetterTests(DeadLetterApi api)
{
    [Fact]
    public async Task Replay_SubmissionWhoseCauseWasFixed_IsProcessedAndMarkedReplayedByTheOperator()
    {
        var key = $"replayed-{Guid.NewGuid():N}";
        var deadLetter = await api.RejectedSubmissionAsync(key, "fixed since", ("x-origin", "billing"u8.ToArray()));
        var operatorCaller = await api.NewOperatorAsync();

        using var response = await operatorCaller.Http.PostAsync($"/dead-letters/{deadLetter.Id}/replay", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("replayed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        // TaskApi's own tasks.requests consumer takes the record this time: the task exists, under the original key.
        var task = await Eventually.GetAsync(() => api.WithDbAsync(db => db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.IdempotencyKey == key)),
            DeadLetterApi.Timeout, "the replayed submission's task");
        Assert.Equal("fixed since", task.Name);
        var detail = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/dead-letters/{deadLetter.Id}");
        Assert.Equal(("replayed", operatorCaller.Id), (detail.GetProperty("state").GetString(), detail.GetProperty("stateChangedBy").GetString()));
        Assert.False(detail.GetProperty("replayable").GetBoolean());
        // Published with its original headers, not the dead-letter ones.
        var replayed = await PipelineKafka.ReadKeyedAsync(api.Kafka.BootstrapServers, KafkaTopics.TaskRequests, key, DeadLetterApi.Timeout);
        Assert.Equal("billing", replayed.Header("x-origin"));
        Assert.Null(replayed.Header(DeadLetterHeaders.Reason));
        // Who replayed it is in the audit log.
        await Eventually.UntilAsync(() => api.WithDbAsync(db => db.AuditEntries.AnyAsync(e =>
            e.ActorId == operatorCaller.Id && e.Action == "POST /dead-letters/{id}/replay" && e.Entity == $"/dead-letters/{deadLetter.Id}/replay")),
            DeadLetterApi.Timeout, "the replay's audit entry");
    }

    [Fact]
    public async Task Replay_Again_Returns409AndPublishesNothingMore()
    {
        var key = $"twice-{Guid.NewGuid():N}";
        var deadLetter = await api.RejectedSubmissionAsync(key, "replayed twice");
        using var first = await api.CreateClient().PostAsync($"/dead-letters/{deadLetter.Id}/replay", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await api.CreateClient().PostAsync($"/dead-letters/{deadLetter.Id}/replay", null);

        var problem = await second.ReadProblemAsync(409);
        Assert.Contains("replayed already", problem.GetProperty("detail").GetString());
        Assert.Equal(1, await OutboxRecordsKeyedAsync(key));
    }

    [Fact]
    public async Task Replay_TwoAtOnce_OneReplaysAndTheOtherGets409()
    {
        var key = $"at-once-{Guid.NewGuid():N}";
        var deadLetter = await api.RejectedSubmissionAsync(key, "replayed at once");

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => api.CreateClient().PostAsync($"/dead-letters/{deadLetter.Id}/replay", null)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        Assert.Equal(1, await OutboxRecordsKeyedAsync(key));
    }

    [Fact]
    public async Task Replay_TruncatedCopy_Returns409()
    {
        var deadLetter = await api.DeadLetterAsync(KafkaTopics.TaskWorkDeadLetter, "big", "{\"cut",
        [
            .. DeadLetterApi.DeadLetterHeadersOf("Too large.", $"{KafkaTopics.TaskWork}/1/7"),
            (DeadLetterHeaders.Truncated, "true"u8.ToArray()),
            (DeadLetterHeaders.OriginalSize, "2000000"u8.ToArray()),
        ]);
        var detail = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/dead-letters/{deadLetter.Id}");
        Assert.Equal((true, 2_000_000L), (detail.GetProperty("truncated").GetBoolean(), detail.GetProperty("originalSize").GetInt64()));

        using var response = await api.CreateClient().PostAsync($"/dead-letters/{deadLetter.Id}/replay", null);

        var problem = await response.ReadProblemAsync(409);
        Assert.Contains("truncated copy", problem.GetProperty("detail").GetString());
        Assert.Contains($"{KafkaTopics.TaskWork}/1/7", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null, "where it came from is unknown")]
    [InlineData("someone.elses.topic/0/1", "not one of the system's topics")]
    [InlineData("tasks.work.dlq/0/1", "not one of the system's topics")]
    [InlineData("tasks.work/zero/1", "where it came from is unknown")]
    public async Task Replay_SourceUnknownOrNotOurs_Returns409(string? source, string detail)
    {
        var deadLetter = await api.DeadLetterAsync(KafkaTopics.TaskWorkDeadLetter, "k", "{}", DeadLetterApi.DeadLetterHeadersOf("Unreadable.", source));

        using var response = await api.CreateClient().PostAsync($"/dead-letters/{deadLetter.Id}/replay", null);

        Assert.Contains(detail, (await response.ReadProblemAsync(409)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("discard")]
    public async Task ReplayOrDiscard_ByAViewer_Returns403AndTheDeadLetterStaysWaiting(string action)
    {
        var deadLetter = await api.RejectedSubmissionAsync($"viewer-{Guid.NewGuid():N}", "not for viewers");
        using var viewer = api.CreateClient(await api.Identity.OperatorTokenAsync(Roles.Viewer));

        using var response = await viewer.PostAsync($"/dead-letters/{deadLetter.Id}/{action}", null);

        await response.ReadProblemAsync(403);
        var detail = await viewer.GetFromJsonAsync<JsonElement>($"/dead-letters/{deadLetter.Id}");
        Assert.Equal("waiting", detail.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Replay_ByAnAppWithEveryScope_Returns403()
    {
        var app = await api.NewAppAsync(Scopes.Tasks, Scopes.Mailings, Scopes.Campaigns, Scopes.Notifications);
        var deadLetter = await api.RejectedSubmissionAsync($"app-{Guid.NewGuid():N}", "not for apps");

        using var response = await app.Http.PostAsync($"/dead-letters/{deadLetter.Id}/replay", null);

        await response.ReadProblemAsync(403);
    }

    private Task<int> OutboxRecordsKeyedAsync(string key)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        return api.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Topic == KafkaTopics.TaskRequests && m.Key == keyBytes));
    }
}
