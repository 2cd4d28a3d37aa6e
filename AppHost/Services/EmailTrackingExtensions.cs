using AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AppHost.Services;

/// <summary>
/// What TaskWorker writes into an email's open pixel and links, and TaskApi checks when a mail reader loads them: the
/// address they point at and the key that signs them.
/// </summary>
public static class EmailTrackingExtensions
{
    public const string SettingsSection = "Tracking";

    private const string PublicBaseUrlKey = "Tracking:PublicBaseUrl";
    private const string KeyParameter = "tracking-key";

    /// <summary>
    /// A key generated once and kept in the data folder (a secret parameter: <c>Parameters:tracking-key</c> fixes it) and,
    /// unless <c>Tracking:PublicBaseUrl</c> is given, <paramref name="publicApi"/>'s external HTTP endpoint.
    /// </summary>
    public static EmailTracking AddEmailTracking(
        this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure, IResourceBuilder<ProjectResource> publicApi)
    {
        var key = builder.AddGeneratedSecret(KeyParameter, infrastructure);
        var publicBaseUrl = string.IsNullOrWhiteSpace(builder.Configuration[PublicBaseUrlKey]) ? publicApi.GetEndpoint("http") : null;
        return new EmailTracking(key, publicBaseUrl);
    }

    /// <summary>The whole <c>Tracking</c> section, its key replaced by the parameter's and, when not given, its public address.</summary>
    public static IResourceBuilder<ProjectResource> WithEmailTracking(
        this IResourceBuilder<ProjectResource> service, IConfiguration configuration, EmailTracking tracking)
    {
        service.WithFeatureSettings(configuration, SettingsSection).WithEnvironment("Tracking__Key", tracking.Key);
        if (tracking.PublicBaseUrl is { } publicBaseUrl)
        {
            service.WithEnvironment("Tracking__PublicBaseUrl", publicBaseUrl);
        }
        return service;
    }
}

/// <summary>The signing key both services share, and the public API endpoint when <c>Tracking:PublicBaseUrl</c> does not name one.</summary>
public sealed record EmailTracking(IResourceBuilder<ParameterResource> Key, EndpointReference? PublicBaseUrl);
