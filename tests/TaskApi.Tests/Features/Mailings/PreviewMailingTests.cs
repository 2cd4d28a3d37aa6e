using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Mailings;

/// <summary>The class has its own database, so the clients are exactly the ones seeded.</summary>
public sealed class PreviewMailingTests(PreviewMailingTests.SeededApi api) : IClassFixture<PreviewMailingTests.SeededApi>
{
    private readonly HttpClient _client = api.Factory.CreateClient();

    /// <summary>Ten clients: 3 of operator 900 tagged vip, 2 of 901 tagged vip, 4 of 900 without a tag, 1 of 902 tagged trial.</summary>
    public sealed class SeededApi : IAsyncLifetime
    {
        public TaskApiFactory Factory { get; } = new();

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Factory).InitializeAsync();
            var now = DateTimeOffset.UtcNow;
            (string Code, string Tag, int Count)[] groups = [("900", "vip", 3), ("901", "vip", 2), ("900", "", 4), ("902", "trial", 1)];
            var phone = 79_001_000_000L;
            await Factory.WithDbAsync(db =>
            {
                db.Clients.AddRange(groups.SelectMany(g => Enumerable.Range(0, g.Count).Select(_ => new TaskApi.Features.Clients.Client
                {
                    Phone = (phone++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    OperatorCode = g.Code,
                    Tag = g.Tag,
                    TimeZone = "UTC",
                    CreatedAt = now,
                    UpdatedAt = now,
                })));
                return db.SaveChangesAsync();
            });
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
    }

    [Theory]
    [InlineData("{}", 10)]
    [InlineData("""{"operatorCodes": [], "tags": []}""", 10)]
    [InlineData("""{"operatorCodes": ["900"]}""", 7)]
    [InlineData("""{"operatorCodes": ["900", "900"]}""", 7)]
    [InlineData("""{"tags": ["vip"]}""", 5)]
    [InlineData("""{"tags": [""]}""", 4)]
    [InlineData("""{"operatorCodes": ["900", "901"], "tags": ["vip"]}""", 5)]
    [InlineData("""{"operatorCodes": ["902"], "tags": ["vip", "trial"]}""", 1)]
    [InlineData("""{"operatorCodes": ["903"]}""", 0)]
    public async Task Post_Filter_CountsTheClientsItMatchesNow(string filter, long expected)
    {
        var response = await _client.PostAsync("/mailings/preview", new StringContent(filter, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clients").GetInt64());
    }

    [Fact]
    public async Task Post_ClientAddedMeanwhile_IsCountedAtOnce()
    {
        var filter = new { tags = new[] { "later" } };
        Assert.Equal(0, await CountAsync(filter));
        await api.Factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO clients (phone, operator_code, tag, timezone, created_at, updated_at) VALUES ('79009999999', '900', 'later', 'UTC', now(), now())"));

        Assert.Equal(1, await CountAsync(filter));
    }

    [Theory]
    [InlineData("""{"operatorCodes": ["12a"]}""", "operatorCodes[0]")]
    [InlineData("""{"operatorCodes": [null]}""", "operatorCodes[0]")]
    [InlineData("""{"tags": ["a\u0007b"]}""", "tags[0]")]
    public async Task Post_BadFilter_Returns400NamingTheValue(string filter, string field)
    {
        var response = await _client.PostAsync("/mailings/preview", new StringContent(filter, System.Text.Encoding.UTF8, "application/json"));

        await response.ReadFieldErrorsAsync(field);
    }

    [Fact]
    public async Task Post_TooManyTags_Returns400NamingTags()
    {
        var response = await _client.PostAsJsonAsync("/mailings/preview", new { tags = Enumerable.Range(0, 101).Select(i => $"t{i}") });

        await response.ReadFieldErrorsAsync("tags");
    }

    [Fact]
    public async Task Post_TagLongerThanTheColumn_Returns400NamingIt()
    {
        var response = await _client.PostAsJsonAsync("/mailings/preview", new { tags = new[] { new string('t', 65) } });

        await response.ReadFieldErrorsAsync("tags[0]");
    }

    [Fact]
    public async Task Post_Viewer_MayPreview()
    {
        using var viewer = api.Factory.CreateClient(await api.Factory.Identity.OperatorTokenAsync(Roles.Viewer));

        var response = await viewer.PostAsJsonAsync("/mailings/preview", new { operatorCodes = new[] { "901" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clients").GetInt64());
    }

    private async Task<long> CountAsync(object filter)
    {
        var response = await _client.PostAsJsonAsync("/mailings/preview", filter);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clients").GetInt64();
    }
}
