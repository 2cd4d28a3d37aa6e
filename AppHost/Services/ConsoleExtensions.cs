using Microsoft.Extensions.Configuration;
using Tasks.Shared;

namespace AppHost.Services;

/// <summary>The operators' console: a web app that signs operators in at the identity service and calls TaskApi for them.</summary>
public static class ConsoleExtensions
{
    public const string ResourceName = ResourceNames.Console;

    /// <summary>The section the console reads (<c>Console:RefreshBeforeExpiry</c>...).</summary>
    public const string SettingsSection = "Console";

    private const string UrlKey = "Console:Url";
    private const string DefaultUrl = "http://127.0.0.1:5090";

    /// <summary>
    /// The <c>Console</c> project at <c>Console:Url</c> (<c>--console-url</c>, <c>http://127.0.0.1:5090</c> by default),
    /// started once TaskApi and the identity service are healthy; the identity service registers the console's sign-in
    /// and sign-out return addresses at that endpoint.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddConsole(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api, IdentityService identity)
    {
        var console = builder.AddProject<Projects.Console>(ResourceName)
            .WithPublicHttpEndpoint(builder.Configuration, UrlKey, DefaultUrl)
            .WithUrlForEndpoint("http", url => url.DisplayText = "Console")
            .WithHealthProbe()
            .WithReference(api).WaitFor(api)
            .WithReference(identity.Project).WaitFor(identity.Project)
            .WithFeatureSettings(builder.Configuration, SettingsSection)
            // The browser is sent there to sign in: the identity service's public address, not its service-discovery name.
            .WithEnvironment("Console__IdentityUrl", identity.Project.GetEndpoint("http"));
        if (DashboardUrl(builder.Configuration) is { } dashboard)
        {
            console.WithEnvironment("Console__DashboardUrl", dashboard);
        }
        var endpoint = console.GetEndpoint("http");
        var given = builder.Configuration.GetSection($"{IdentityServiceExtensions.SettingsSection}:Console:RedirectUris").GetChildren().Count();
        var givenAfterSignOut = builder.Configuration.GetSection($"{IdentityServiceExtensions.SettingsSection}:Console:PostLogoutRedirectUris").GetChildren().Count();
        identity.Project
            .WithEnvironment($"Identity__Console__RedirectUris__{given}", ReferenceExpression.Create($"{endpoint}/signin-oidc"))
            .WithEnvironment($"Identity__Console__PostLogoutRedirectUris__{givenAfterSignOut}", ReferenceExpression.Create($"{endpoint}/signout-callback-oidc"));
        return console;
    }

    /// <summary>
    /// The dashboard's address where it runs at the fixed address of launchSettings.json (<c>ASPNETCORE_URLS</c>); null under
    /// the tests' random ports, where no dashboard runs.
    /// </summary>
    private static string? DashboardUrl(IConfiguration configuration) =>
        configuration.GetValue<bool>("DcpPublisher:RandomizePorts")
            ? null
            : (configuration["ASPNETCORE_URLS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(url => Uri.TryCreate(url, UriKind.Absolute, out var address) && address.Port > 0);
}
