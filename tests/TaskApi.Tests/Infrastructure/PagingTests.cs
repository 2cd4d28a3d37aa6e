using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Tests.Features.Clients;

namespace TaskApi.Tests.Infrastructure;

// The generated API client's namespace TaskApi.Client would hide the entity otherwise.
using Client = TaskApi.Features.Clients.Client;

/// <summary>Paging over more items than an offset may skip, shown on <c>GET /clients</c> (every list pages the same way).</summary>
public sealed class PagingTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task List_MoreMatchingThanCounted_ReportsTheCapAsALowerBoundAndPagesOnByCursor()
    {
        var tag = $"deep-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var ids = await api.WithDbAsync(async db =>
        {
            var clients = Enumerable.Range(0, 10_001).Select(_ => new Client { Phone = ClientTesting.NewPhone(), OperatorCode = "900", Tag = tag, CreatedAt = now, UpdatedAt = now }).ToList();
            db.Clients.AddRange(clients);
            await db.SaveChangesAsync();
            return clients.Select(c => c.Id).Order().ToList();
        });

        var first = await _client.GetFromJsonAsync<JsonElement>($"/clients?tag={tag}&pageSize=100");
        var deep = await _client.GetFromJsonAsync<JsonElement>($"/clients?tag={tag}&pageSize=100&after={ids[9_899]}");
        var last = await _client.GetFromJsonAsync<JsonElement>($"/clients?tag={tag}&pageSize=100&after={deep.GetProperty("nextAfter").GetInt64()}");

        // Counted up to 10,000 and said so, rather than scanning every match on every page.
        Assert.Equal((10_000, true), (first.GetProperty("total").GetInt64(), first.GetProperty("totalCapped").GetBoolean()));
        Assert.Equal(ids[99], first.GetProperty("nextAfter").GetInt64());
        Assert.Equal(ids[9_900..10_000], Ids(deep));
        Assert.Equal(ids[9_999], deep.GetProperty("nextAfter").GetInt64());
        Assert.Equal([ids[10_000]], Ids(last));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextAfter").ValueKind);
    }

    [Fact]
    public async Task List_FewerMatchingThanCounted_ReportsTheExactTotal()
    {
        var tag = $"few-{Guid.NewGuid():N}";
        await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone(), tag });

        var page = await _client.GetFromJsonAsync<JsonElement>($"/clients?tag={tag}");

        Assert.Equal((1, false), (page.GetProperty("total").GetInt64(), page.GetProperty("totalCapped").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextAfter").ValueKind);
    }

    private static List<long> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()).ToList();
}
