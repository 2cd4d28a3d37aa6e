using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace TasksConsole.Tests.Components.Administration;

/// <summary>Shows a dialog as a page does: through <see cref="IDialogService"/>, in MudBlazor's dialog and popover providers.</summary>
internal static class DialogHost
{
    public static async Task<(IRenderedComponent<ContainerFragment> Host, IDialogReference Dialog)> ShowAsync<TDialog>(
        BunitContext context, DialogParameters<TDialog> parameters) where TDialog : ComponentBase
    {
        var host = context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
        });
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        IDialogReference? dialog = null;
        await host.InvokeAsync(async () => dialog = await dialogs.ShowAsync<TDialog>("dialog", parameters));
        return (host, dialog!);
    }
}
