using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Settings read from <c>Aspire:Npgsql:EntityFrameworkCore:PostgreSQL</c>, as Aspire's client integration does.</summary>
public sealed class NpgsqlEntityFrameworkCorePostgreSQLSettings
{
    public string? ConnectionString { get; set; }
    public bool DisableHealthChecks { get; set; }
    public bool DisableRetry { get; set; }
}

/// <summary>
/// Mirrors <c>AddNpgsqlDbContext&lt;T&gt;</c> of Aspire.Npgsql.EntityFrameworkCore.PostgreSQL (which does not
/// restore on the build machines): a pooled DbContext from <c>ConnectionStrings:{name}</c>, retries on
/// transient failures and a health check. Tracing and metrics come from Npgsql's own "Npgsql" source and meter.
/// </summary>
public static class NpgsqlDbContextExtensions
{
    private const string SettingsSection = "Aspire:Npgsql:EntityFrameworkCore:PostgreSQL";

    public static void AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlEntityFrameworkCorePostgreSQLSettings>? configureSettings = null,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null) where TContext : DbContext
    {
        var settings = new NpgsqlEntityFrameworkCorePostgreSQLSettings();
        builder.Configuration.GetSection(SettingsSection).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }
        configureSettings?.Invoke(settings);

        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionString is missing. Set 'ConnectionStrings:{connectionName}' (environment variable " +
                $"ConnectionStrings__{connectionName}) or 'ConnectionString' in the '{SettingsSection}' section.");
        }

        builder.Services.AddDbContextPool<TContext>(options =>
        {
            options.UseNpgsql(settings.ConnectionString, npgsql =>
            {
                if (!settings.DisableRetry)
                {
                    npgsql.EnableRetryOnFailure();
                }
            });
            configureDbContextOptions?.Invoke(options);
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(typeof(TContext).Name);
        }
    }
}
