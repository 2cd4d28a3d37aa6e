using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TaskApi.Features.Campaigns;
using TaskApi.Tests.Features.Campaigns;
using Tasks.EmailTemplates;

namespace TaskApi.Tests.Features.Tracking;

/// <summary>The open pixel and the tracked links, with tokens signed by the API's own key (as TaskWorker signs them).</summary>
public sealed class TrackingTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IDisposable
{
    private readonly CampaignScenario _scenario = new(api);
    private readonly TrackingTokens _tokens = api.Services.GetRequiredService<TrackingTokens>();

    private HttpClient NoRedirects() => new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _scenario.Http.BaseAddress };

    [Fact]
    public async Task Open_SignedToken_AnswersAnUncachedGifAndRecordsEachOpen()
    {
        var (id, emails) = await _scenario.SendingAsync(2);
        var before = DateTimeOffset.UtcNow;

        var first = await _scenario.Http.GetAsync($"/t/o/{_tokens.ForOpen(emails[0].Id)}.gif");
        await _scenario.Http.GetAsync($"/t/o/{_tokens.ForOpen(emails[0].Id)}.gif");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/gif", first.Content.Headers.ContentType?.MediaType);
        Assert.True(first.Headers.CacheControl?.NoStore);
        var gif = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal("GIF89a"u8.ToArray(), gif[..6]);
        Assert.Equal((1, 1), (gif[6] | gif[7] << 8, gif[8] | gif[9] << 8));
        var opened = await _scenario.EmailAsync(emails[0].Id);
        Assert.Equal(2, opened.Opens);
        Assert.InRange(opened.FirstOpenedAt!.Value, before.AddMilliseconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal((0, (DateTimeOffset?)null), ((await _scenario.EmailAsync(emails[1].Id)).Opens, (await _scenario.EmailAsync(emails[1].Id)).FirstOpenedAt));
        var stats = await _scenario.StatsAsync(id);
        Assert.Equal((1, 2L), (stats.GetProperty("opened").GetInt32(), stats.GetProperty("opens").GetInt64()));
    }

    [Fact]
    public async Task Open_ForgedOrForeignToken_AnswersTheSameGifAndRecordsNothing()
    {
        var (_, emails) = await _scenario.SendingAsync(1);
        var genuine = _tokens.ForOpen(emails[0].Id);
        var signedByAnotherKey = new TrackingTokens(new byte[32]).ForOpen(emails[0].Id);
        string[] forged =
        [
            genuine[..^1] + (genuine[^1] == 'A' ? 'B' : 'A'),
            signedByAnotherKey,
            _tokens.ForClick(emails[0].Id, "https://example.com/"),
            _tokens.ForUnsubscribe(emails[0].Id),
            "x",
            new string('A', 3000),
        ];
        var pixel = await (await _scenario.Http.GetAsync($"/t/o/{genuine}.gif")).Content.ReadAsByteArrayAsync();
        var opensAfterGenuine = (await _scenario.EmailAsync(emails[0].Id)).Opens;

        foreach (var token in forged)
        {
            var response = await _scenario.Http.GetAsync($"/t/o/{token}.gif");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(pixel, await response.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal((1, 1), (opensAfterGenuine, (await _scenario.EmailAsync(emails[0].Id)).Opens));
    }

    [Fact]
    public async Task Open_BurstOfConcurrentOpens_RecordsEveryOne()
    {
        var (id, emails) = await _scenario.SendingAsync(10);
        using var http = NoRedirects();

        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var response = await http.GetAsync($"/t/o/{_tokens.ForOpen(emails[i % 10].Id)}.gif", ct);
            response.EnsureSuccessStatusCode();
        });

        Assert.All(await _scenario.EmailsAsync(id), e => Assert.Equal(100, e.Opens));
    }

    [Fact]
    public async Task Click_SignedToken_RedirectsToTheLinkAndRecordsTheClick()
    {
        var (id, emails) = await _scenario.SendingAsync(1);
        using var http = NoRedirects();

        var response = await http.GetAsync($"/t/c/{_tokens.ForClick(emails[0].Id, "https://shop.example.com/sale?utm=mail&x=1")}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://shop.example.com/sale?utm=mail&x=1", response.Headers.Location?.OriginalString);
        var clicked = await _scenario.EmailAsync(emails[0].Id);
        Assert.Equal(1, clicked.Clicks);
        Assert.NotNull(clicked.FirstClickedAt);
        var stats = await _scenario.StatsAsync(id);
        Assert.Equal((1, 1L), (stats.GetProperty("clicked").GetInt32(), stats.GetProperty("clicks").GetInt64()));
    }

    [Theory]
    [InlineData("https://shop.example.com/распродажа?q=скидка&x=1#верх", "https://shop.example.com/%D1%80%D0%B0%D1%81%D0%BF%D1%80%D0%BE%D0%B4%D0%B0%D0%B6%D0%B0?q=%D1%81%D0%BA%D0%B8%D0%B4%D0%BA%D0%B0&x=1#%D0%B2%D0%B5%D1%80%D1%85")]
    [InlineData("https://магазин.рф/sale", "https://xn--80aairftm.xn--p1ai/sale")]
    [InlineData("https://shop.example.com/a b?q=1 2", "https://shop.example.com/a%20b?q=1%202")]
    public async Task Click_LinkWithNonAsciiCharacters_RedirectsToItPercentEncoded(string link, string location)
    {
        var (_, emails) = await _scenario.SendingAsync(1);
        using var http = NoRedirects();

        var response = await http.GetAsync($"/t/c/{_tokens.ForClick(emails[0].Id, link)}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        Assert.Equal(1, (await _scenario.EmailAsync(emails[0].Id)).Clicks);
    }

    [Fact]
    public async Task Click_ForgedOrForeignToken_Returns404AndRedirectsNowhere()
    {
        var (_, emails) = await _scenario.SendingAsync(1);
        var genuine = _tokens.ForClick(emails[0].Id, "https://shop.example.com/");
        using var http = NoRedirects();
        string[] forged =
        [
            genuine[..^1] + (genuine[^1] == 'A' ? 'B' : 'A'),
            new TrackingTokens(new byte[32]).ForClick(emails[0].Id, "https://evil.example.net/"),
            _tokens.ForOpen(emails[0].Id),
            "https%3A%2F%2Fevil.example.net",
        ];

        foreach (var token in forged)
        {
            var response = await http.GetAsync($"/t/c/{token}");
            Assert.Null(response.Headers.Location);
            await response.ReadProblemAsync(404);
        }

        Assert.Equal(0, (await _scenario.EmailAsync(emails[0].Id)).Clicks);
    }

    [Fact]
    public async Task Open_SignedTokenOfAnEmailThatDoesNotExist_AnswersTheGif()
    {
        var response = await _scenario.Http.GetAsync($"/t/o/{_tokens.ForOpen(long.MaxValue)}.gif");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await api.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.EmailMessages, m => m.Id == long.MaxValue && m.Opens > 0)));
    }

    public void Dispose() => _scenario.Dispose();
}
