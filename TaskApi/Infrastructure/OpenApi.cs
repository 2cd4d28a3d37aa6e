using System.Text.Json;
using FastEndpoints.Swagger;
using NSwag;
using NSwag.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using TaskApi.Features.Tasks.CreateTask;
using TaskApi.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Infrastructure;

/// <summary>The OpenAPI document (FastEndpoints.Swagger) at <c>/openapi/v1.json</c> and Swagger UI at <c>/swagger</c>.</summary>
public static class OpenApi
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    /// <summary>The security scheme every operation but the tracking routes requires: the identity service's tokens.</summary>
    public const string SecurityScheme = "identity";

    public static IServiceCollection AddTasksOpenApi(this IServiceCollection services, IConfiguration configuration)
    {
        var tokenUrl = new Uri(configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()?.IdentityPublicUrl ?? new AuthOptions().IdentityPublicUrl,
            "connect/token").ToString();
        return services.SwaggerDocument(options =>
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
                document.OperationProcessors.Add(new PagingParameterBounds());
                // Swagger UI's "Authorize": an operator's login and password, or an app's client id and secret.
                document.AddAuth(SecurityScheme, new OpenApiSecurityScheme
                {
                    Type = OpenApiSecuritySchemeType.OAuth2,
                    Description = "Tokens of the identity service: operators with their login and password (the password grant), " +
                        "apps with their client id and secret (client credentials, HTTP Basic or form fields).",
                    Flows = new OpenApiOAuthFlows
                    {
                        Password = new OpenApiOAuthFlow
                        {
                            TokenUrl = tokenUrl,
                            RefreshUrl = tokenUrl,
                            Scopes = { ["offline_access"] = "a refresh token beside the access token" },
                        },
                        ClientCredentials = new OpenApiOAuthFlow
                        {
                            TokenUrl = tokenUrl,
                            Scopes = Scopes.ForApps.ToDictionary(scope => scope, scope => $"what an app granted '{scope}' may do"),
                        },
                    },
                });
                // FastEndpoints camel-cases header names as it does JSON properties ("idempotency-Key").
                document.PostProcess = openApi =>
                {
                    DescribeTokenRefusals(openApi);
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
    }

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
                // "Authorize" with an operator's login and password goes as the identity service's public client for
                // Swagger UI; for client credentials, an app's own id and secret replace it in the dialog.
                ui.OAuth2Client = new OAuth2ClientSettings { ClientId = ServiceClients.SwaggerUi, ClientSecret = "", AppName = "Tasks API" };
            });
        return app;
    }

    /// <summary>FastEndpoints lists 401 and 403 for every operation that needs a token, without a body: they are problems.</summary>
    private static void DescribeTokenRefusals(OpenApiDocument openApi)
    {
        foreach (var responses in openApi.Operations.Select(operation => operation.Operation.Responses))
        {
            Describe(responses, "401", "No token, or one that is not valid: expired, revoked, for another audience (WWW-Authenticate says why).");
            Describe(responses, "403", "The token lacks the role or scope this needs (the problem names it).");
        }

        void Describe(IDictionary<string, OpenApiResponse> responses, string status, string description)
        {
            if (responses.TryGetValue(status, out var response))
            {
                response.Description = description;
                response.Content["application/problem+json"] = new OpenApiMediaType
                {
                    Schema = new NJsonSchema.JsonSchema { Reference = openApi.Components.Schemas["ProblemDetails"] },
                };
            }
        }
    }

    /// <summary>
    /// The bounds of <see cref="PagingRules"/> and <see cref="CursorPagingRules"/> on every list's query parameters
    /// (<c>minimum</c>, <c>maximum</c>): FastEndpoints writes a validator's rules into body schemas only, and makes a query
    /// parameter from its property's bare type. Runs after FastEndpoints' own processor, which adds the parameters.
    /// </summary>
    private sealed class PagingParameterBounds : IOperationProcessor
    {
        private static readonly Dictionary<string, (decimal Minimum, decimal? Maximum)> Bounds = new()
        {
            [QueryName(nameof(IPagedRequest.Page))] = (1, Paging.MaxDepth),
            [QueryName(nameof(IPagedRequest.PageSize))] = (1, Paging.MaxPageSize),
            // GreaterThan(0) on an id.
            [QueryName(nameof(ICursorPagedRequest.After))] = (1, null),
        };

        public bool Process(OperationProcessorContext context)
        {
            var request = context.GetEndpointDefinition()?.ReqDtoType;
            if (request?.IsAssignableTo(typeof(IPagedRequest)) is not true)
            {
                return true;
            }
            // A list by a key that is no number (users, by their ids) has an "after" of its own, without numeric bounds.
            var byIdCursor = request.IsAssignableTo(typeof(ICursorPagedRequest));
            foreach (var parameter in context.OperationDescription.Operation.Parameters)
            {
                if (parameter.Kind == OpenApiParameterKind.Query && Bounds.TryGetValue(parameter.Name, out var bounds)
                    && (byIdCursor || parameter.Name != QueryName(nameof(ICursorPagedRequest.After))))
                {
                    parameter.Schema.Minimum = bounds.Minimum;
                    parameter.Schema.Maximum = bounds.Maximum;
                }
            }
            return true;
        }

        private static string QueryName(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);
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
