using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using TasksConsole.Infrastructure.SignIn;

namespace TasksConsole.Api;

/// <summary>
/// One call of one of our APIs (TaskApi, the identity service's admin API) as the signed-in operator: their access token
/// on the request, an error answer turned into <see cref="ApiProblemException"/>, a refused token into the end of the
/// session. The typed clients send through it, so each of them only says which route and body a call has.
/// </summary>
/// <remarks>
/// The token is set here, not by a DelegatingHandler: IHttpClientFactory builds handlers in a DI scope of their own, where
/// neither the interactive circuit's services nor (in a circuit) an HttpContext are to be had. This service is resolved in
/// the scope of the component that uses it (the circuit's, or the request's while prerendering), whose
/// AuthenticationStateProvider knows the operator in both cases; the session's tokens, refreshed before they expire, come
/// from <see cref="OperatorSessions"/>.
/// </remarks>
public sealed class OperatorApiCalls(AuthenticationStateProvider authentication, OperatorSessions sessions)
{
    /// <summary>Sends the call and reads the answer's JSON body.</summary>
    /// <exception cref="ApiProblemException">The API answered with an error.</exception>
    /// <exception cref="SignInRequiredException">The operator must sign in again.</exception>
    public async Task<T> SendAsync<T>(HttpClient http, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(http, method, path, body, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
            ?? throw new ApiProblemException(response.StatusCode, "The API answered with an empty body", null, new Dictionary<string, string[]>());
    }

    /// <summary>Sends a call whose success has no body (204).</summary>
    /// <exception cref="ApiProblemException">The API answered with an error.</exception>
    /// <exception cref="SignInRequiredException">The operator must sign in again.</exception>
    public async Task SendAsync(HttpClient http, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(http, method, path, body, cancellationToken);
    }

    /// <summary>Puts the signed-in operator's access token on <paramref name="request"/>; returns the operator.</summary>
    public async Task<ClaimsPrincipal> AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await sessions.AccessTokenAsync(user, cancellationToken));
        return user;
    }

    /// <summary>Ends <paramref name="caller"/>'s session when <paramref name="response"/> refused their token.</summary>
    /// <exception cref="SignInRequiredException">The API refused the token.</exception>
    public void EndSessionWhenRefused(ClaimsPrincipal caller, HttpResponseMessage response, Uri? api)
    {
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return;
        }
        // The token was fresh, so the API refused it for a reason a refresh would not change (the operator was
        // disabled, their role or password changed): the session ends and the operator signs in again.
        if (OperatorSessions.SessionIdOf(caller) is { } sessionId)
        {
            sessions.End(sessionId);
        }
        throw new SignInRequiredException($"{api} refused the session's access token.");
    }

    private async Task<HttpResponseMessage> SendCheckedAsync(HttpClient http, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        var caller = await AuthorizeAsync(request, cancellationToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        var response = await http.SendAsync(request, cancellationToken);
        try
        {
            EndSessionWhenRefused(caller, response, http.BaseAddress);
            if (!response.IsSuccessStatusCode)
            {
                throw new ApiProblemException(response.ReasonPhrase ?? $"The API answered {(int)response.StatusCode}", (int)response.StatusCode,
                    await response.Content.ReadAsStringAsync(cancellationToken), new Dictionary<string, IEnumerable<string>>(), null);
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
        return response;
    }
}
