using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.DeadLetters;

[Collection(nameof(DeadLetterApiCollection))]
public sealed class DiscardDeadLetterTests(DeadLetterApi api)
{
    [Fact]
    public async Task Discard_Waiting_MarksItDiscardedByTheOperatorAndNoLongerWaiting()
    {
        var marker = Guid.NewGuid().ToString("N");
        var kept = await api.DeadLetterAsync(KafkaTopics.ReportsDueDeadLetter, "kept", "{}", DeadLetterApi.DeadLetterHeadersOf($"kept {marker}", null));
        var discarded = await api.DeadLetterAsync(KafkaTopics.ReportsDueDeadLetter, "gone", "{}", DeadLetterApi.DeadLetterHeadersOf($"gone {marker}", null));
        var operatorCaller = await api.NewOperatorAsync();

        using var response = await operatorCaller.Http.PostAsync($"/dead-letters/{discarded.Id}/discard", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var detail = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/dead-letters/{discarded.Id}");
        Assert.Equal(("discarded", operatorCaller.Id), (detail.GetProperty("state").GetString(), detail.GetProperty("stateChangedBy").GetString()));
        // The overview's "dead letters waiting" is the total of state=waiting.
        var waiting = await api.ListAsync($"state=waiting&reason={marker}");
        Assert.Equal(1, waiting.GetProperty("total").GetInt64());
        Assert.Equal(kept.Id, Assert.Single(waiting.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(1, (await api.ListAsync($"state=discarded&reason={marker}")).GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("discard")]
    [InlineData("replay")]
    public async Task DiscardThen_AnotherChange_Returns409(string action)
    {
        var deadLetter = await api.RejectedSubmissionAsync($"discarded-{Guid.NewGuid():N}", "discarded first");
        using var discard = await api.CreateClient().PostAsync($"/dead-letters/{deadLetter.Id}/discard", null);
        Assert.Equal(HttpStatusCode.OK, discard.StatusCode);

        using var response = await api.CreateClient().PostAsync($"/dead-letters/{deadLetter.Id}/{action}", null);

        Assert.Contains("discarded already", (await response.ReadProblemAsync(409)).GetProperty("detail").GetString());
    }
}
