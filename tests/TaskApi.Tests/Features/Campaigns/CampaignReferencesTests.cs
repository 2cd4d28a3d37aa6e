namespace TaskApi.Tests.Features.Campaigns;

/// <summary>A template or list a campaign still needs cannot be deleted; once the campaign is done, it can.</summary>
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

    public void Dispose() => _scenario.Dispose();
}
