using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Clients;

// The generated API client's namespace TaskApi.Client would hide the entity otherwise.
using Client = TaskApi.Features.Clients.Client;

/// <summary>Each test class has its own database, so the clients here are exactly the ones seeded.</summary>
public sealed class ListClientsTests(ListClientsTests.SeededApi api) : IClassFixture<ListClientsTests.SeededApi>
{
    private readonly HttpClient _client = api.Factory.CreateClient();

    /// <summary>25 clients; tags cycle through "vip", "" and "new", operator codes through 900, 916, 925 and 926.</summary>
    public sealed class SeededApi : IAsyncLifetime
    {
        private static readonly string[] Tags = ["vip", "", "new"];
        private static readonly string[] OperatorCodes = ["900", "916", "925", "926"];

        public TaskApiFactory Factory { get; } = new();
        public List<Client> Clients { get; } = [];

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Factory).InitializeAsync();
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < 25; i++)
            {
                Clients.Add(new Client
                {
                    Phone = ClientTesting.NewPhone(OperatorCodes[i % OperatorCodes.Length]),
                    OperatorCode = OperatorCodes[i % OperatorCodes.Length],
                    Tag = Tags[i % Tags.Length],
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }
            await Factory.WithDbAsync(db =>
            {
                db.Clients.AddRange(Clients);
                return db.SaveChangesAsync();
            });
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
    }

    [Fact]
    public async Task List_NoParameters_ReturnsFirstPageOf20ById()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/clients");

        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(20, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(25, page.GetProperty("total").GetInt32());
        Assert.Equal(api.Clients.Select(c => c.Id).Order().Take(20), Ids(page));
    }

    [Fact]
    public async Task List_Item_HasEveryFieldOfTheClient()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/clients?pageSize=1");

        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        var client = api.Clients.MinBy(c => c.Id)!;
        Assert.Equal(client.Phone, item.GetProperty("phone").GetString());
        Assert.Equal(client.OperatorCode, item.GetProperty("operatorCode").GetString());
        Assert.Equal(client.Tag, item.GetProperty("tag").GetString());
        Assert.Equal("UTC", item.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task List_SecondPage_ReturnsTheNextSlice()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/clients?page=2&pageSize=10");

        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(10, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(25, page.GetProperty("total").GetInt32());
        Assert.Equal(api.Clients.Select(c => c.Id).Order().Skip(10).Take(10), Ids(page));
    }

    [Fact]
    public async Task List_PageBeyondTheEnd_ReturnsNoItemsAndTheTotal()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/clients?page=4&pageSize=10");

        Assert.Empty(Ids(page));
        Assert.Equal(25, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("vip")]
    [InlineData("new")]
    [InlineData("")]
    public async Task List_TagFilter_ReturnsOnlyClientsWithExactlyThatTag(string tag)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/clients?tag={tag}&pageSize=100");

        var expected = api.Clients.Where(c => c.Tag == tag).Select(c => c.Id).Order().ToList();
        Assert.Equal(expected, Ids(page));
        Assert.Equal(expected.Count, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_TagThatNoClientHas_ReturnsNothing()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/clients?tag=VIP");

        Assert.Empty(Ids(page));
        Assert.Equal(0, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("900")]
    [InlineData("926")]
    [InlineData("999")]
    public async Task List_OperatorCodeFilter_ReturnsOnlyClientsWithThatCode(string operatorCode)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/clients?operatorCode={operatorCode}&pageSize=100");

        var expected = api.Clients.Where(c => c.OperatorCode == operatorCode).Select(c => c.Id).Order().ToList();
        Assert.Equal(expected, Ids(page));
        Assert.Equal(expected.Count, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_TagAndOperatorCode_ReturnsClientsWithBoth()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/clients?tag=vip&operatorCode=916&pageSize=100");

        var expected = api.Clients.Where(c => c is { Tag: "vip", OperatorCode: "916" }).Select(c => c.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Ids(page));
    }

    [Fact]
    public async Task List_FilteredPages_AreCountedOverTheFilter()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/clients?tag=vip&page=2&pageSize=3");

        var vip = api.Clients.Where(c => c.Tag == "vip").Select(c => c.Id).Order().ToList();
        Assert.Equal(vip.Skip(3).Take(3), Ids(page));
        Assert.Equal(vip.Count, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    public async Task List_PhonePrefix_ReturnsOnlyClientsWhosePhoneStartsWithIt(string plus)
    {
        // The first client's number without its last four digits: the clients of its operator code share it, the others not.
        var prefix = api.Clients[0].Phone[..^4];

        var page = await _client.GetFromJsonAsync<JsonElement>($"/clients?phone={Uri.EscapeDataString(plus + prefix)}&pageSize=100");

        var expected = api.Clients.Where(c => c.Phone.StartsWith(prefix, StringComparison.Ordinal)).Select(c => c.Id).Order().ToList();
        Assert.Contains(api.Clients[0].Id, expected);
        Assert.True(expected.Count < api.Clients.Count);
        Assert.Equal(expected, Ids(page));
        Assert.Equal(expected.Count, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_PhonePrefixAndTag_ReturnsClientsWithBoth()
    {
        var prefix = api.Clients[0].Phone[..^4];

        var page = await _client.GetFromJsonAsync<JsonElement>($"/clients?phone={prefix}&tag=vip&pageSize=100");

        var expected = api.Clients.Where(c => c.Tag == "vip" && c.Phone.StartsWith(prefix, StringComparison.Ordinal)).Select(c => c.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < api.Clients.Count(c => c.Phone.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(expected, Ids(page));
    }

    [Theory]
    [InlineData("phone=", "phone")]
    [InlineData("phone=%2B", "phone")]
    [InlineData("phone=79a", "phone")]
    [InlineData("phone=7%25", "phone")]
    [InlineData("phone=7916123456789012", "phone")]
    [InlineData("operatorCode=90", "operatorCode")]
    [InlineData("operatorCode=9000", "operatorCode")]
    [InlineData("operatorCode=abc", "operatorCode")]
    [InlineData("operatorCode=", "operatorCode")]
    [InlineData("tag=%09", "tag")]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=1000001", "page")]
    [InlineData("page=101&pageSize=100", "page")]
    [InlineData("page=501", "page")]
    [InlineData("after=0", "after")]
    [InlineData("after=5&page=2", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=1.5", "pageSize")]
    public async Task List_InvalidQuery_Returns400NamingTheParameter(string query, string field)
    {
        var response = await _client.GetAsync($"/clients?{query}");

        await response.ReadFieldErrorsAsync(field);
    }

    [Fact]
    public async Task List_TagOver64Characters_Returns400NamingTag()
    {
        var response = await _client.GetAsync($"/clients?tag={new string('x', 65)}");

        await response.ReadFieldErrorsAsync("tag");
    }

    [Fact]
    public async Task List_PageSize100_IsAccepted()
    {
        var response = await _client.GetAsync("/clients?pageSize=100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static List<long> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()).ToList();
}
