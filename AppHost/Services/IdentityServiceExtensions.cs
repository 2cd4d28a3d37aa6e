using AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;
using Tasks.Shared;

namespace AppHost.Services;

/// <summary>
/// The identity service (OAuth 2.0 server) that issues every token TaskApi accepts: its address, its database, the first
/// admin's password and TaskApi's own client secret there.
/// </summary>
public static class IdentityServiceExtensions
{
    public const string ResourceName = ResourceNames.Identity;

    /// <summary>The first admin's password, which the start-up summary prints.</summary>
    public const string AdminPasswordParameter = "admin-password";

    /// <summary>The section the identity service reads (<c>Identity:TokenRequestsPerSecond</c>...); TaskApi reads <c>Auth</c>.</summary>
    public const string SettingsSection = "Identity";

    private const string UrlKey = "Identity:Url";
    private const string DefaultUrl = "http://127.0.0.1:5070";
    private const string TaskApiClientSecretParameter = "taskapi-client-secret";
    private const string TaskApiSettingsSection = "Auth";

    /// <summary>
    /// The <c>Identity</c> project at <c>Identity:Url</c> (<c>--identity-url</c>, <c>http://127.0.0.1:5070</c> by
    /// default), which is also the issuer its tokens name, over <paramref name="database"/>, with the whole <c>Identity</c>
    /// section, its keys as secret parameters; the first admin's password and TaskApi's client secret are secrets generated
    /// once and kept in the data folder (<c>Parameters:admin-password</c>, <c>Parameters:taskapi-client-secret</c> fix them).
    /// </summary>
    public static IdentityService AddIdentityService(
        this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure, IResourceBuilder<IResourceWithConnectionString> database)
    {
        var adminPassword = builder.AddGeneratedSecret(AdminPasswordParameter, infrastructure);
        var taskApiClientSecret = builder.AddGeneratedSecret(TaskApiClientSecretParameter, infrastructure);
        var identity = builder.AddProject<Projects.Identity>(ResourceName)
            // Not behind Aspire's proxy, which would make every caller the proxy's address: the token endpoint's rate
            // limit is per caller address. So one instance, no replicas.
            .WithPublicHttpEndpoint(builder.Configuration, UrlKey, DefaultUrl, isProxied: false)
            .WithHealthProbe()
            .WithReference(database).WaitFor(database)
            .WithFeatureSettings(builder.Configuration, SettingsSection);
        // After the section: Aspire applies environment values in order, so these win over the same keys given there.
        identity
            .WithEnvironment("Identity__Url", identity.GetEndpoint("http"))
            .WithEnvironment("Identity__AdminPassword", adminPassword)
            .WithEnvironment($"Identity__ServiceClients__{ServiceClients.TaskApi}", taskApiClientSecret);
        foreach (var (key, parameter) in builder.AddGivenKeys())
        {
            identity.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), parameter);
        }
        return new IdentityService(identity, taskApiClientSecret);
    }

    /// <summary>
    /// The signing and encryption keys given for a deployment (<c>Identity:SigningKeys:0</c>...), each as a secret
    /// parameter (<c>identity-signing-key-0</c>...), so that a published manifest asks for them instead of holding them.
    /// </summary>
    private static IEnumerable<(string Key, IResourceBuilder<ParameterResource> Parameter)> AddGivenKeys(this IDistributedApplicationBuilder builder)
    {
        foreach (var (list, parameterPrefix) in new[] { ("SigningKeys", "identity-signing-key"), ("EncryptionKeys", "identity-encryption-key") })
        {
            foreach (var key in builder.Configuration.GetSection($"{SettingsSection}:{list}").GetChildren())
            {
                yield return (key.Path, builder.AddSecretSetting($"{parameterPrefix}-{key.Key}", key.Path)!);
            }
        }
    }

    /// <summary>
    /// TaskApi validating tokens of the identity service, reached through service discovery (<c>http://identity</c>) once
    /// it is healthy: the whole <c>Auth</c> section, the service's public address for its OpenAPI document's token URL,
    /// and its client secret there.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithIdentityService(
        this IResourceBuilder<ProjectResource> api, IConfiguration configuration, IdentityService identity) =>
        api.WithReference(identity.Project).WaitFor(identity.Project)
            .WithFeatureSettings(configuration, TaskApiSettingsSection)
            .WithUserTokenIssuer(configuration)
            .WithEnvironment("Auth__IdentityPublicUrl", identity.Project.GetEndpoint("http"))
            .WithEnvironment("Auth__ClientSecret", identity.TaskApiClientSecret);

    /// <summary>
    /// The issuer of end users' tokens for the in-app feed (<c>Auth:Users</c>): the product's own when the configuration
    /// names one, else the identity service, whose admins can mint a user's token to try the feed.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithUserTokenIssuer(this IResourceBuilder<ProjectResource> api, IConfiguration configuration)
    {
        if (configuration[$"{TaskApiSettingsSection}:Users:Authority"] is null)
        {
            api.WithEnvironment("Auth__Users__Authority", $"http://{ResourceNames.Identity}");
        }
        if (configuration[$"{TaskApiSettingsSection}:Users:Audience"] is null)
        {
            api.WithEnvironment("Auth__Users__Audience", Audiences.Feed);
        }
        return api;
    }

    /// <summary>
    /// Lets the pages of <paramref name="api"/>'s public address call the token endpoint (CORS): Swagger UI's "Authorize".
    /// Added after the origins given in <c>Identity:CorsOrigins</c>.
    /// </summary>
    public static IdentityService WithBrowserCallsFrom(this IdentityService identity, IConfiguration configuration, IResourceBuilder<ProjectResource> api)
    {
        var given = configuration.GetSection($"{SettingsSection}:CorsOrigins").GetChildren().Count();
        identity.Project.WithEnvironment($"Identity__CorsOrigins__{given}", api.GetEndpoint("http"));
        return identity;
    }
}

/// <summary>The identity service and TaskApi's client secret at it.</summary>
public sealed record IdentityService(IResourceBuilder<ProjectResource> Project, IResourceBuilder<ParameterResource> TaskApiClientSecret);
