using System.Net;
using Bunit;
using MudBlazor;
using TasksConsole.Api;
using TasksConsole.Components.Administration;

namespace TasksConsole.Tests.Components.Administration;

public sealed class NewOperatorDialogTests : MudComponentTest
{
    [Fact]
    public async Task Submit_ProblemNamingThePassword_ShowsItsMessageAtThePasswordFieldAndStaysOpen()
    {
        var submitted = new List<NewOperator>();
        var problem = new ApiProblemException(HttpStatusCode.BadRequest, "One or more validation errors occurred.", null,
            new Dictionary<string, string[]> { ["password"] = ["'password' must be at least 12 characters."] });
        var (host, dialog) = await DialogHost.ShowAsync(this, new DialogParameters<NewOperatorDialog>
        {
            { d => d.Submit, newOperator => { submitted.Add(newOperator); return Task.FromResult<ApiProblemException?>(problem); } },
        });

        await host.Find("input[data-testid=operator-login]").ChangeAsync(new() { Value = " jane " });
        await host.Find("input[data-testid=operator-password]").ChangeAsync(new() { Value = "short" });
        await host.FindAll("button").Single(b => b.TextContent.Trim() == "Create operator").ClickAsync(new());

        Assert.Equal(new NewOperator("jane", "short", "operator"), Assert.Single(submitted));
        var passwordField = host.Find("input[data-testid=operator-password]").Closest(".mud-input-control")!;
        Assert.Contains("'password' must be at least 12 characters.", passwordField.TextContent);
        var loginField = host.Find("input[data-testid=operator-login]").Closest(".mud-input-control")!;
        Assert.DoesNotContain("12 characters", loginField.TextContent);
        // Shown at its field, not again in the alert; the dialog waits for a correction.
        Assert.DoesNotContain("12 characters", host.Find("[role=alert]").TextContent);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Submit_Accepted_ClosesWithTheNewOperator()
    {
        var (host, dialog) = await DialogHost.ShowAsync(this, new DialogParameters<NewOperatorDialog>
        {
            { d => d.Submit, _ => Task.FromResult<ApiProblemException?>(null) },
        });

        await host.Find("input[data-testid=operator-login]").ChangeAsync(new() { Value = "jane" });
        await host.Find("input[data-testid=operator-password]").ChangeAsync(new() { Value = "a long enough password" });
        await host.FindAll("button").Single(b => b.TextContent.Trim() == "Create operator").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new NewOperator("jane", "a long enough password", "operator"), result!.Data);
    }
}
