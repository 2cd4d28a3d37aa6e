using Microsoft.Extensions.Configuration;
using System.Runtime.InteropServices;
using AppHost;

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

var tasksDb = configuration.GetConnectionString("tasksdb")
    ?? "Host=127.0.0.1;Port=5432;Database=tasks;Username=postgres;Password=postgres";
var apiUrl = configuration["TaskApi:Url"] ?? "http://127.0.0.1:5080";

var resources = new[]
{
    new ProjectResource("taskapi", "TaskApi", ServiceEnvironment("taskapi", ("ConnectionStrings__tasksdb", tasksDb), ("ASPNETCORE_URLS", apiUrl))),
};

Console.WriteLine($"taskapi  {apiUrl}  (Swagger: {apiUrl}/swagger)");
var processes = resources.Select(resource => resource.Start()).ToList();

using var stopping = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopOnSignal);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopOnSignal);
try
{
    await Task.WhenAny(processes.Select(p => p.WaitForExitAsync(stopping.Token)));
}
catch (OperationCanceledException)
{
}
await Task.WhenAll(processes.Select(p => ProjectResource.StopAsync(p, TimeSpan.FromSeconds(5))));

void StopOnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}

IReadOnlyDictionary<string, string> ServiceEnvironment(string serviceName, params (string Key, string Value)[] settings)
{
    var environment = settings.ToDictionary(s => s.Key, s => s.Value);
    environment["OTEL_SERVICE_NAME"] = serviceName;
    environment["DOTNET_ENVIRONMENT"] = environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    if (configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { } otlp)
    {
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
    }
    return environment;
}
