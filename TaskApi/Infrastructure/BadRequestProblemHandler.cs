using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace TaskApi.Infrastructure;

/// <summary>
/// Turns the framework's request-binding failures (malformed JSON, wrong types, unparsable route or
/// query values, bodies over the limit) into problem details that name the offending field, instead of
/// an empty 400. Requires <c>RouteHandlerOptions.ThrowOnBadRequest</c> so the failures reach here.
/// </summary>
public sealed partial class BadRequestProblemHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        var problem = badRequest.StatusCode == StatusCodes.Status400BadRequest
            ? new HttpValidationProblemDetails(FieldErrors(badRequest)) { Title = "The request is not valid." }
            : new Microsoft.AspNetCore.Mvc.ProblemDetails { Title = ReasonPhrase(badRequest.StatusCode), Detail = badRequest.Message };
        problem.Status = badRequest.StatusCode;

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static Dictionary<string, string[]> FieldErrors(BadHttpRequestException badRequest)
    {
        if (badRequest.InnerException is JsonException json)
        {
            return new() { [JsonErrors.FieldOf(json) ?? "body"] = [JsonErrors.Describe(json)] };
        }
        if (BindFailure().Match(badRequest.Message) is { Success: true } bind)
        {
            var field = JsonNamingPolicy.CamelCase.ConvertName(bind.Groups["name"].Value);
            return new() { [field] = [$"'{bind.Groups["value"].Value}' is not a valid {Describe(bind.Groups["type"].Value)}."] };
        }
        if (badRequest.Message.EndsWith("was not provided from body.", StringComparison.Ordinal))
        {
            return new() { ["body"] = ["A JSON body is required."] };
        }
        return new() { ["request"] = [badRequest.Message] };
    }

    private static string Describe(string clrType) => clrType switch
    {
        "Guid" => "GUID",
        "int" or "int?" or "Nullable<int>" or "long" or "long?" or "Nullable<long>" => "integer",
        _ => clrType,
    };

    private static string ReasonPhrase(int statusCode) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(statusCode);

    // The framework's message for a route/query/header value that does not parse, e.g.
    // Failed to bind parameter "Guid id" from "abc".
    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();
}
