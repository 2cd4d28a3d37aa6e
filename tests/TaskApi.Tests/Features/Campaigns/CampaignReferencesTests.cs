using System.Net.Http.Json;
using Npgsql;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Campaigns;

/// <summary>
/// A template or list a campaign still needs cannot be deleted; once the campaign is done, it can. A deletion and a
/// campaign's creation at the same moment wait for each other, and the second sees what the first did.
/// </summary>
public sealed class CampaignReferencesTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private readonly CampaignScenario _scenario = new(api);

    [Fact]
    public async Task Delete_TemplateAndListOfAScheduledCampaign_Return409UntilItIsCancelled()
    {
        var template = await _scenario.AddTemplateAsync();
        var list = await _scenario.AddListAsync(CampaignScenario.Addresses(1));
        var id = await _scenario.CreateAsync(CampaignScenario.Body(template, [list], DateTimeOffset.UtcNow.AddHours(1)));

        await (await _scenario.Http.DeleteAsync($"/templates/{template}")).ReadProblemAsync(409);
        await (await _scenario.Http.DeleteAsync($"/lists/{list}")).ReadProblemAsync(409);
        await _scenario.Http.DeleteAsync($"/campaigns/{id}");

        Assert.Equal(204, (int)(await _scenario.Http.DeleteAsync($"/templates/{template}")).StatusCode);
        Assert.Equal(204, (int)(await _scenario.Http.DeleteAsync($"/lists/{list}")).StatusCode);
    }

    [Fact]
    public async Task Delete_TemplateOfASendingCampaign_Returns409()
    {
        var template = await _scenario.AddTemplateAsync();
        var id = await _scenario.CreateAsync(CampaignScenario.Body(template, [await _scenario.AddListAsync(CampaignScenario.Addresses(1))]));
        await _scenario.InStatusAsync(id, "sending");

        await (await _scenario.Http.DeleteAsync($"/templates/{template}")).ReadProblemAsync(409);
    }

    [Fact]
    public async Task Create_ListDeletedWhileTheCampaignWaitsForIt_Returns400NamingTheList()
    {
        var template = await _scenario.AddTemplateAsync();
        var list = await _scenario.AddListAsync(CampaignScenario.Addresses(1));
        // What DELETE /lists/{id} does: lock the row, find no campaign using it, delete it, commit.
        await using var deletion = await BeginAsync();
        await ExecuteAsync(deletion, $"SELECT id FROM subscriber_lists WHERE id = {list} FOR UPDATE");

        var creating = _scenario.Http.PostAsJsonAsync("/campaigns", CampaignScenario.Body(template, [list]));
        await WaitedForAsync("subscriber_lists");
        await ExecuteAsync(deletion, $"DELETE FROM subscriber_lists WHERE id = {list}");
        await deletion.Transaction.CommitAsync();

        var problem = await (await creating).ReadProblemAsync(400);
        Assert.Equal([$"No list has id {list}."], problem.GetProperty("errors").GetProperty("listIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("templates", "email_templates", "template_id = {0}")]
    [InlineData("lists", "subscriber_lists", "list_ids = ARRAY[{0}]::bigint[]")]
    public async Task Delete_WhileACampaignIsCreatedWithIt_WaitsAndReturns409(string resource, string table, string reference)
    {
        var template = await _scenario.AddTemplateAsync();
        var list = await _scenario.AddListAsync(CampaignScenario.Addresses(1));
        var campaign = await _scenario.CreateAsync(CampaignScenario.Body(
            await _scenario.AddTemplateAsync(), [await _scenario.AddListAsync(CampaignScenario.Addresses(1))], DateTimeOffset.UtcNow.AddHours(1)));
        var target = resource == "templates" ? template : list;
        // What POST /campaigns does with what it refers to: lock the row FOR SHARE, store the campaign, commit. Here an
        // existing scheduled campaign is pointed at the row in that transaction.
        await using var creation = await BeginAsync();
        await ExecuteAsync(creation, $"SELECT id FROM {table} WHERE id = {target} FOR SHARE");
        await ExecuteAsync(creation, $"UPDATE campaigns SET {string.Format(reference, target)} WHERE id = {campaign}");

        var deleting = _scenario.Http.DeleteAsync($"/{resource}/{target}");
        await WaitedForAsync(table);
        await creation.Transaction.CommitAsync();

        await (await deleting).ReadProblemAsync(409);
    }

    public void Dispose() => _scenario.Dispose();

    private async Task<Session> BeginAsync()
    {
        var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        return new Session(connection, await connection.BeginTransactionAsync());
    }

    private static async Task ExecuteAsync(Session session, string sql)
    {
        await using var command = new NpgsqlCommand(sql, session.Connection, session.Transaction);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Until a statement of the API on <paramref name="table"/> waits for a row lock.</summary>
    private Task WaitedForAsync(string table) => Eventually.UntilAsync(async () =>
    {
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || @table || '%'", connection);
        command.Parameters.AddWithValue("table", table);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }, CampaignScenario.Timeout, $"a statement on {table} to wait for the row lock");

    /// <summary>A transaction of another client of the database, holding its locks until committed or disposed.</summary>
    private sealed record Session(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
