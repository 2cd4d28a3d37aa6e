using System.Diagnostics;
using AppHost.Startup;
using Microsoft.Extensions.Configuration;

namespace AppHost.Infrastructure;

/// <summary>
/// How PostgreSQL, Redis and Kafka run: as Aspire's containers (where a container runtime answers, and always in the
/// published manifest), or from this machine's own programs with the embedded Kafka cluster (where none does, as on
/// our build machines). A connection string given for a resource (<c>ConnectionStrings__redis</c>...) replaces it either way.
/// </summary>
public sealed record InfrastructureChoice(bool Containers, string DataDirectory)
{
    public const string ContainersKey = "AppHost:Containers";
    public const string DataDirectoryKey = "AppHost:DataDirectory";
}

public static class InfrastructureChoiceExtensions
{
    private static readonly TimeSpan RuntimeCheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Decides once, from <c>AppHost:Containers</c> or by asking the container runtime, and says so in one line.</summary>
    public static InfrastructureChoice ChooseInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var dataDirectory = builder.Configuration[InfrastructureChoice.DataDirectoryKey] is { } configured
            ? Path.GetFullPath(configured)
            : DefaultDataDirectory(builder.AppHostDirectory);
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new InfrastructureChoice(Containers: true, dataDirectory);
        }

        var runtime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        bool containers;
        string reason;
        if (builder.Configuration[InfrastructureChoice.ContainersKey] is { } forced)
        {
            containers = bool.TryParse(forced, out var value)
                ? value
                : throw new StartupProblem($"{InfrastructureChoice.ContainersKey} must be true or false: got '{forced}'");
            reason = $"{InfrastructureChoice.ContainersKey}={forced}";
        }
        else
        {
            containers = RuntimeAnswers(runtime);
            reason = containers
                ? $"{runtime} answers; {InfrastructureChoice.ContainersKey}=false runs this machine's programs instead"
                : $"no {runtime} engine answers; {InfrastructureChoice.ContainersKey}=true forces containers";
        }

        Console.WriteLine(containers
            ? $"infrastructure: containers for PostgreSQL, Redis and Kafka ({reason})"
            : $"infrastructure: this machine's PostgreSQL and Redis with data in {dataDirectory}, Kafka embedded in the AppHost ({reason})");
        return new InfrastructureChoice(containers, dataDirectory);
    }

    /// <summary>
    /// AppHost/.data, unless the AppHost runs as root from a folder other users cannot pass through (a clone under
    /// /root): PostgreSQL runs as the postgres OS user, which must reach its data, so then a folder under /var/tmp.
    /// </summary>
    private static string DefaultDataDirectory(string appHostDirectory)
    {
        var beside = Path.Combine(appHostDirectory, ".data");
        if (!Environment.IsPrivilegedProcess || OperatingSystem.IsWindows())
        {
            return beside;
        }
        for (var folder = new DirectoryInfo(appHostDirectory); folder is not null; folder = folder.Parent)
        {
            if (!folder.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                return Path.Combine("/var/tmp", "tasks-apphost", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                    System.Text.Encoding.UTF8.GetBytes(appHostDirectory)))[..12]);
            }
        }
        return beside;
    }

    /// <summary>The resource given as <c>ConnectionStrings:{name}</c>, if any: then nothing is started for it.</summary>
    internal static IResourceBuilder<IResourceWithConnectionString>? ExistingServer(this IDistributedApplicationBuilder builder, string name) =>
        string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)) ? null : builder.AddConnectionString(name);

    /// <summary>The runtime's daemon answers <c>info</c>: the client alone (installed, engine absent) fails or hangs.</summary>
    private static bool RuntimeAnswers(string runtime)
    {
        try
        {
            using var info = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (info is null)
            {
                return false;
            }
            if (!info.WaitForExit(RuntimeCheckTimeout))
            {
                info.Kill(entireProcessTree: true);
                return false;
            }
            return info.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not installed.
            return false;
        }
    }
}
