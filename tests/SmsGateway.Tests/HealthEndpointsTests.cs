using System.Net;

namespace SmsGateway.Tests;

public sealed class HealthEndpointsTests
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Probe_Running_Answers200Healthy(string path)
    {
        using var gateway = GatewayHost.Start();

        var response = await gateway.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
