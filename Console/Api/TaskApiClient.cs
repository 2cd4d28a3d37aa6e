using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using TasksConsole.Infrastructure.SignIn;

namespace TasksConsole.Api;

/// <summary>Who calls TaskApi: the operator of the component's scope and their session's tokens.</summary>
public sealed class TaskApiAccess(AuthenticationStateProvider authentication, OperatorSessions sessions)
{
    internal AuthenticationStateProvider Authentication => authentication;

    internal OperatorSessions Sessions => sessions;
}

/// <summary>
/// The base of the generated <see cref="TaskApiClient"/>: every request carries the signed-in operator's access token, and
/// a 401 ends the session.
/// </summary>
/// <remarks>
/// The token is set here, not by a DelegatingHandler: IHttpClientFactory builds handlers in a DI scope of their own, where
/// neither the interactive circuit's services nor (in a circuit) an HttpContext are to be had. The typed client is
/// resolved in the scope of the component that uses it (the circuit's, or the request's while prerendering), whose
/// AuthenticationStateProvider knows the operator in both cases; the session's tokens, refreshed before they expire, come
/// from <see cref="OperatorSessions"/>.
/// </remarks>
public abstract class TaskApiClientBase(TaskApiAccess access)
{
    private ClaimsPrincipal? _caller;

    /// <summary>Called by the generated code for each request.</summary>
    protected async Task<HttpRequestMessage> CreateHttpRequestMessageAsync(CancellationToken cancellationToken)
    {
        var user = (await access.Authentication.GetAuthenticationStateAsync()).User;
        _caller = user;
        var request = new HttpRequestMessage();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await access.Sessions.AccessTokenAsync(user, cancellationToken));
        return request;
    }

    /// <exception cref="SignInRequiredException">TaskApi refused the session's token.</exception>
    protected void EndSessionWhenRefused(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return;
        }
        // The token was fresh, so TaskApi refused it for a reason a refresh would not change (the operator was
        // disabled, their role or password changed): the session ends and the operator signs in again.
        if (_caller is not null && OperatorSessions.SessionIdOf(_caller) is { } sessionId)
        {
            access.Sessions.End(sessionId);
        }
        throw new SignInRequiredException("TaskApi refused the session's access token.");
    }
}

/// <summary>TaskApi's HTTP API as the console calls it: generated from the OpenAPI document (see Console.csproj).</summary>
public partial class TaskApiClient
{
    partial void ProcessResponse(HttpClient client, HttpResponseMessage response) => EndSessionWhenRefused(response);

    /// <summary>
    /// NSwag gives a POST without a body (replay, discard, retry) an empty <c>application/json</c> content, which TaskApi
    /// (FastEndpoints) reads as malformed JSON and answers 400: such a request goes without content.
    /// </summary>
    partial void PrepareRequest(HttpClient client, HttpRequestMessage request, string url)
    {
        if (request.Content is { Headers.ContentLength: 0 })
        {
            request.Content = null;
        }
    }
}
