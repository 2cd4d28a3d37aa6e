using Microsoft.Extensions.DependencyInjection;
using TaskWorker.Email;

namespace TaskWorker.Tests.Email;

/// <summary>How the worker renders a campaign's emails.</summary>
public sealed class CampaignTemplatesTests(EmailWorkerFixture fixture) : IClassFixture<EmailWorkerFixture>
{
    [Fact]
    public void TryRender_HandlingCancelled_StopsTheRendering()
    {
        // The handling's token is the worker's stop: a render (up to RenderLimits.MaxRenderTime each) must not hold it.
        var templates = fixture.Worker.Services.GetRequiredService<CampaignTemplates>();
        var campaign = EmailRecords.NewCampaign(html: "{% for i in (1..50000) %}{{ message }}{% endfor %}");

        Assert.ThrowsAny<OperationCanceledException>(() =>
            templates.TryRender(campaign, EmailRecords.NewItem(campaign), new CancellationToken(canceled: true), out _, out _, out _));
    }
}
