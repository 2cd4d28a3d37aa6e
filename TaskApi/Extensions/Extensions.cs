using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using TaskApi.Features.Tasks;
using TaskApi.Features.Tasks.Intake;
using TaskApi.Features.Tasks.Scheduling;
using TaskApi.Features.Tasks.StatusUpdates;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Outbox;
using Tasks.Shared;

namespace TaskApi.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<TasksDbContext>(ResourceNames.TasksDatabase,
            settings => settings.ConnectionString = ConnectionDefaults.Apply(settings.ConnectionString));
        builder.Services.AddHostedService<DatabaseMigrator<TasksDbContext>>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TaskMetrics>();

        // Kafka: one producer for the outbox relay and dead letters; one consumer group per consuming loop.
        builder.AddKafkaProducer<byte[]?, byte[]>(ResourceNames.Kafka);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(TaskRequestsConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = TaskRequestsConsumer.ConsumerGroup);
        builder.AddKeyedKafkaConsumer<byte[]?, byte[]>(TaskStatusConsumer.ConsumerKey, ResourceNames.Kafka,
            settings => settings.Config.GroupId = TaskStatusConsumer.ConsumerGroup);

        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        builder.Services.Configure<RetryOptions>(builder.Configuration.GetSection("Retries"));
        builder.Services.Configure<ReconciliationOptions>(builder.Configuration.GetSection("Reconciliation"));
        builder.Services.AddHostedService<ScheduleReconciler>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddHostedService<TaskRequestsConsumer>();
        builder.Services.AddHostedService<TaskStatusConsumer>();

        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            // Numbers must be numbers: the web defaults would accept "5" for a number.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        // Binding failures (bad JSON, unparsable ids, oversize bodies) become problem details naming the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestProblemHandler>();
        builder.Services.AddProblemDetails();

        // Error messages name fields as the JSON does ("name", not "Name").
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        builder.Services.AddSingleton<IValidator<CreateTaskCommand>, CreateTaskCommandValidator>();
        builder.Services.AddSingleton<IValidator<ListTasksQuery>, ListTasksQueryValidator>();

        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Tasks API";
            document.Info.Description = KafkaIntakeDescription;
            return Task.CompletedTask;
        }));
    }

    private const string KafkaIntakeDescription = $$"""
        Tasks are created over REST (below) or by any Kafka producer.

        **Kafka intake.** Produce to `{{KafkaTopics.TaskRequests}}` a JSON value `{"name": "...", "payload": <any JSON>}` with
        the same rules as `POST /tasks` (name 1-200 characters, payload up to 64 KiB, whole message up to 72 KiB). The
        message key, if any, is the idempotency key (UTF-8, 1-200 visible ASCII characters): the same key twice creates
        one task, shared with REST's `Idempotency-Key`. A message that breaks a rule goes to `{{KafkaTopics.TaskRequestsDeadLetter}}`
        with its original key, value and headers, plus the headers `{{DeadLetterHeaders.Reason}}` (why) and `{{DeadLetterHeaders.Source}}`
        (topic/partition/offset). W3C `traceparent` headers are honoured, so the task's trace continues the producer's.

        Each task then moves `new` → `in_progress` → `success` | `error` as TaskWorker runs it.
        """;

    public static WebApplication MapOpenApiAndSwagger(this WebApplication app)
    {
        app.MapOpenApi();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "Tasks API v1");
            options.RoutePrefix = "swagger";
        });
        return app;
    }
}
