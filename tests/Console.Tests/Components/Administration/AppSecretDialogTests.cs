using Bunit;
using MudBlazor;
using TasksConsole.Api;
using TasksConsole.Components.Administration;

namespace TasksConsole.Tests.Components.Administration;

public sealed class AppSecretDialogTests : MudComponentTest
{
    private static readonly AppCredentials Credentials = new("app-abcdefghij0123456789", "s3cr3t-Value_0f-256-bits", null);

    [Fact]
    public async Task Show_NewCredentials_ShowsClientIdSecretAndTheWarningThatItIsShownOnce()
    {
        var (host, _) = await DialogHost.ShowAsync(this, new DialogParameters<AppSecretDialog> { { d => d.Credentials, Credentials } });

        Assert.Equal(Credentials.Id, host.Find("[data-testid=app-client-id]").TextContent.Trim());
        Assert.Equal(Credentials.Secret, host.Find("[data-testid=app-secret]").TextContent.Trim());
        Assert.Contains("it will not be shown again", host.Find(".mud-alert").TextContent);
    }

    [Fact]
    public async Task CopyButton_Clicked_WritesTheSecretToTheClipboard()
    {
        var (host, _) = await DialogHost.ShowAsync(this, new DialogParameters<AppSecretDialog> { { d => d.Credentials, Credentials } });

        var copy = host.Find("button[aria-label='Copy the secret']");
        await copy.ClickAsync(new());

        var invocation = JSInterop.VerifyInvoke("navigator.clipboard.writeText");
        Assert.Equal(Credentials.Secret, invocation.Arguments.Single());
    }
}
