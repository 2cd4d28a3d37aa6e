using System.Net;
using System.Text.Json;

namespace TasksConsole.Api;

/// <summary>
/// An answer of TaskApi that is not a success, as its RFC 7807 problem says it: the title, the detail, and the messages
/// per field (<c>errors</c>, keyed by the field as the request named it), so that a page shows each at its field. The
/// generated <see cref="TaskApiClient"/> throws it (the constructors taking the answer's text are the shape NSwag calls).
/// </summary>
public class ApiProblemException : Exception
{
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);

    public ApiProblemException(HttpStatusCode status, string title, string? detail, IReadOnlyDictionary<string, string[]> errors,
        Exception? innerException = null)
        : base(detail ?? title, innerException)
    {
        Status = status;
        Title = title;
        Detail = detail;
        Errors = errors;
    }

    /// <summary>
    /// The problem of a failed answer: read from its body when it is a problem, else named by <paramref name="message"/>
    /// (the OpenAPI document's description of the status, or NSwag's "status not expected").
    /// </summary>
    public ApiProblemException(string message, int statusCode, string? response,
        IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
        : this((HttpStatusCode)statusCode, ProblemIn(response), message, innerException)
    {
    }

    private ApiProblemException(HttpStatusCode status, ProblemBody? problem, string fallbackTitle, Exception? innerException)
        : this(status, problem?.Title ?? fallbackTitle, problem?.Detail, problem?.Errors ?? new Dictionary<string, string[]>(), innerException)
    {
    }

    public HttpStatusCode Status { get; }

    public string Title { get; }

    public string? Detail { get; }

    /// <summary>The messages per field; empty when the problem names no field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>The messages about <paramref name="field"/> (named as in the request, in any case), or null when there are none.</summary>
    public string? MessageFor(string field) =>
        Errors.FirstOrDefault(error => string.Equals(error.Key, field, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } messages
            ? string.Join(" ", messages)
            : null;

    /// <summary>The messages about fields other than <paramref name="shownAtFields"/>, each with its field's name: shown with the problem itself.</summary>
    public IEnumerable<string> MessagesNotAt(params string[] shownAtFields) =>
        Errors.Where(error => !shownAtFields.Contains(error.Key, StringComparer.OrdinalIgnoreCase))
            .SelectMany(error => error.Value.Select(message => $"{error.Key}: {message}"));

    private static ProblemBody? ProblemIn(string? response)
    {
        if (string.IsNullOrWhiteSpace(response))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ProblemBody>(response, ProblemJson);
        }
        catch (JsonException)
        {
            // Not a problem after all (a proxy's page): the status's description says what there is to say.
            return null;
        }
    }

    private sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}

/// <summary>
/// The generated client's exception for a status the document describes with a body type; the problem is read from the
/// answer's text, which the client always keeps (<c>ReadResponseAsString</c>).
/// </summary>
public sealed class ApiProblemException<TResult>(string message, int statusCode, string? response,
    IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result, Exception? innerException)
    : ApiProblemException(message, statusCode, response, headers, innerException)
{
    /// <summary>The body as the document types it.</summary>
    public TResult Result { get; } = result;
}
