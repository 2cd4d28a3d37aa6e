using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using Tasks.Testing;

namespace Pipeline.Tests;

/// <summary>
/// Email campaigns through the real processes: TaskApi, TaskWorker and the Scheduler, with a stand-in SMTP server. The
/// tests share one pipeline: each sends to addresses of its own, and programs the server only for those.
/// </summary>
public sealed partial class EmailPipelineTests(EmailPipelineTests.EmailPipeline fixture) : IClassFixture<EmailPipelineTests.EmailPipeline>
{
    public sealed class EmailPipeline : IAsyncLifetime
    {
        public RunningPipeline Pipeline { get; private set; } = null!;

        public async Task InitializeAsync() => Pipeline = await RunningPipeline.StartAsync(WorkerSettings.Quick, withEmail: true);

        public async Task DisposeAsync() => await Pipeline.DisposeAsync();
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly RunningPipeline _pipeline = fixture.Pipeline;

    private StandInSmtpServer Smtp => _pipeline.Smtp!;

    [Fact]
    public async Task Campaign_SentToAList_ArrivesOnceEachWithWorkingTracking()
    {
        var addresses = PipelineCampaigns.Addresses(5);

        var campaignId = await _pipeline.CreateCampaignAsync(addresses);
        await _pipeline.WaitCampaignStatusAsync(campaignId, "sent", Timeout);

        var received = Smtp.Received.Where(r => addresses.Contains(r.EnvelopeTo[0])).ToList();
        Assert.Equal(addresses.Order(), received.Select(r => r.EnvelopeTo[0]).Order());
        Assert.Equal(5, received.Select(r => r.Message.MessageId).Distinct().Count());
        var email = received[0].Message;
        Assert.Equal("news@example.com", email.From.Mailboxes.Single().Address);
        Assert.Equal($"News for Reader {received[0].EnvelopeTo[0][..4]}", email.Subject);
        Assert.NotNull(email.TextBody);
        Assert.NotNull(email.HtmlBody);
        Assert.Equal("multipart/alternative", email.Body!.ContentType.MimeType);
        Assert.Contains("spring is here", email.TextBody);
        Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);

        // The reader's mail client loads the pixel and follows the link: both reach the API and are counted.
        using var reader = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var pixel = PixelUrl().Match(email.HtmlBody).Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(pixel)).StatusCode);
        var link = TrackedLink().Match(email.HtmlBody).Groups[1].Value;
        var click = await reader.GetAsync(WebUtility.HtmlDecode(link));
        Assert.Equal((HttpStatusCode.Found, "https://shop.example.com/sale?from=mail"), (click.StatusCode, click.Headers.Location?.OriginalString));
        var stats = await _pipeline.GetAsync($"/campaigns/{campaignId}/stats");
        Assert.Equal((5, 1, 1), (stats.GetProperty("sent").GetInt32(), stats.GetProperty("opened").GetInt32(), stats.GetProperty("clicked").GetInt32()));
        // RFC 8058: the mail reader POSTs to the List-Unsubscribe address.
        var unsubscribe = email.Headers["List-Unsubscribe"]!.Trim('<', '>');
        var oneClick = await reader.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Equal(1, (await _pipeline.GetAsync($"/campaigns/{campaignId}/stats")).GetProperty("unsubscribed").GetInt32());
    }

    [Fact]
    public async Task Campaign_Deferred_IsSentAtItsTimeThroughTheScheduler()
    {
        var addresses = PipelineCampaigns.Addresses(2);
        var sendAt = DateTimeOffset.UtcNow.AddSeconds(4);

        var campaignId = await _pipeline.CreateCampaignAsync(addresses, sendAt);
        Assert.Equal("scheduled", (await _pipeline.GetAsync($"/campaigns/{campaignId}")).GetProperty("status").GetString());
        await _pipeline.WaitCampaignStatusAsync(campaignId, "sent", Timeout);

        var received = Smtp.Received.Where(r => addresses.Contains(r.EnvelopeTo[0])).ToList();
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.True(r.ReceivedAt >= sendAt, $"received at {r.ReceivedAt:O}, before its time {sendAt:O}"));
    }

    [Fact]
    public async Task Campaign_ServerDefersThenRefuses_RetriesTransientRepliesAndKeepsTheFinalOne()
    {
        var addresses = PipelineCampaigns.Addresses(3);
        Smtp.AnswerFor(addresses[0], StandInSmtpAnswer.Reply(SmtpStage.RcptTo, 421, "4.7.0 Try again later"));
        Smtp.AnswerFor(addresses[1], StandInSmtpAnswer.Reply(SmtpStage.Data, 451, "4.3.0 Temporary failure"));
        Smtp.AnswerFor(addresses[2], StandInSmtpAnswer.Reply(SmtpStage.RcptTo, 550, "5.1.1 No such user"));

        var campaignId = await _pipeline.CreateCampaignAsync(addresses);
        await _pipeline.WaitCampaignStatusAsync(campaignId, "sent", Timeout);

        var emails = (await _pipeline.EmailsAsync(campaignId)).Values.ToDictionary(e => e.Email);
        Assert.Equal(("sent", 2), (emails[addresses[0]].Status, emails[addresses[0]].Attempts));
        Assert.Equal(("sent", 2), (emails[addresses[1]].Status, emails[addresses[1]].Attempts));
        Assert.Equal(("failed", 1), (emails[addresses[2]].Status, emails[addresses[2]].Attempts));
        Assert.Contains("550", emails[addresses[2]].LastError);
        Assert.Contains("No such user", emails[addresses[2]].LastError);
        Assert.Empty(Smtp.ReceivedFor(addresses[2]));
    }

    [Fact]
    public async Task Campaign_CancelledMidSend_SendsNothingMore()
    {
        var addresses = PipelineCampaigns.Addresses(200);
        // Slow acceptance, so most are still to send when the cancellation comes.
        foreach (var address in addresses)
        {
            Smtp.AnswerFor(address, StandInSmtpAnswer.Delayed(TimeSpan.FromMilliseconds(100)));
        }

        var campaignId = await _pipeline.CreateCampaignAsync(addresses);
        await Eventually.UntilAsync(() => Task.FromResult(addresses.Any(a => Smtp.ReceivedFor(a).Count > 0)), Timeout, "a first email");
        using var client = _pipeline.CreateApiClient();
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/campaigns/{campaignId}")).StatusCode);
        var receivedAtCancel = addresses.Sum(a => Smtp.ReceivedFor(a).Count);

        // The emails in flight at the cancellation still go out, and are counted sent once their reports arrive.
        List<(string Email, string Status, int Attempts, string? LastError)> emails = [];
        await Eventually.UntilAsync(async () =>
        {
            emails = (await _pipeline.EmailsAsync(campaignId)).Values.ToList();
            return emails.All(e => e.Status is "sent" or "cancelled") && emails.Count(e => e.Status == "sent") == addresses.Sum(a => Smtp.ReceivedFor(a).Count);
        }, Timeout, "every email final, and the sent ones those the server received");
        var received = addresses.Sum(a => Smtp.ReceivedFor(a).Count);
        Assert.True(emails.Count(e => e.Status == "cancelled") > 100, $"{emails.Count(e => e.Status == "cancelled")} cancelled");
        // What went out after the cancellation was on its way: handed to one of the 4 sessions, or about to be until the
        // cancellation reached the worker through Kafka; at 100 ms an email, under a second's worth.
        Assert.InRange(received - receivedAtCancel, 0, 40);
    }

    [GeneratedRegex("<img[^>]+src=\"([^\"]+/t/o/[^\"]+\\.gif)\"")]
    private static partial Regex PixelUrl();

    [GeneratedRegex("<a[^>]+href=\"([^\"]+/t/c/[^\"]+)\"")]
    private static partial Regex TrackedLink();
}
