using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Lists;

/// <summary>Each test class has its own database, so the lists here are exactly the ones seeded.</summary>
public sealed class ListListsTests(ListListsTests.SeededApi api) : IClassFixture<ListListsTests.SeededApi>
{
    private readonly HttpClient _client = api.Factory.CreateClient();

    /// <summary>25 lists; the first has two subscribers, one of them unsubscribed.</summary>
    public sealed class SeededApi : IAsyncLifetime
    {
        public TaskApiFactory Factory { get; } = new();
        public List<long> ListIds { get; } = [];

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Factory).InitializeAsync();
            var client = Factory.CreateClient();
            for (var i = 0; i < 25; i++)
            {
                ListIds.Add(await client.CreateListAsync($"List {i}"));
            }
            var leaving = ListTesting.NewEmail();
            await client.ImportAsync(ListIds[0], new { email = leaving }, new { email = ListTesting.NewEmail() });
            await Factory.WithDbAsync(db => TaskApi.Features.Lists.Unsubscription.UnsubscribeAsync(db, leaving, [ListIds[0]], DateTimeOffset.UtcNow, default));
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
    }

    [Fact]
    public async Task List_NoParameters_ReturnsFirstPageOf20ById()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/lists");

        Assert.Equal((1, 20, 25), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("total").GetInt32()));
        Assert.Equal(api.ListIds.Take(20), ListTesting.Ids(page));
    }

    [Fact]
    public async Task List_SecondPage_ReturnsTheNextSlice()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/lists?page=2&pageSize=10");

        Assert.Equal(api.ListIds.Skip(10).Take(10), ListTesting.Ids(page));
        Assert.Equal(25, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_Items_CarryTheirNamesAndCounts()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/lists?pageSize=2");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(("List 0", 1, 1), (items[0].GetProperty("name").GetString(), items[0].GetProperty("subscribers").GetInt32(), items[0].GetProperty("unsubscribed").GetInt32()));
        Assert.Equal(("List 1", 0, 0), (items[1].GetProperty("name").GetString(), items[1].GetProperty("subscribers").GetInt32(), items[1].GetProperty("unsubscribed").GetInt32()));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=1000001", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=1.5", "pageSize")]
    public async Task List_InvalidQuery_Returns400NamingTheParameter(string query, string field)
    {
        var response = await _client.GetAsync($"/lists?{query}");

        await response.ReadFieldErrorsAsync(field);
    }
}
