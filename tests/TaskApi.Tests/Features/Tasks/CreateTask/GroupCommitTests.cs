using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.Tasks;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Tasks.CreateTask;

/// <summary>Concurrent POSTs are written together, and each still gets its own answer.</summary>
public sealed class GroupCommitTests(GroupCommitTests.OneStatementAtATime api) : IClassFixture<GroupCommitTests.OneStatementAtATime>
{
    /// <summary>One statement in flight, so requests arriving meanwhile must gather into the next one.</summary>
    public sealed class OneStatementAtATime : TaskApiFactory
    {
        public OneStatementAtATime() => Settings["GroupCommit:MaxConcurrentBatches"] = "1";
    }

    [Fact]
    public async Task Post_ManyAtOnce_AreWrittenByFewerStatementsAndEachGetsItsOwnTask()
    {
        const int requests = 200;
        using var batches = new InstrumentRecorder(api.Services.GetRequiredService<IMeterFactory>(), TaskMetrics.GroupCommitBatchInstrument);
        var client = api.CreateClient();
        var run = Guid.NewGuid().ToString("N");

        // Every fourth request shares its key with the one before: one of each pair creates, the other gets that task.
        var responses = await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { name = $"{run} {i}" }) };
            request.Headers.Add("Idempotency-Key", $"{run}-{(i % 4 == 3 ? i - 1 : i)}");
            var response = await client.SendAsync(request);
            return (Index: i, response.StatusCode, Task: await response.Content.ReadFromJsonAsync<JsonElement>());
        }));

        Assert.Equal(requests, batches.Total);
        Assert.InRange(batches.Count, 1, requests / 2);
        foreach (var pair in responses.GroupBy(r => r.Index % 4 == 3 ? r.Index - 1 : r.Index))
        {
            Assert.Single(pair, r => r.StatusCode == HttpStatusCode.Created);
            Assert.All(pair, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{r.Index}: {r.StatusCode}"));
            Assert.Single(pair.Select(r => r.Task.GetProperty("id").GetGuid()).Distinct());
        }
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.Created),
            r => Assert.Equal($"{run} {r.Index}", r.Task.GetProperty("name").GetString()));
        var stored = await api.WithDbAsync(db => db.Tasks.CountAsync(t => t.Name.StartsWith(run)));
        Assert.Equal(requests - requests / 4, stored);
        Assert.Equal(stored, await api.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }
}
