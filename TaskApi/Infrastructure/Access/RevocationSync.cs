using Microsoft.Extensions.Options;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// Reads the identity service's revocations every <see cref="AuthOptions.SyncInterval"/> (a second), so that a disabled
/// or deleted app or operator is refused by every TaskApi instance within seconds, not when its tokens expire. While the
/// identity service cannot be reached, the last list read stays in force (revocations are made there, so none is missed
/// that it could have told).
/// </summary>
public sealed partial class RevocationSync(IdentityClient identity, RevokedTokens revoked, IOptions<AuthOptions> options, ILogger<RevocationSync> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                revoked.Replace(await identity.GetRevocationsAsync(stoppingToken));
                if (failing)
                {
                    LogRecovered(logger);
                    failing = false;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    LogFailed(logger, e.Message);
                    failing = true;
                }
            }
            try
            {
                await Task.Delay(options.Value.SyncInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Cannot read the identity service's revocations ({Reason}); the last list read stays in force")]
    private static partial void LogFailed(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Reading the identity service's revocations again")]
    private static partial void LogRecovered(ILogger logger);
}
