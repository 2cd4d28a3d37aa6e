using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Tasks.ApiDefaults;

/// <summary>How each of our HTTP APIs reads requests and answers them: FastEndpoints, JSON as the client wrote it, problem details for every 4xx.</summary>
public static class HttpApiExtensions
{
    public static IHostApplicationBuilder AddHttpApiDefaults(this IHostApplicationBuilder builder)
    {
        // FastEndpoints takes these for binding requests and writing responses.
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
            // Numbers must be numbers: the web defaults would accept "5" for a number.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddFastEndpoints();
        builder.Services.AddExceptionHandler<BadRequestProblemHandler>();
        builder.Services.AddProblemDetails();

        // Error messages name fields as the JSON does ("name", not "Name").
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        return builder;
    }

    /// <summary>
    /// Problem details for errors and bare status codes; the endpoints, with validation and binding failures written as
    /// validation problems; then <paramref name="beforeAuthentication"/> (what answers without a token: the API
    /// document, a rate limit), then who the caller is and what they may do.
    /// </summary>
    public static WebApplication UseHttpApiDefaults(this WebApplication app, Action<WebApplication>? beforeAuthentication = null)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // First: the OpenAPI generator reads FastEndpoints' settings (JSON naming, validators) when its middleware is added.
        app.UseFastEndpoints(config =>
        {
            config.Validation.UsePropertyNamingPolicy = false;
            config.Errors.ResponseBuilder = Problems.ValidationProblem;
            config.Errors.ProducesMetadataType = typeof(HttpValidationProblemDetails);
            config.Binding.JsonExceptionTransformer = Problems.JsonFailure;
            config.Binding.FailureMessage = Problems.ValueFailure;
        });
        beforeAuthentication?.Invoke(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseUnsupportedMediaTypeProblems();
        return app;
    }
}
