using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskWorker.Extensions;

namespace TaskWorker.Tests;

/// <summary>
/// A worker's options as its start validates them, without starting a worker: the worker's own registrations
/// (<see cref="Extensions.Extensions.AddApplicationServices"/>) over the given settings, then the options resolved, which
/// runs the validators that <c>ValidateOnStart</c> runs at start. Each options class keeps one test that starts a worker
/// with a bad setting (WorkerFactory), which proves the validation runs at start; the rest of its rules are checked here,
/// in milliseconds instead of a worker's start each.
/// </summary>
public static class WorkerOptionsValidation
{
    /// <summary>
    /// Resolves <typeparamref name="TOptions"/> from the worker's registrations over <paramref name="settings"/> (a later
    /// value of a key replacing an earlier one, as in WorkerFactory).
    /// </summary>
    public static TOptions Resolve<TOptions>(params (string Key, string Value)[] settings) where TOptions : class
    {
        // Registration reads the connection strings; nothing connects, since nothing but the options is resolved.
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = "127.0.0.1:1",
            ["ConnectionStrings:redis"] = "127.0.0.1:1",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddApplicationServices();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<TOptions>>().Value;
    }

    /// <summary>Asserts that <typeparamref name="TOptions"/> over <paramref name="settings"/> fails validation naming <paramref name="setting"/>.</summary>
    public static void AssertFailsNaming<TOptions>(string setting, params (string Key, string Value)[] settings) where TOptions : class
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve<TOptions>(settings));
        Assert.Contains(setting, exception.Message);
    }
}
