using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Audit;

/// <summary>
/// <c>GET /audit</c>: every write by an operator or an app at TaskApi, and the identity service's own records, in one
/// log an admin can filter by actor, entity and time.
/// </summary>
public sealed class ListAuditEntriesTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private static readonly TimeSpan Recorded = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task List_AfterAnOperatorsWrite_HasWhoWhatWhichEntityWhenAndFromWhere()
    {
        var before = DateTimeOffset.UtcNow;
        var caller = await api.NewOperatorAsync();
        var created = await caller.Http.PostAsJsonAsync("/tasks", new { name = "audited" });
        var location = created.Headers.Location!.ToString();

        var entry = await SingleEntryAsync($"/audit?entity={location}");

        Assert.Equal(caller.Id, entry.GetProperty("actorId").GetString());
        Assert.Equal(ActorKinds.Operator, entry.GetProperty("actorKind").GetString());
        Assert.StartsWith("owner-", entry.GetProperty("actorName").GetString());
        Assert.Equal("POST /tasks", entry.GetProperty("action").GetString());
        Assert.Equal(location, entry.GetProperty("entity").GetString());
        Assert.Equal(201, entry.GetProperty("status").GetInt32());
        Assert.Equal("127.0.0.1", entry.GetProperty("clientAddress").GetString());
        Assert.Equal("taskapi", entry.GetProperty("source").GetString());
        Assert.InRange(entry.GetProperty("occurredAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task List_AfterAnAppsWriteOfAnExistingEntity_HasTheAppAndThePath()
    {
        var app = await api.NewAppAsync(Scopes.Mailings);
        var client = await (await app.Http.PostAsJsonAsync("/clients", new { phone = "79001112233", timezone = "Europe/Moscow" })).Content.ReadFromJsonAsync<JsonElement>();
        var path = $"/clients/{client.GetProperty("id").GetInt64()}";
        (await app.Http.DeleteAsync(path)).EnsureSuccessStatusCode();

        var entries = await EntriesAsync($"/audit?actor={app.Id}", count: 2);

        Assert.Equal(["DELETE /clients/{id}", "POST /clients"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(ActorKinds.App, e.GetProperty("actorKind").GetString()));
        Assert.All(entries, e => Assert.Equal(path, e.GetProperty("entity").GetString()));
    }

    [Fact]
    public async Task List_AfterReadsAndRefusedWrites_HasNothingOfThem()
    {
        var caller = await api.NewOperatorAsync();
        await caller.Http.GetAsync("/tasks");
        await caller.Http.PostAsJsonAsync("/tasks", new { name = "" });
        // A write after them: once it is in the log, so would they be.
        await caller.Http.PostAsJsonAsync("/tasks", new { name = "the only one" });

        var entries = await EntriesAsync($"/audit?actor={caller.Id}", count: 1);

        Assert.Equal("POST /tasks", Assert.Single(entries).GetProperty("action").GetString());
    }

    [Fact]
    public async Task List_IdentityServiceEvents_AreCopiedInWithTheirSource()
    {
        var app = await api.Identity.RegisterAppAsync(Scopes.Tasks);
        await api.Identity.SendAsAdminAsync(HttpMethod.Patch, $"/apps/{app.Id}", new { disabled = true });

        var entries = await EntriesAsync($"/audit?entity=/apps/{app.Id}", count: 2);

        Assert.Equal(["app.updated", "app.registered"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal("identity", e.GetProperty("source").GetString()));
        Assert.All(entries, e => Assert.Equal(TestIdentity.AdminLogin, e.GetProperty("actorName").GetString()));
    }

    [Fact]
    public async Task List_RefusedSignIn_IsCopiedInUnderTheLoginGiven()
    {
        var login = $"nobody-{Guid.NewGuid():N}";
        await Assert.ThrowsAsync<InvalidOperationException>(() => api.Identity.PasswordTokenAsync(login, "not the password at all"));

        var entry = await SingleEntryAsync($"/audit?actor={login}");

        Assert.Equal("sign_in.refused", entry.GetProperty("action").GetString());
        Assert.Equal(ActorKinds.Anonymous, entry.GetProperty("actorKind").GetString());
    }

    [Fact]
    public async Task List_FromAndTo_KeepOnlyEntriesInBetween()
    {
        var caller = await api.NewOperatorAsync();
        await caller.Http.PostAsJsonAsync("/tasks", new { name = "early" });
        await EntriesAsync($"/audit?actor={caller.Id}", count: 1);
        var between = DateTimeOffset.UtcNow;
        await caller.Http.PostAsJsonAsync("/tasks", new { name = "late" });
        await EntriesAsync($"/audit?actor={caller.Id}", count: 2);

        var after = await EntriesAsync($"/audit?actor={caller.Id}&from={Iso(between)}", count: 1);
        var before = await EntriesAsync($"/audit?actor={caller.Id}&to={Iso(between)}", count: 1);

        Assert.True(after[0].GetProperty("occurredAt").GetDateTimeOffset() >= between);
        Assert.True(before[0].GetProperty("occurredAt").GetDateTimeOffset() < between);
    }

    [Fact]
    public async Task List_ToNotAfterFrom_Returns400NamingTo()
    {
        using var admin = api.CreateClient(await api.Identity.OperatorTokenAsync(Roles.Admin));

        var response = await admin.GetAsync("/audit?from=2026-12-06T10:00:00Z&to=2026-12-06T09:00:00Z");

        await response.ReadFieldErrorsAsync("to");
    }

    [Theory]
    [InlineData("from=0001-01-01T00:00:00Z", "from")]
    [InlineData("to=9999-12-31T23:59:59Z", "to")]
    [InlineData("from=9999-12-31T23:59:59-01:00", "from")]
    public async Task List_TimeAtTheEndsOfTheCalendar_Returns400NamingIt(string query, string field)
    {
        using var admin = api.CreateClient(await api.Identity.OperatorTokenAsync(Roles.Admin));

        var response = await admin.GetAsync($"/audit?{query.Replace("+", "%2B")}");

        await response.ReadFieldErrorsAsync(field);
    }

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    private async Task<JsonElement> SingleEntryAsync(string query) => Assert.Single(await EntriesAsync(query, count: 1));

    /// <summary>The entries of the query once there are <paramref name="count"/> (entries are written in batches, moments after the request).</summary>
    private async Task<IReadOnlyList<JsonElement>> EntriesAsync(string query, int count)
    {
        using var admin = api.CreateClient(await api.Identity.OperatorTokenAsync(Roles.Admin));
        return await Eventually.GetAsync(async () =>
        {
            var page = await admin.GetFromJsonAsync<JsonElement>(query);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            return items.Count >= count ? items : null;
        }, Recorded, $"{count} audit entries at {query}");
    }
}
