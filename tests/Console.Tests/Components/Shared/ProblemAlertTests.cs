using System.Net;
using Bunit;
using TasksConsole.Api;
using TasksConsole.Components.Shared;

namespace TasksConsole.Tests.Components.Shared;

public sealed class ProblemAlertTests : MudComponentTest
{
    [Fact]
    public void Render_ValidationProblem_ShowsTitleAndOnlyTheMessagesOfFieldsNotShownAtTheirField()
    {
        var problem = new ApiProblemException(HttpStatusCode.BadRequest, "One or more validation errors occurred.", null, new Dictionary<string, string[]>
        {
            ["status"] = ["'Status' must be one of: new, in_progress, success, error, cancelled."],
            ["page"] = ["'Page' must be between 1 and 10000."],
        });

        var alert = Render<ProblemAlert>(parameters => parameters.Add(p => p.Problem, problem).Add(p => p.ShownAtFields, ["status"]));

        Assert.Equal("alert", alert.Find("[role=alert]").GetAttribute("role"));
        var text = alert.Find("[role=alert]").TextContent;
        Assert.Contains("One or more validation errors occurred.", text);
        Assert.Contains("page: 'Page' must be between 1 and 10000.", text);
        Assert.DoesNotContain("must be one of", text);
    }

    [Fact]
    public void Render_NoProblem_RendersNothing()
    {
        var alert = Render<ProblemAlert>(parameters => parameters.Add(p => p.Problem, null));

        Assert.Empty(alert.Markup.Trim());
    }
}
