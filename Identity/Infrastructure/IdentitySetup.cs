using Identity.Features.Apps;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Tasks.Shared;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = Tasks.Shared.Scopes;

namespace Identity.Infrastructure;

/// <summary>
/// At every start, after the migrations and before the first request: loads the keys, creates the first admin when
/// there is no operator yet, and registers our own clients (TaskApi's secret as configured now, Swagger UI, the console with its configured redirect URIs). Instances
/// starting together take turns, so one creates what is missing and the others find it.
/// </summary>
public sealed partial class IdentitySetup(IServiceProvider services, KeyRing keys, IOptions<IdentityServiceOptions> options, TimeProvider clock,
    ILogger<IdentitySetup> logger) : IHostedService
{
    public const string AdminLogin = FirstAdmin.Login;

    // Any constant the service does not use for another lock.
    private const long SetupLockKey = 0x7365747570; // "setup"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({SetupLockKey})", cancellationToken);
            try
            {
                await keys.LoadAsync(options.Value, db, clock, cancellationToken);
                await CreateFirstAdminAsync(scope.ServiceProvider.GetRequiredService<UserManager<Operator>>(), db);
                await RegisterServiceClientsAsync(scope.ServiceProvider.GetRequiredService<AppManager>(), cancellationToken);
            }
            finally
            {
                // Explicitly: the pooled connection's session outlives CloseConnection, and the lock with it.
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({SetupLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CreateFirstAdminAsync(UserManager<Operator> operators, IdentityDb db)
    {
        if (db.Users.Any())
        {
            return;
        }
        if (string.IsNullOrEmpty(options.Value.AdminPassword))
        {
            LogNoAdminPassword(logger);
            return;
        }
        var admin = new Operator { UserName = AdminLogin, Role = Roles.Admin, CreatedAt = clock.GetUtcNow() };
        var created = await operators.CreateAsync(admin, options.Value.AdminPassword);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"The first admin could not be created: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }
        LogAdminCreated(logger, AdminLogin);
    }

    private async Task RegisterServiceClientsAsync(AppManager apps, CancellationToken ct)
    {
        if (options.Value.ServiceClients.TryGetValue(ServiceClients.TaskApi, out var taskApiSecret))
        {
            await RegisterAsync(apps, new OpenIddictApplicationDescriptor
            {
                ClientId = ServiceClients.TaskApi,
                ClientSecret = taskApiSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "TaskApi",
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + Scopes.IdentitySync },
            }, ct);
        }
        // Swagger UI's "Authorize" with an operator's login and password: a public client, it holds no secret.
        await RegisterAsync(apps, new OpenIddictApplicationDescriptor
        {
            ClientId = ServiceClients.SwaggerUi,
            ClientType = ClientTypes.Public,
            DisplayName = "Swagger UI",
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.Password, Permissions.GrantTypes.RefreshToken },
        }, ct);
        if (options.Value.Console.RedirectUris.Count > 0)
        {
            await RegisterAsync(apps, ConsoleClient(options.Value.Console), ct);
        }
    }

    /// <summary>The operators' console: a public client (a browser holds nothing secret), so PKCE is what binds a code to its requester.</summary>
    private static OpenIddictApplicationDescriptor ConsoleClient(ConsoleClientSettings console)
    {
        var client = new OpenIddictApplicationDescriptor
        {
            ClientId = ServiceClients.Console,
            ClientType = ClientTypes.Public,
            // First-party: the operator is not asked to consent to what the console may do.
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Operator console",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        client.RedirectUris.UnionWith(console.RedirectUris);
        client.PostLogoutRedirectUris.UnionWith(console.PostLogoutRedirectUris);
        return client;
    }

    private static async Task RegisterAsync(AppManager apps, OpenIddictApplicationDescriptor descriptor, CancellationToken ct)
    {
        if (await apps.FindByClientIdAsync(descriptor.ClientId!, ct) is { } existing)
        {
            await apps.UpdateAsync(existing, descriptor, ct);
            return;
        }
        await apps.CreateAsync(descriptor, ct);
    }

    [LoggerMessage(LogLevel.Information, "Created the first admin, login '{Login}', with the configured Identity:AdminPassword")]
    private static partial void LogAdminCreated(ILogger logger, string login);

    [LoggerMessage(LogLevel.Warning, "No operator exists and Identity:AdminPassword is not set: nobody can sign in until it is")]
    private static partial void LogNoAdminPassword(ILogger logger);
}
