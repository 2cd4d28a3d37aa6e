using FastEndpoints.Swagger;
using NSwag;
using TaskApi.Features.Tasks.CreateTask;
using Tasks.Shared;

namespace TaskApi.Infrastructure;

/// <summary>The OpenAPI document (FastEndpoints.Swagger) at <c>/openapi/v1.json</c> and Swagger UI at <c>/swagger</c>.</summary>
public static class OpenApi
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public static IServiceCollection AddTasksOpenApi(this IServiceCollection services) =>
        services.SwaggerDocument(options =>
        {
            options.ShortSchemaNames = true;
            options.EnableJWTBearerAuth = false;
            // The schema generator reads enums through Newtonsoft's settings: the same snake_case words the API writes.
            options.NewtonsoftSettings = settings =>
            {
                settings.Converters.Clear();
                settings.Converters.Add(new Newtonsoft.Json.Converters.StringEnumConverter(new Newtonsoft.Json.Serialization.SnakeCaseNamingStrategy()));
            };
            options.DocumentSettings = document =>
            {
                document.DocumentName = "v1";
                document.Title = "Tasks API";
                document.Version = "v1";
                document.Description = KafkaIntakeDescription;
                // FastEndpoints camel-cases header names as it does JSON properties ("idempotency-Key").
                document.PostProcess = openApi =>
                {
                    foreach (var parameter in openApi.Operations.SelectMany(operation => operation.Operation.Parameters))
                    {
                        if (parameter.Kind == OpenApiParameterKind.Header
                            && parameter.Name.Equals(CreateTaskRequest.IdempotencyKeyHeader, StringComparison.OrdinalIgnoreCase))
                        {
                            parameter.Name = CreateTaskRequest.IdempotencyKeyHeader;
                        }
                    }
                };
            };
        });

    public static WebApplication UseTasksOpenApi(this WebApplication app)
    {
        app.UseSwaggerGen(
            document =>
            {
                document.Path = DocumentPath;
                // NSwag would name the address this request came to; without it clients and Swagger UI use their own base URL.
                document.PostProcess = (openApi, _) => openApi.Servers.Clear();
            },
            ui =>
            {
                ui.Path = "/swagger";
                ui.DocumentPath = DocumentPath;
                // Every operation in view on opening, rather than collapsed under its tag.
                ui.DocExpansion = "list";
            });
        return app;
    }

    private const string KafkaIntakeDescription = $$"""
        Tasks are created over REST (below) or by any Kafka producer.

        **Kafka intake.** Produce to `{{KafkaTopics.TaskRequests}}` a JSON value `{"name": "...", "payload": <any JSON>}` with
        the same rules as `POST /tasks` (name 1-200 characters, payload up to 64 KiB, whole message up to 72 KiB). The
        message key, if any, is the idempotency key (UTF-8, 1-200 visible ASCII characters): the same key twice creates
        one task. These tasks' `createdBy` is `kafka`, and idempotency keys are each creator's own, so a REST caller's
        `Idempotency-Key` of the same text is another key. A message that breaks a rule goes to `{{KafkaTopics.TaskRequestsDeadLetter}}`
        with its original key, value and headers, plus the headers `{{DeadLetterHeaders.Reason}}` (why) and `{{DeadLetterHeaders.Source}}`
        (topic/partition/offset). W3C `traceparent` headers are honoured, so the task's trace continues the producer's.

        Each task then moves `new` → `in_progress` → `success` | `error` as TaskWorker runs it.
        """;
}
