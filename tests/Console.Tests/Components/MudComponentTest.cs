using Bunit;
using MudBlazor.Services;

namespace TasksConsole.Tests.Components;

/// <summary>
/// A bUnit context with MudBlazor's services, disposed asynchronously as some of them require (xunit 2 would call only
/// Dispose, which they refuse).
/// </summary>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    protected MudComponentTest()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
