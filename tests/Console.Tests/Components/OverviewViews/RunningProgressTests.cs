using Bunit;
using TasksConsole.Components.OverviewViews;

namespace TasksConsole.Tests.Components.OverviewViews;

public sealed class RunningProgressTests : MudComponentTest
{
    [Fact]
    public void Render_PartlySent_SaysSentPlusFailedOfTotalToEyeAndScreenReader()
    {
        var progress = Render<RunningProgress>(parameters => parameters
            .Add(p => p.Label, "Mailing 7: sale")
            .Add(p => p.Href, "sms?mailing=7")
            .Add(p => p.Sent, 1200)
            .Add(p => p.Failed, 30)
            .Add(p => p.Total, 2460));

        Assert.Equal("1,200 sent + 30 failed of 2,460", progress.Find("[data-testid=progress-text]").TextContent);
        var bar = progress.Find("[role=progressbar]");
        Assert.Equal("Mailing 7: sale: 1,200 sent + 30 failed of 2,460", bar.GetAttribute("aria-label"));
        Assert.Equal("50", bar.GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void Render_NothingToSendYet_ShowsAnEmptyBar()
    {
        var progress = Render<RunningProgress>(parameters => parameters
            .Add(p => p.Label, "Campaign 3: news")
            .Add(p => p.Href, "email?campaign=3")
            .Add(p => p.Total, 0));

        Assert.Equal("0 sent + 0 failed of 0", progress.Find("[data-testid=progress-text]").TextContent);
        Assert.Equal("0", progress.Find("[role=progressbar]").GetAttribute("aria-valuenow"));
    }
}
