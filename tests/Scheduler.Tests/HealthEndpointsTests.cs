using System.Net;
using Tasks.Testing;

namespace Scheduler.Tests;

public sealed class HealthEndpointsTests(SchedulerFixture fixture) : IClassFixture<SchedulerFixture>
{
    [Fact]
    public async Task Health_RedisAndKafkaUp_AnswersHealthy()
    {
        var response = await fixture.Scheduler.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_RedisDown_AnswersUnhealthyUntilItIsBack()
    {
        var client = fixture.Scheduler.CreateClient();
        fixture.Redis.Stop();
        try
        {
            var down = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }
        finally
        {
            fixture.Redis.StartAgain();
        }
        await Eventually.UntilAsync(async () => (await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK,
            Schedules.Patience, "/health to answer healthy again");
    }
}
