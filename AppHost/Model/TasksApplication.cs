using Tasks.Shared;

namespace AppHost.Model;

/// <summary>
/// The task service's resources and how they connect: what the Program.cs of a .NET Aspire AppHost declares.
/// The run (<see cref="Running.Orchestrator"/>) and the deployment manifest (<see cref="Publishing.ManifestPublisher"/>) both come from it.
/// </summary>
public static class TasksApplication
{
    public const string DefaultApiUrl = "http://127.0.0.1:5080";
    private const string HealthPath = "/health";

    public static ApplicationModel Create()
    {
        var postgresPassword = new ParameterResource("postgres-password", generatedMinLength: 22);
        var postgres = new PostgresServerResource("postgres", postgresPassword);
        var tasksDb = postgres.AddDatabase(ResourceNames.TasksDatabase);
        var redis = new RedisResource(ResourceNames.Redis);
        var kafka = new KafkaResource(ResourceNames.Kafka, KafkaTopics.All, partitionsPerTopic: 8);

        var taskApi = new ProjectResource("taskapi", "TaskApi", shortName: "api")
            .WithReference(tasksDb)
            .WithReference(kafka)
            .WithExternalHttpEndpoints()
            .WithRunUrl(new Uri(DefaultApiUrl))
            .WithUrl("/swagger", "Swagger")
            .WithHttpHealthCheck(HealthPath);
        var taskWorker = new ProjectResource("taskworker", "TaskWorker", shortName: "worker")
            .WithReference(kafka)
            .WithHttpHealthCheck(HealthPath);
        var scheduler = new ProjectResource("scheduler", "Scheduler", shortName: "scheduler")
            .WithReference(redis)
            .WithReference(kafka)
            .WithHttpHealthCheck(HealthPath);

        return new ApplicationModel([postgresPassword, postgres, tasksDb, redis, kafka, taskApi, taskWorker, scheduler]);
    }
}
