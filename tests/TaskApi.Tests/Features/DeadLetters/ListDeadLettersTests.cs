using System.Text.Json;
using Tasks.Shared;

namespace TaskApi.Tests.Features.DeadLetters;

[Collection(nameof(DeadLetterApiCollection))]
public sealed class ListDeadLettersTests(DeadLetterApi api)
{
    [Fact]
    public async Task Get_TopicFilter_MatchesTheSourceTopicOrTheDeadLetterTopic()
    {
        var marker = Guid.NewGuid().ToString("N");
        var work = await api.DeadLetterAsync(KafkaTopics.TaskWorkDeadLetter, "w", "{}", DeadLetterApi.DeadLetterHeadersOf($"work {marker}", $"{KafkaTopics.TaskWork}/0/1"));
        var sms = await api.DeadLetterAsync(KafkaTopics.MessagesSendDeadLetter, "s", "{}", DeadLetterApi.DeadLetterHeadersOf($"sms {marker}", $"{KafkaTopics.MessagesSend}/0/1"));

        Assert.Equal([work.Id], await IdsAsync($"topic={KafkaTopics.TaskWork}&reason={marker}"));
        Assert.Equal([sms.Id], await IdsAsync($"topic={KafkaTopics.MessagesSendDeadLetter}&reason={marker}"));
        Assert.Empty(await IdsAsync($"topic={KafkaTopics.TaskStatus}&reason={marker}"));
    }

    [Fact]
    public async Task Get_ReasonFilter_IsACaseInsensitiveSubstringWithoutWildcards()
    {
        var marker = Guid.NewGuid().ToString("N");
        var underscore = await api.DeadLetterAsync(KafkaTopics.TaskWorkDeadLetter, "u", "{}", DeadLetterApi.DeadLetterHeadersOf($"Field A_{marker} is bad", null));
        var letter = await api.DeadLetterAsync(KafkaTopics.TaskWorkDeadLetter, "l", "{}", DeadLetterApi.DeadLetterHeadersOf($"Field AB{marker} is bad", null));

        Assert.Equal([letter.Id, underscore.Id], await IdsAsync($"reason={marker.ToUpperInvariant()}"));
        // '_' is LIKE's any-character: escaped, it matches only itself.
        Assert.Equal([underscore.Id], await IdsAsync($"reason=a_{marker}"));
        Assert.Empty(await IdsAsync($"reason=%25{marker}x"));
    }

    [Fact]
    public async Task Get_Paged_NewestFirstWithTheTotal()
    {
        var marker = Guid.NewGuid().ToString("N");
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await api.DeadLetterAsync(KafkaTopics.EmailsSendDeadLetter, $"k{i}", "{}", DeadLetterApi.DeadLetterHeadersOf($"{i} {marker}", null))).Id);
        }

        var first = await api.ListAsync($"reason={marker}&pageSize=2");
        var second = await api.ListAsync($"reason={marker}&pageSize=2&page=2");

        Assert.Equal([ids[2], ids[1]], Ids(first));
        Assert.Equal([ids[0]], Ids(second));
        Assert.Equal((3, false), (first.GetProperty("total").GetInt64(), first.GetProperty("totalCapped").GetBoolean()));
    }

    [Theory]
    [InlineData("topic=not%20a%20topic", "topic")]
    [InlineData("topic=tasks.work%2F0", "topic")]
    [InlineData("reason=%00", "reason")]
    [InlineData("state=lost", "state")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task Get_BadQueryValue_Returns400NamingTheField(string query, string field)
    {
        using var response = await api.CreateClient().GetAsync($"/dead-letters?{query}");

        await response.ReadFieldErrorsAsync(field);
    }

    [Fact]
    public async Task Get_ReasonLongerThan200_Returns400NamingIt()
    {
        using var response = await api.CreateClient().GetAsync($"/dead-letters?reason={new string('r', 201)}");

        Assert.Contains("200", Assert.Single(await response.ReadFieldErrorsAsync("reason")));
    }

    private async Task<List<long>> IdsAsync(string query) => Ids(await api.ListAsync(query));

    private static List<long> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
}
