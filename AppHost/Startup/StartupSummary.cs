using AppHost.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tasks.Shared;

namespace AppHost.Startup;

/// <summary>
/// Aspire's own log says where the dashboard is as soon as it starts, long before the services are ready; this repeats
/// it at the end of the start, beside what a user reaches for first.
/// </summary>
internal sealed partial class StartupSummary(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    IConfiguration configuration,
    ILogger<StartupSummary> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The services and what they connect to; not Aspire's hidden helpers (the dashboard, project rebuilders).
            var resources = model.Resources.Where(r => r is ProjectResource or IResourceWithConnectionString).ToList();
            await Task.WhenAll(resources.Select(r => notifications.WaitForResourceHealthyAsync(r.Name, stoppingToken)));

            // What an operator opens first: the console, where the admin below signs in.
            foreach (var console in resources.OfType<ProjectResource>().Where(p => p.Name == ConsoleExtensions.ResourceName))
            {
                LogConsole(console.GetEndpoint("http").Url);
            }
            foreach (var project in resources.OfType<ProjectResource>().Where(p => p.Name is not (IdentityServiceExtensions.ResourceName or ConsoleExtensions.ResourceName)
                && p.TryGetEndpoints(out var endpoints) && endpoints.Any(e => e.IsExternal)))
            {
                var url = project.GetEndpoint("http").Url;
                LogApi(project.Name, url, $"{url}/swagger");
            }
            foreach (var identity in resources.OfType<ProjectResource>().Where(p => p.Name == IdentityServiceExtensions.ResourceName))
            {
                await LogHowToGetATokenAsync(identity.GetEndpoint("http").Url, stoppingToken);
            }
            foreach (var gateway in resources.OfType<ProjectResource>().Where(p => p.Name == SmsGatewayExtensions.ResourceName))
            {
                LogSmsGateway($"{gateway.GetEndpoint("http").Url}/messages");
            }
            foreach (var smtp in model.Resources.OfType<ExecutableResource>().Where(r => r.Name == SmtpServerExtensions.ResourceName))
            {
                LogSmtp(smtp.GetEndpoint(SmtpServerExtensions.SmtpEndpoint).Port, smtp.GetEndpoint("http").Url);
            }
            foreach (var kafka in resources.OfType<IResourceWithConnectionString>().Where(r => r.Name == Tasks.Shared.ResourceNames.Kafka))
            {
                LogKafka(await kafka.GetConnectionStringAsync(stoppingToken));
            }
            if (configuration["ASPNETCORE_URLS"] is { } dashboardUrls && configuration["AppHost:BrowserToken"] is { } token)
            {
                LogDashboard($"{dashboardUrls.Split(';')[0].TrimEnd('/')}/login?t={token}");
            }
            LogReady();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The first admin's login and password, and a command that signs in with them, ready to paste into a shell.</summary>
    private async Task LogHowToGetATokenAsync(string identityUrl, CancellationToken cancellationToken)
    {
        var password = await model.Resources.OfType<ParameterResource>()
            .Single(p => p.Name == IdentityServiceExtensions.AdminPasswordParameter)
            .GetValueAsync(cancellationToken) ?? "";
        LogIdentity(identityUrl, FirstAdmin.Login, password);
        // --data-urlencode: a password given by Parameters:admin-password may hold characters a form body must escape.
        LogTokenCommand($"curl -s -d grant_type=password -d username={FirstAdmin.Login} --data-urlencode {ShellQuoted($"password={password}")} {identityUrl}/connect/token");
        LogTokenUse();
    }

    /// <summary>Single quotes, inside which a shell takes every character as it is but the single quote itself.</summary>
    private static string ShellQuoted(string value) => $"'{value.Replace("'", @"'\''", StringComparison.Ordinal)}'";

    [LoggerMessage(LogLevel.Information, "Operator console: {Url}  (sign in with the admin login and password below)")]
    private partial void LogConsole(string url);

    [LoggerMessage(LogLevel.Information, "{Service}: {Url}  (Swagger: {SwaggerUrl})")]
    private partial void LogApi(string service, string url, string swaggerUrl);

    [LoggerMessage(LogLevel.Information, "identity: {Url}  (admin login: {Login}, password: {Password})")]
    private partial void LogIdentity(string url, string login, string password);

    [LoggerMessage(LogLevel.Information, "Get a token: {Command}")]
    private partial void LogTokenCommand(string command);

    [LoggerMessage(LogLevel.Information, "Send it on every API call: -H \"Authorization: Bearer <access_token>\"")]
    private partial void LogTokenUse();

    [LoggerMessage(LogLevel.Information, "SMS the emulated provider (sms-gateway) received: {MessagesUrl}")]
    private partial void LogSmsGateway(string messagesUrl);

    [LoggerMessage(LogLevel.Information, "Emails smtp4dev (smtp, SMTP on 127.0.0.1:{SmtpPort}) received: {WebUrl}")]
    private partial void LogSmtp(int smtpPort, string webUrl);

    [LoggerMessage(LogLevel.Information, "Kafka bootstrap servers, e.g. for kcat -b: {BootstrapServers}")]
    private partial void LogKafka(string? bootstrapServers);

    [LoggerMessage(LogLevel.Information, "Dashboard (traces, logs, metrics of every service): {LoginUrl}")]
    private partial void LogDashboard(string loginUrl);

    [LoggerMessage(LogLevel.Information, "All resources are up; Ctrl+C stops everything")]
    private partial void LogReady();
}
