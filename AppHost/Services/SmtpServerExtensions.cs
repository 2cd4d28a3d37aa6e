using AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AppHost.Services;

/// <summary>
/// Where TaskWorker sends email. Without <c>Smtp:Host</c>, to smtp4dev, run as the resource <c>smtp</c>: it keeps what it
/// receives in memory and shows it in its web UI; with it, to that server, and nothing is started for it.
/// </summary>
public static class SmtpServerExtensions
{
    public const string ResourceName = "smtp";

    /// <summary>The section TaskWorker reads its mail server from.</summary>
    public const string SettingsSection = "Smtp";

    /// <summary>smtp4dev's SMTP listener; its web UI is the endpoint <c>http</c>.</summary>
    public const string SmtpEndpoint = "smtp";

    private const string HostKey = "Smtp:Host";
    private const string PasswordKey = "Smtp:Password";
    private const string PasswordParameter = "smtp-password";

    /// <summary>
    /// smtp4dev (a local dotnet tool, .config/dotnet-tools.json, restored by AppHost's build) unless <c>Smtp:Host</c> is
    /// given; <c>Smtp:Password</c>, when given, as a secret parameter, so that a published manifest asks for it instead of
    /// holding it.
    /// </summary>
    public static SmtpServer AddSmtpServer(this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure)
    {
        var password = builder.AddSecretSetting(PasswordParameter, PasswordKey);
        if (!string.IsNullOrWhiteSpace(builder.Configuration[HostKey]))
        {
            return new SmtpServer(Emulator: null, password);
        }

        var smtp4dev = builder.AddExecutable(ResourceName, "dotnet", builder.AppHostDirectory)
            .WithHttpEndpoint(name: "http", isProxied: false)
            .WithEndpoint(name: SmtpEndpoint, scheme: "tcp", isProxied: false)
            .WithUrlForEndpoint("http", url => url.DisplayText = "Received emails")
            .WithHttpHealthCheck("/", endpointName: "http")
            .WithRestartOnCrash()
            .WithIconName("Mail");
        smtp4dev.WithArgs(context =>
        {
            foreach (var arg in new object[]
            {
                "tool", "run", "smtp4dev", "--",
                ReferenceExpression.Create($"--urls=http://127.0.0.1:{smtp4dev.GetEndpoint("http").Property(EndpointProperty.TargetPort)}"),
                ReferenceExpression.Create($"--smtpport={smtp4dev.GetEndpoint(SmtpEndpoint).Property(EndpointProperty.TargetPort)}"),
                // Loopback only, messages in memory, no IMAP or POP3 listeners, no settings of the user's.
                "--bindaddress=127.0.0.1", "--db=", "--imapport=", "--pop3port=", "--nousersettings",
                // Shown as a reader's mail client shows them once images are allowed: its sanitising drops the open pixel.
                "--disablemessagesanitisation",
            })
            {
                context.Args.Add(arg);
            }
            // Its settings folder (otherwise ~/.config/smtp4dev) beside the run's other data; a deployment chooses its own.
            if (context.ExecutionContext.IsRunMode)
            {
                context.Args.Add($"--baseappdatapath={Path.Combine(infrastructure.DataDirectory, ResourceName)}");
            }
        });
        return new SmtpServer(smtp4dev, password);
    }

    /// <summary>
    /// The whole <c>Smtp</c> section for the worker, its password replaced by the parameter's (Aspire applies environment
    /// values in order), and with smtp4dev its loopback address, once its web UI answers.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSmtpServer(
        this IResourceBuilder<ProjectResource> worker, IConfiguration configuration, SmtpServer server)
    {
        worker.WithFeatureSettings(configuration, SettingsSection);
        if (server.Password is { } password)
        {
            worker.WithEnvironment("Smtp__Password", password);
        }
        if (server.Emulator is { } emulator)
        {
            var endpoint = emulator.GetEndpoint(SmtpEndpoint);
            worker
                .WithEnvironment("Smtp__Host", endpoint.Property(EndpointProperty.IPV4Host))
                .WithEnvironment("Smtp__Port", endpoint.Property(EndpointProperty.Port))
                .WaitFor(emulator);
        }
        return worker;
    }
}

/// <summary>smtp4dev, when it runs, and the password TaskWorker is to log in with (none when not given).</summary>
public sealed record SmtpServer(IResourceBuilder<ExecutableResource>? Emulator, IResourceBuilder<ParameterResource>? Password);
