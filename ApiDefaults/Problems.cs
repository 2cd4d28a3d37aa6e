using System.Text.Json;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;

namespace Tasks.ApiDefaults;

/// <summary>
/// Every 4xx of the API is an RFC 7807 problem; validation and binding failures are ASP.NET Core's ValidationProblem
/// shape (<c>errors</c> keyed by the field as the JSON or the route names it), which FastEndpoints is told to write.
/// </summary>
public static class Problems
{
    private const string BadRequestType = "https://tools.ietf.org/html/rfc9110#section-15.5.1";

    /// <summary>FastEndpoints' response for failed validation or binding.</summary>
    public static object ValidationProblem(List<ValidationFailure> failures, HttpContext context, int statusCode) =>
        new HttpValidationProblemDetails(failures
            .GroupBy(failure => failure.PropertyName)
            .ToDictionary(field => field.Key, field => field.Select(failure => failure.ErrorMessage).ToArray()))
        {
            Type = BadRequestType,
            Title = "One or more validation errors occurred.",
            Status = statusCode,
        };

    /// <summary>A body that is not JSON, or not of the expected shape: the field its path names ("$.name"), else the body itself.</summary>
    public static ValidationFailure JsonFailure(JsonException json) =>
        new(JsonErrors.FieldOf(json) ?? "body", JsonErrors.Describe(json));

    /// <summary>A route or query value that does not parse as its type, e.g. an id that is not a GUID.</summary>
    public static string ValueFailure(Type type, string name, StringValues value) =>
        $"'{value}' is not a valid {Describe(Nullable.GetUnderlyingType(type) ?? type)}.";

    /// <summary>
    /// A request without Content-Type to an endpoint that takes JSON: FastEndpoints answers 415 with an empty body, so
    /// this answers first, with a problem (a wrong Content-Type gets one from the status-code pages).
    /// </summary>
    public static IApplicationBuilder UseUnsupportedMediaTypeProblems(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata is { } metadata
                && metadata.GetMetadata<EndpointDefinition>() is not null
                && metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 }
                && (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
                && string.IsNullOrEmpty(context.Request.ContentType))
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                    detail: "The body must be application/json.").ExecuteAsync(context);
                return;
            }
            await next(context);
        });

    private static string Describe(Type type) =>
        type == typeof(Guid) ? "GUID"
        : type == typeof(int) || type == typeof(long) ? "integer"
        : type.Name;
}
