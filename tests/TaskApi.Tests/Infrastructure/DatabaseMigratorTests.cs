using System.Net;
using Tasks.Testing;
using Tasks.ApiDefaults;

namespace TaskApi.Tests.Infrastructure;

public sealed class DatabaseMigratorTests
{
    /// <summary>An API instance over a database of the test's choosing.</summary>
    private sealed class ApiOn : TaskApiFactory
    {
        public ApiOn(string connectionString) => Settings["ConnectionStrings:tasksdb"] = connectionString;
    }

    [Fact]
    public async Task Start_TwoInstancesOnOneFreshDatabase_BothMigrateAndServe()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var first = new ApiOn(database.ConnectionString);
        await using var second = new ApiOn(database.ConnectionString);

        await Task.WhenAll(
            Task.Run(() => ((IAsyncLifetime)first).InitializeAsync()),
            Task.Run(() => ((IAsyncLifetime)second).InitializeAsync()));

        Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().GetAsync("/health")).StatusCode);
    }
}
