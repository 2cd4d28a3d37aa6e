using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TaskApi.Features.Lists;
using TaskApi.Infrastructure;

namespace TaskApi.Tests.Features.Lists;

/// <summary>Each test class has its own database, so the subscribers here are exactly the ones seeded.</summary>
public sealed class ListSubscribersTests(ListSubscribersTests.SeededApi api) : IClassFixture<ListSubscribersTests.SeededApi>
{
    private readonly HttpClient _client = api.Factory.CreateClient();

    /// <summary>A list of 25 subscribers, every third one unsubscribed, and another list with one subscriber.</summary>
    public sealed class SeededApi : IAsyncLifetime
    {
        public TaskApiFactory Factory { get; } = new();
        public long ListId { get; private set; }
        public long OtherListId { get; private set; }
        public List<Subscriber> Subscribers { get; private set; } = [];

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Factory).InitializeAsync();
            var client = Factory.CreateClient();
            ListId = await client.CreateListAsync("Seeded");
            OtherListId = await client.CreateListAsync("Other");
            var emails = Enumerable.Range(0, 25).Select(_ => ListTesting.NewEmail()).ToList();
            await client.ImportAsync(ListId, emails.Select((email, i) => (object)new { email, name = $"Reader {i}", fields = new { rank = i } }).ToArray());
            await client.ImportAsync(OtherListId, new { email = ListTesting.NewEmail() });
            foreach (var email in emails.Where((_, i) => i % 3 == 0))
            {
                await Factory.WithDbAsync(db => Unsubscription.UnsubscribeAsync(db, email, [ListId], DateTimeOffset.UtcNow, default));
            }
            Subscribers = await Factory.SubscribersAsync(ListId);
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
    }

    [Fact]
    public async Task List_NoParameters_ReturnsTheFirst20OfTheListById()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/lists/{api.ListId}/subscribers");

        Assert.Equal((1, 20, 25), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("total").GetInt32()));
        Assert.Equal(api.Subscribers.Select(s => s.Id).Take(20), ListTesting.Ids(page));
    }

    [Fact]
    public async Task List_Items_HaveEveryFieldOfTheirSubscribers()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/lists/{api.ListId}/subscribers?pageSize=100");

        foreach (var (item, subscriber) in page.GetProperty("items").EnumerateArray().Zip(api.Subscribers))
        {
            Assert.Equal(subscriber.Id, item.GetProperty("id").GetInt64());
            Assert.Equal(subscriber.Email, item.GetProperty("email").GetString());
            Assert.Equal(subscriber.Name, item.GetProperty("name").GetString());
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(subscriber.Fields), JsonNode.Parse(item.GetProperty("fields").GetRawText())));
            Assert.Equal(StatusNames<SubscriberStatus>.Of(subscriber.Status), item.GetProperty("status").GetString());
            Assert.Equal(subscriber.UnsubscribedAt, item.GetProperty("unsubscribedAt").Deserialize<DateTimeOffset?>());
            Assert.Equal(subscriber.CreatedAt, item.GetProperty("createdAt").GetDateTimeOffset());
            Assert.Equal(subscriber.UpdatedAt, item.GetProperty("updatedAt").GetDateTimeOffset());
        }
        Assert.Contains(api.Subscribers, s => s.Status == SubscriberStatus.Unsubscribed && s.UnsubscribedAt is not null);
    }

    [Fact]
    public async Task List_SecondPage_ReturnsTheNextSlice()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/lists/{api.ListId}/subscribers?page=2&pageSize=10");

        Assert.Equal(api.Subscribers.Select(s => s.Id).Skip(10).Take(10), ListTesting.Ids(page));
    }

    [Theory]
    [InlineData("subscribed", SubscriberStatus.Subscribed)]
    [InlineData("unsubscribed", SubscriberStatus.Unsubscribed)]
    public async Task List_StatusFilter_ReturnsOnlySubscribersInThatStatus(string status, SubscriberStatus expected)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/lists/{api.ListId}/subscribers?status={status}&pageSize=100");

        var ids = api.Subscribers.Where(s => s.Status == expected).Select(s => s.Id).ToList();
        Assert.Equal(ids, ListTesting.Ids(page));
        Assert.Equal(ids.Count, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_FilteredPages_AreCountedOverTheFilter()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/lists/{api.ListId}/subscribers?status=unsubscribed&page=2&pageSize=3");

        var unsubscribed = api.Subscribers.Where(s => s.Status == SubscriberStatus.Unsubscribed).Select(s => s.Id).ToList();
        Assert.Equal(unsubscribed.Skip(3).Take(3), ListTesting.Ids(page));
        Assert.Equal(unsubscribed.Count, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_OtherList_ReturnsOnlyItsOwnSubscribers()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/lists/{api.OtherListId}/subscribers");

        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.DoesNotContain(Assert.Single(ListTesting.Ids(page)), api.Subscribers.Select(s => s.Id));
    }

    [Fact]
    public async Task List_UnknownList_Returns404Problem()
    {
        var response = await _client.GetAsync("/lists/987654321/subscribers");

        await response.ReadProblemAsync(404);
    }

    [Theory]
    [InlineData("status=Subscribed", "status")]
    [InlineData("status=active", "status")]
    [InlineData("status=", "status")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=x", "pageSize")]
    public async Task List_InvalidQuery_Returns400NamingTheParameter(string query, string field)
    {
        var response = await _client.GetAsync($"/lists/{api.ListId}/subscribers?{query}");

        await response.ReadFieldErrorsAsync(field);
    }

    [Fact]
    public async Task List_IdThatIsNotAnInteger_Returns400NamingId()
    {
        var response = await _client.GetAsync("/lists/abc/subscribers");

        await response.ReadFieldErrorsAsync("id");
    }

    [Fact]
    public async Task SubscribedOfSeveralLists_AsACampaignReadsThem_UseTheListIdStatusIndex()
    {
        await using var connection = new NpgsqlConnection(api.Factory.Database.ConnectionString);
        await connection.OpenAsync();
        // As the planner would for lists of 100,000 subscribers, rather than reading a few pages of a small table.
        await using (var noSeqScan = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await noSeqScan.ExecuteNonQueryAsync();
        }
        await using var explain = new NpgsqlCommand("EXPLAIN SELECT email, name, fields FROM subscribers WHERE list_id = ANY(@lists) AND status = @status", connection)
        {
            Parameters =
            {
                new("lists", new[] { api.ListId, api.OtherListId }),
                new("status", StatusNames<SubscriberStatus>.Of(SubscriberStatus.Subscribed)),
            },
        };

        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        Assert.Contains(plan, line => line.Contains("ix_subscribers_list_id_status_id"));
    }
}
