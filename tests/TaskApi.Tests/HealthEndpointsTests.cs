using System.Net;

namespace TaskApi.Tests;

public sealed class HealthEndpointsTests : IAsyncLifetime
{
    private readonly TaskApiFactory _api = new();

    public Task InitializeAsync() => ((IAsyncLifetime)_api).InitializeAsync();
    public Task DisposeAsync() => ((IAsyncLifetime)_api).DisposeAsync();

    [Fact]
    public async Task Health_DatabaseReachable_Returns200Healthy()
    {
        var response = await _api.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Alive_ProcessRunning_Returns200Healthy()
    {
        var response = await _api.CreateClient().GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_DatabaseGone_Returns503ButAliveStays200()
    {
        var client = _api.CreateClient();

        await _api.Database.DropAsync();

        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }
}
