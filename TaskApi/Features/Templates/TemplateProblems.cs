using FluentValidation.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskApi.Infrastructure;
using Tasks.ApiDefaults;
using Tasks.EmailTemplates;

namespace TaskApi.Features.Templates;

/// <summary>The RFC 7807 answers the template endpoints share.</summary>
public static class TemplateProblems
{
    public static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Template not found", detail: $"No template has id {id}.");

    public static ProblemHttpResult InUse(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Template in use",
            detail: $"A scheduled or sending campaign uses template {id}; it can be deleted once no such campaign does.");

    /// <summary>A part that fails with the values given (it runs too long, or a filter refuses a value): a 400 naming the part, as validation does.</summary>
    public static ProblemHttpResult PartFailed(HttpContext context, string part, string message) =>
        PartsFailed(context, [new ValidationFailure(part, message)]);

    /// <summary>Parts that do not compile: a 400 naming each part with its errors' lines and columns, as validation does.</summary>
    public static ProblemHttpResult DoNotCompile(HttpContext context, IEnumerable<TemplateError> errors) =>
        PartsFailed(context, errors.Select(error => new ValidationFailure(error.Part, TemplateRules.Describe(error))).ToList());

    private static ProblemHttpResult PartsFailed(HttpContext context, List<ValidationFailure> failures) =>
        TypedResults.Problem((HttpValidationProblemDetails)Problems.ValidationProblem(failures, context, StatusCodes.Status400BadRequest));
}

/// <summary>The route of <c>/templates/{id}</c>.</summary>
public sealed class TemplateIdRequest
{
    /// <summary>The template's id (an integer).</summary>
    public long Id { get; set; }
}
