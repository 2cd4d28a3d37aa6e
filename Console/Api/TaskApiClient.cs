using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Components.Authorization;
using TasksConsole.Infrastructure.SignIn;

namespace TasksConsole.Api;

/// <summary>
/// TaskApi's HTTP API as the console calls it, with the signed-in operator's access token on every request.
/// </summary>
/// <remarks>
/// The token is set here, not by a DelegatingHandler: IHttpClientFactory builds handlers in a DI scope of their own, where
/// neither the interactive circuit's services nor (in a circuit) an HttpContext are to be had. This typed client is
/// resolved in the scope of the component that uses it (the circuit's, or the request's while prerendering), whose
/// AuthenticationStateProvider knows the operator in both cases; the session's tokens, refreshed before they expire, come
/// from <see cref="OperatorSessions"/>.
/// </remarks>
public sealed class TaskApiClient(HttpClient http, AuthenticationStateProvider authentication, OperatorSessions sessions)
{
    /// <summary><c>GET /tasks</c>: a page (from 1) of tasks, newest first, of one status or all.</summary>
    public Task<TaskPage> ListTasksAsync(int page, int pageSize, string? status, CancellationToken cancellationToken)
    {
        var query = $"/tasks?page={page}&pageSize={pageSize}";
        if (status is not null)
        {
            query += $"&status={Uri.EscapeDataString(status)}";
        }
        return SendAsync<TaskPage>(HttpMethod.Get, query, cancellationToken);
    }

    /// <summary><c>GET /tasks/{id}</c>.</summary>
    public Task<TaskItem> GetTaskAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<TaskItem>(HttpMethod.Get, $"/tasks/{id}", cancellationToken);

    /// <summary><c>DELETE /tasks/{id}</c>: cancels a task that has not started (409 problem otherwise).</summary>
    public Task<TaskItem> CancelTaskAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<TaskItem>(HttpMethod.Delete, $"/tasks/{id}", cancellationToken);

    /// <exception cref="ApiProblemException">TaskApi answered with an error.</exception>
    /// <exception cref="SignInRequiredException">The operator must sign in again.</exception>
    private async Task<T> SendAsync<T>(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await sessions.AccessTokenAsync(user, cancellationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token was fresh, so TaskApi refused it for a reason a refresh would not change (the operator was
            // disabled, their role or password changed): the session ends and the operator signs in again.
            if (OperatorSessions.SessionIdOf(user) is { } sessionId)
            {
                sessions.End(sessionId);
            }
            throw new SignInRequiredException("TaskApi refused the session's access token.");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiProblemException.FromResponseAsync(response, cancellationToken);
        }
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
            ?? throw new ApiProblemException(response.StatusCode, "TaskApi answered with an empty body", null, new Dictionary<string, string[]>());
    }
}
