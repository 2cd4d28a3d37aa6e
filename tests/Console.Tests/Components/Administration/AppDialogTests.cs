using System.Net;
using Bunit;
using MudBlazor;
using TasksConsole.Api;
using TasksConsole.Components.Administration;

namespace TasksConsole.Tests.Components.Administration;

public sealed class AppDialogTests : MudComponentTest
{
    [Fact]
    public async Task Submit_ScopesChangedOfAnApp_SendsItsNameAndTheCheckedScopesInTheKnownOrder()
    {
        var submitted = new List<NewApp>();
        var (host, _) = await DialogHost.ShowAsync(this, new DialogParameters<AppDialog>
        {
            { d => d.Name, "billing" },
            { d => d.InitialScopes, ["notifications", "tasks"] },
            { d => d.Submit, app => { submitted.Add(app); return Task.FromResult<ApiProblemException?>(null); } },
        });

        Assert.Empty(host.FindAll("input[data-testid=app-name]"));
        await CheckBox(host, "campaigns").ChangeAsync(new() { Value = true });
        await CheckBox(host, "notifications").ChangeAsync(new() { Value = false });
        await host.FindAll("button").Single(b => b.TextContent.Trim() == "Save scopes").ClickAsync(new());

        var sent = Assert.Single(submitted);
        Assert.Equal("billing", sent.Name);
        Assert.Equal(["tasks", "campaigns"], sent.Scopes);
    }

    [Fact]
    public async Task Submit_ProblemNamingTheScopes_ShowsItsMessageBelowTheScopes()
    {
        var problem = new ApiProblemException(HttpStatusCode.BadRequest, "One or more validation errors occurred.", null,
            new Dictionary<string, string[]> { ["scopes"] = ["'scopes' must name one or more of tasks, mailings, campaigns, notifications, each once."] });
        var (host, dialog) = await DialogHost.ShowAsync(this, new DialogParameters<AppDialog>
        {
            { d => d.Submit, _ => Task.FromResult<ApiProblemException?>(problem) },
        });

        await host.Find("input[data-testid=app-name]").ChangeAsync(new() { Value = "billing" });
        await host.FindAll("button").Single(b => b.TextContent.Trim() == "Register app").ClickAsync(new());

        Assert.Contains("'scopes' must name one or more", host.Find("[data-testid=scopes-error]").TextContent);
        Assert.DoesNotContain("'scopes' must name", host.Find("[role=alert]").TextContent);
        Assert.False(dialog.Result.IsCompleted);
    }

    private static AngleSharp.Dom.IElement CheckBox(IRenderedComponent<Bunit.Rendering.ContainerFragment> host, string label) =>
        host.FindAll("label").Single(l => l.TextContent.Trim() == label).QuerySelector("input[type=checkbox]")!;
}
