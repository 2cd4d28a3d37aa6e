using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Tests.Features.Campaigns;
using Tasks.EmailTemplates;

namespace TaskApi.Tests.Features.Tracking;

/// <summary>The unsubscribe link (a confirmation page) and the RFC 8058 one-click POST.</summary>
public sealed class UnsubscribeTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private readonly CampaignScenario _scenario = new(api);
    private readonly TrackingTokens _tokens = api.Services.GetRequiredService<TrackingTokens>();

    private async Task<(long CampaignId, long[] Lists, string Address, long MessageId)> SentToTwoListsAsync()
    {
        var address = CampaignScenario.Addresses(1)[0];
        long[] lists = [await _scenario.AddListAsync(address), await _scenario.AddListAsync(address, "other." + address)];
        var id = await _scenario.CreateAsync(CampaignScenario.Body(await _scenario.AddTemplateAsync(), lists));
        await _scenario.InStatusAsync(id, "sending");
        return (id, lists, address, (await _scenario.EmailsAsync(id)).Single(e => e.Email == address).Id);
    }

    private async Task<string> SubscriberStatusAsync(long list, string address)
    {
        var page = await _scenario.Http.GetFromJsonAsync<JsonElement>($"/lists/{list}/subscribers?pageSize=100");
        return page.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("email").GetString() == address).GetProperty("status").GetString()!;
    }

    [Fact]
    public async Task Get_ShowsAConfirmationPageAndUnsubscribesNobody()
    {
        var (_, lists, address, messageId) = await SentToTwoListsAsync();

        var response = await _scenario.Http.GetAsync($"/u/{_tokens.ForUnsubscribe(messageId)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(address, page);
        Assert.Contains("<form method=\"post\"", page);
        Assert.Equal("subscribed", await SubscriberStatusAsync(lists[0], address));
    }

    [Fact]
    public async Task Post_OneClick_TakesTheAddressOffTheCampaignsListsForGood()
    {
        var (id, lists, address, messageId) = await SentToTwoListsAsync();

        var response = await _scenario.Http.PostAsync($"/u/{_tokens.ForUnsubscribe(messageId)}",
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["unsubscribed", "unsubscribed"], [await SubscriberStatusAsync(lists[0], address), await SubscriberStatusAsync(lists[1], address)]);
        Assert.Equal("subscribed", await SubscriberStatusAsync(lists[1], "other." + address));
        Assert.Equal(1, (await _scenario.StatsAsync(id)).GetProperty("unsubscribed").GetInt32());
        // A second click changes nothing; a later campaign to the same lists leaves the address out.
        Assert.Equal(HttpStatusCode.OK, (await _scenario.Http.PostAsync($"/u/{_tokens.ForUnsubscribe(messageId)}", null)).StatusCode);
        var next = await _scenario.CreateAsync(CampaignScenario.Body(await _scenario.AddTemplateAsync(), lists));
        await _scenario.InStatusAsync(next, "sending");
        Assert.Equal(["other." + address], (await _scenario.EmailsAsync(next)).Select(e => e.Email));
        Assert.Equal(1, (await _scenario.StatsAsync(id)).GetProperty("unsubscribed").GetInt32());
    }

    [Fact]
    public async Task Post_ForgedOrForeignToken_Returns404AndUnsubscribesNobody()
    {
        var (_, lists, address, messageId) = await SentToTwoListsAsync();
        var genuine = _tokens.ForUnsubscribe(messageId);

        foreach (var token in new[] { genuine[..^1] + (genuine[^1] == 'A' ? 'B' : 'A'), _tokens.ForOpen(messageId), "nope" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _scenario.Http.PostAsync($"/u/{token}", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await _scenario.Http.GetAsync($"/u/{token}")).StatusCode);
        }

        Assert.Equal("subscribed", await SubscriberStatusAsync(lists[0], address));
    }

    public void Dispose() => _scenario.Dispose();
}
