using AppHost.Infrastructure;
using AppHost.Services;
using AppHost.Startup;
using Tasks.Shared;

// The whole system: `dotnet run --project AppHost`. The same model, published, is aspire-manifest.json:
// `dotnet run --project AppHost -- --publisher manifest --output-path ../aspire-manifest.json`.
return StartupProblem.ReportedInOneLine(() =>
{
    var builder = DistributedApplication.CreateBuilder(CommandLine.Expand(args));
    builder.Configuration.EnsureDashboardPortsFree();
    builder.Configuration.CheckReplicaNames("api", "worker", "scheduler");
    var infrastructure = builder.ChooseInfrastructure();

    var postgres = builder.AddPostgresServer(infrastructure, "postgres");
    var tasksDb = postgres.AddDatabase(ResourceNames.TasksDatabase);
    var identityDb = postgres.AddDatabase(ResourceNames.IdentityDatabase);
    var redis = builder.AddRedisServer(infrastructure, ResourceNames.Redis);
    var kafka = builder.AddKafkaBroker(infrastructure, ResourceNames.Kafka);
    var kafkaSecrets = builder.AddKafkaSecrets();
    var sms = builder.AddSmsProvider(infrastructure);
    var smtp = builder.AddSmtpServer(infrastructure);
    var identity = builder.AddIdentityService(infrastructure, identityDb);

    var api = builder.AddProject<Projects.TaskApi>("taskapi")
        .WithPublicHttpEndpoint(builder.Configuration, "TaskApi:Url", "http://127.0.0.1:5080")
        .WithUrlForEndpoint("http", _ => new() { Url = "/swagger", DisplayText = "Swagger" })
        .WithHealthProbe()
        .WithReference(tasksDb).WaitFor(tasksDb)
        .WithReference(kafka).WaitFor(kafka)
        .WithIdentityService(builder.Configuration, identity)
        .WithKafkaSettings(builder.Configuration, kafkaSecrets)
        .WithFeatureSettings(builder.Configuration, "Outbox", "Retries", "Reconciliation", "Mailings", "Campaigns", "Reports")
        .WithWorkerBounds(builder.Configuration)
        .WithReplicasFrom(builder.Configuration, "api");
    identity.WithBrowserCallsFrom(builder.Configuration, api);
    var tracking = builder.AddEmailTracking(infrastructure, publicApi: api);
    api.WithEmailTracking(builder.Configuration, tracking);

    builder.AddProject<Projects.TaskWorker>("taskworker")
        .WithHealthProbe()
        .WithReference(redis).WaitFor(redis)
        .WithReference(kafka).WaitFor(kafka)
        .WithKafkaSettings(builder.Configuration, kafkaSecrets)
        .WithFeatureSettings(builder.Configuration, "Worker", "Notifications")
        .WithSmsProvider(builder.Configuration, sms)
        .WithSmtpServer(builder.Configuration, smtp)
        .WithEmailTracking(builder.Configuration, tracking)
        .WithReplicasFrom(builder.Configuration, "worker");

    builder.AddProject<Projects.Scheduler>("scheduler")
        .WithHealthProbe()
        .WithReference(redis).WaitFor(redis)
        .WithReference(kafka).WaitFor(kafka)
        .WithKafkaSettings(builder.Configuration, kafkaSecrets)
        .WithFeatureSettings(builder.Configuration, "Scheduler")
        .WithReplicasFrom(builder.Configuration, "scheduler");

    builder.AddConsole(api, identity);

    builder.ExportMetricsEvery(TimeSpan.FromSeconds(5));
    builder.RestartCrashedProcesses();
    builder.StopServicesFirst();
    builder.ReportWhereThingsAre();
    builder.Build().Run();
});
