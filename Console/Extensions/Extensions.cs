using MudBlazor.Services;
using TasksConsole.Api;
using TasksConsole.Components;
using TasksConsole.Infrastructure;
using TasksConsole.Infrastructure.SignIn;

namespace TasksConsole.Extensions;

public static class Extensions
{
    /// <summary>The operators' sign-in, the clients of TaskApi and the identity service's admin API that carry their tokens, and the components.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddOperatorSignIn();
        builder.Services.AddScoped<OperatorApiCalls>();
        // The generated client's paths are relative ("tasks/..."): the base address ends with '/' so they add to it.
        builder.Services.AddHttpClient<TaskApiClient>((services, http) =>
            http.BaseAddress = WithTrailingSlash(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>().Value.TaskApiUrl));
        // The admin API at the identity service's own address, the one the tokens name as their issuer.
        builder.Services.AddHttpClient<IdentityApiClient>((services, http) =>
            http.BaseAddress = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>().Value.IdentityUrl);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
    }

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    /// <summary>The pipeline: sign-in, antiforgery, the static assets and the components, and the sign-out endpoint.</summary>
    public static void UseConsole(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapSignOut();
    }
}
