using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using TasksConsole.Infrastructure.SignIn;

namespace TasksConsole.Api;

/// <summary>
/// The base of the generated <see cref="TaskApiClient"/>: every request carries the signed-in operator's access token, and
/// a 401 ends the session.
/// </summary>
/// <remarks>
/// The token is set through <see cref="OperatorApiCalls"/> (NSwag's configuration class), for the reasons it gives.
/// </remarks>
public abstract class TaskApiClientBase(OperatorApiCalls calls)
{
    private ClaimsPrincipal? _caller;

    /// <summary>Called by the generated code for each request.</summary>
    protected async Task<HttpRequestMessage> CreateHttpRequestMessageAsync(CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage();
        _caller = await calls.AuthorizeAsync(request, cancellationToken);
        return request;
    }

    /// <exception cref="SignInRequiredException">TaskApi refused the session's token.</exception>
    protected void EndSessionWhenRefused(HttpClient client, HttpResponseMessage response)
    {
        if (_caller is not null)
        {
            calls.EndSessionWhenRefused(_caller, response, client.BaseAddress);
        }
    }
}

/// <summary>TaskApi's HTTP API as the console calls it: generated from the OpenAPI document (see Console.csproj).</summary>
public partial class TaskApiClient
{
    /// <summary>
    /// The answer's text is read before its JSON: an error answer whose body the document types (a 400 with a schema) is
    /// then thrown with its text, from which <see cref="ApiProblemException"/> reads the problem's messages per field, also
    /// when the body does not read as the documented type.
    /// </summary>
    partial void Initialize() => ReadResponseAsString = true;

    partial void ProcessResponse(HttpClient client, HttpResponseMessage response) => EndSessionWhenRefused(client, response);

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
