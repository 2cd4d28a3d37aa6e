using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TasksConsole.Api;

/// <summary>
/// An answer of TaskApi that is not a success, as its RFC 7807 problem says it: the title, the detail, and the messages
/// per field (<c>errors</c>, keyed by the field as the request named it), so that a page shows each at its field.
/// </summary>
public sealed class ApiProblemException(HttpStatusCode status, string title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail ?? title)
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>The messages per field; empty when the problem names no field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>The messages about <paramref name="field"/> (named as in the request, in any case), or null when there are none.</summary>
    public string? MessageFor(string field) =>
        Errors.FirstOrDefault(error => string.Equals(error.Key, field, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } messages
            ? string.Join(" ", messages)
            : null;

    /// <summary>The messages about fields other than <paramref name="shownAtFields"/>, each with its field's name: shown with the problem itself.</summary>
    public IEnumerable<string> MessagesNotAt(params string[] shownAtFields) =>
        Errors.Where(error => !shownAtFields.Contains(error.Key, StringComparer.OrdinalIgnoreCase))
            .SelectMany(error => error.Value.Select(message => $"{error.Key}: {message}"));

    /// <summary>The problem of a failed answer: read from its body when it is a problem, else made from its status.</summary>
    public static async Task<ApiProblemException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var fallbackTitle = $"TaskApi answered {(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(cancellationToken);
                if (problem is not null)
                {
                    return new ApiProblemException(response.StatusCode, problem.Title ?? fallbackTitle, problem.Detail,
                        problem.Errors ?? new Dictionary<string, string[]>());
                }
            }
            catch (JsonException)
            {
                // Not a problem after all: the status says what there is to say.
            }
        }
        return new ApiProblemException(response.StatusCode, fallbackTitle, null, new Dictionary<string, string[]>());
    }

    private sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
