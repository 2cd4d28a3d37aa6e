using Microsoft.AspNetCore.Diagnostics;

namespace Tasks.ApiDefaults;

/// <summary>
/// Kestrel's refusals while a request is read (a body over the endpoint's limit: 413) reach the endpoint as
/// exceptions, which FastEndpoints lets through; they become problem details with their own status instead of a 500.
/// </summary>
public sealed class BadRequestProblemHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        Microsoft.AspNetCore.Mvc.ProblemDetails problem = badRequest.StatusCode == StatusCodes.Status400BadRequest
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [badRequest.Message] })
            : new Microsoft.AspNetCore.Mvc.ProblemDetails { Detail = badRequest.Message };
        problem.Status = badRequest.StatusCode;
        problem.Title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(badRequest.StatusCode);

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}
