using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Features.Users;
using TaskApi.Tests.Features.Clients;

namespace TaskApi.Tests.Features.Users;

/// <summary>Each test class has its own database, so the users here are exactly the ones seeded.</summary>
public sealed class ListUsersTests(ListUsersTests.SeededApi api) : IClassFixture<ListUsersTests.SeededApi>
{
    private readonly HttpClient _client = api.Factory.CreateClient();

    /// <summary>25 users whose ids mix letter case, digits, spaces and letters beyond ASCII, so code point order differs from a culture's.</summary>
    public sealed class SeededApi : IAsyncLifetime
    {
        public TaskApiFactory Factory { get; } = new();

        /// <summary>The seeded ids in code point order (ordinal order is the same for these, all in the Basic Multilingual Plane).</summary>
        public List<string> OrderedIds { get; } = [];

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Factory).InitializeAsync();
            string[] ids = ["b", "B", "a", "Z", "ä", "é", "Ω", "日本", "a b", "a-b", "10", "9", "user 1", "user 10", "user 2", "~", "_x", "Ab", "aB", "zz",
                "Émile", "émile", "0", "%2F", "+"];
            OrderedIds.AddRange(ids.Order(StringComparer.Ordinal));
            var now = DateTimeOffset.UtcNow;
            await Factory.WithDbAsync(db =>
            {
                db.Users.AddRange(ids.Select(id => new User { UserId = id, Email = $"{Guid.NewGuid():N}@example.com", CreatedAt = now, UpdatedAt = now }));
                return db.SaveChangesAsync();
            });
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
    }

    [Fact]
    public async Task List_NoParameters_ReturnsTheFirst20InCodePointOrderWithTheNextCursor()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/users");

        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(20, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(25, page.GetProperty("total").GetInt64());
        Assert.False(page.GetProperty("totalCapped").GetBoolean());
        Assert.Equal(api.OrderedIds.Take(20), Ids(page));
        Assert.Equal(api.OrderedIds[19], page.GetProperty("nextAfter").GetString());
    }

    [Fact]
    public async Task List_SecondPage_ReturnsTheNextSlice()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/users?page=2&pageSize=10");

        Assert.Equal(api.OrderedIds.Skip(10).Take(10), Ids(page));
    }

    [Fact]
    public async Task List_LastPartialPage_HasNoNextCursor()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/users?page=3&pageSize=10");

        Assert.Equal(api.OrderedIds.Skip(20), Ids(page));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextAfter").ValueKind);
    }

    [Fact]
    public async Task List_ByCursor_WalksEveryUserOnceInOrder()
    {
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await _client.GetFromJsonAsync<JsonElement>(after is null ? "/users?pageSize=7" : $"/users?pageSize=7&after={Uri.EscapeDataString(after)}");
            Assert.Equal(25, page.GetProperty("total").GetInt64());
            seen.AddRange(Ids(page));
            after = page.GetProperty("nextAfter").GetString();
        }
        while (after is not null);

        Assert.Equal(api.OrderedIds, seen);
    }

    [Fact]
    public async Task List_AfterAnIdNoUserHas_StartsAtTheNextOneInOrder()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/users?pageSize=3&after={Uri.EscapeDataString("a c")}");

        Assert.Equal(api.OrderedIds.Where(id => string.CompareOrdinal(id, "a c") > 0).Take(3), Ids(page));
    }

    [Fact]
    public async Task List_Item_HasEveryFieldOfTheUser()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/users?pageSize=1");

        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(api.OrderedIds[0], item.GetProperty("userId").GetString());
        Assert.EndsWith("@example.com", item.GetProperty("email").GetString());
        Assert.Equal("UTC", item.GetProperty("timezone").GetString());
        Assert.True(item.GetProperty("preferences").GetProperty("inApp").GetBoolean());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("quietHours").ValueKind);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=501", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=1&after=a", "page")]
    [InlineData("after=a%01b", "after")]
    [InlineData("after=a%2Fb", "after")]
    [InlineData("page=x", "page")]
    public async Task List_InvalidQuery_Returns400NamingTheParameter(string query, string field)
    {
        var response = await _client.GetAsync($"/users?{query}");

        await response.ReadFieldErrorsAsync(field);
    }

    private static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userId").GetString()!);
}
