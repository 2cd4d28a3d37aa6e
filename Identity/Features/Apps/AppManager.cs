using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace Identity.Features.Apps;

/// <summary>
/// OpenIddict's application manager with what registered apps need beyond it: a rotated secret keeps working beside the
/// new one until the overlap ends (so an app can roll its deployments over), and an app can be disabled. Secrets are
/// stored as OpenIddict hashes them (PBKDF2); the previous one's hash and its end go into the application's properties.
/// </summary>
public sealed class AppManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    TimeProvider clock)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    /// <summary>Registered apps' client ids start with this, which tells them from our own clients (TaskApi, Swagger UI).</summary>
    public const string ClientIdPrefix = "app-";

    private const string PreviousSecretProperty = "previous_secret";
    private const string PreviousSecretUntilProperty = "previous_secret_until";
    private const string DisabledProperty = "disabled";
    private const string CreatedAtProperty = "created_at";

    public override async ValueTask<bool> ValidateClientSecretAsync(
        OpenIddictEntityFrameworkCoreApplication application, string secret, CancellationToken cancellationToken = default) =>
        await base.ValidateClientSecretAsync(application, secret, cancellationToken)
        || await IsPreviousSecretAsync(application, secret, cancellationToken);

    /// <summary>Whether <paramref name="secret"/> is the app's previous secret, still inside its overlap, and not its current one.</summary>
    public async ValueTask<bool> IsPreviousSecretAsync(OpenIddictEntityFrameworkCoreApplication application, string secret, CancellationToken cancellationToken)
    {
        var properties = await Store.GetPropertiesAsync(application, cancellationToken);
        return properties.TryGetValue(PreviousSecretProperty, out var hash)
            && PreviousSecretUntil(properties) > clock.GetUtcNow()
            && await ValidateClientSecretAsync(secret, hash.GetString()!, cancellationToken);
    }

    /// <summary>Until when the previous secret works, if the app has one.</summary>
    public async ValueTask<DateTimeOffset?> GetPreviousSecretUntilAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken) =>
        PreviousSecretUntil(await Store.GetPropertiesAsync(application, cancellationToken));

    /// <summary>Sets a new secret; the current one keeps working until <paramref name="previousUntil"/>.</summary>
    public async ValueTask RotateSecretAsync(
        OpenIddictEntityFrameworkCoreApplication application, string newSecret, DateTimeOffset previousUntil, CancellationToken cancellationToken)
    {
        var currentHash = await Store.GetClientSecretAsync(application, cancellationToken);
        var properties = (await Store.GetPropertiesAsync(application, cancellationToken))
            .SetItem(PreviousSecretProperty, JsonSerializer.SerializeToElement(currentHash))
            .SetItem(PreviousSecretUntilProperty, JsonSerializer.SerializeToElement(previousUntil));
        await Store.SetPropertiesAsync(application, properties, cancellationToken);
        // Hashes the new secret and saves the properties with it.
        await UpdateAsync(application, newSecret, cancellationToken);
    }

    public async ValueTask<bool> IsDisabledAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken) =>
        (await Store.GetPropertiesAsync(application, cancellationToken)).TryGetValue(DisabledProperty, out var disabled) && disabled.GetBoolean();

    public async ValueTask<DateTimeOffset?> GetCreatedAtAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken) =>
        (await Store.GetPropertiesAsync(application, cancellationToken)).TryGetValue(CreatedAtProperty, out var createdAt)
            ? createdAt.GetDateTimeOffset()
            : null;

    /// <summary>The properties a new app starts with.</summary>
    public static void MarkCreated(OpenIddictApplicationDescriptor descriptor, DateTimeOffset createdAt) =>
        descriptor.Properties[CreatedAtProperty] = JsonSerializer.SerializeToElement(createdAt);

    public static void SetDisabled(OpenIddictApplicationDescriptor descriptor, bool disabled) =>
        descriptor.Properties[DisabledProperty] = JsonSerializer.SerializeToElement(disabled);

    private static DateTimeOffset? PreviousSecretUntil(ImmutableDictionary<string, JsonElement> properties) =>
        properties.TryGetValue(PreviousSecretUntilProperty, out var until) ? until.GetDateTimeOffset() : null;
}
