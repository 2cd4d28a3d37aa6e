using Microsoft.Extensions.Configuration;
using System.Runtime.InteropServices;
using AppHost;
using EmbeddedKafka;
using Tasks.Shared;

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

var tasksDb = configuration.GetConnectionString(ResourceNames.TasksDatabase)
    ?? "Host=127.0.0.1;Port=5432;Database=tasks;Username=postgres;Password=postgres";
var apiUrl = configuration["TaskApi:Url"] ?? "http://127.0.0.1:5080";

// Without a Kafka connection string, Kafka is librdkafka's mock cluster in this process (no broker installs here).
using var embeddedKafka = configuration.GetConnectionString(ResourceNames.Kafka) is null ? StartEmbeddedKafka() : null;
var kafka = embeddedKafka?.BootstrapServers ?? configuration.GetConnectionString(ResourceNames.Kafka)!;

var resources = new[]
{
    new ProjectResource("taskapi", "TaskApi", ServiceEnvironment("taskapi",
        ($"ConnectionStrings__{ResourceNames.TasksDatabase}", tasksDb),
        ($"ConnectionStrings__{ResourceNames.Kafka}", kafka),
        ("ASPNETCORE_URLS", apiUrl))),
    new ProjectResource("taskworker", "TaskWorker", ServiceEnvironment("taskworker",
        ($"ConnectionStrings__{ResourceNames.Kafka}", kafka),
        ("ASPNETCORE_URLS", "http://127.0.0.1:0"))),
};

Console.WriteLine($"taskapi  {apiUrl}  (Swagger: {apiUrl}/swagger)");
Console.WriteLine($"kafka    {kafka}{(embeddedKafka is null ? "" : "  (embedded)")}");
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
// TaskWorker lets running tasks finish for up to Worker:ShutdownGrace (10 s) before it stops.
await Task.WhenAll(processes.Select(p => ProjectResource.StopAsync(p, TimeSpan.FromSeconds(15))));

void StopOnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}

static KafkaMockCluster StartEmbeddedKafka()
{
    var cluster = KafkaMockCluster.Start();
    foreach (var topic in KafkaTopics.All)
    {
        cluster.CreateTopic(topic, partitions: 8);
    }
    return cluster;
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
