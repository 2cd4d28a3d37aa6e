using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tasks.Testing;

/// <summary>One send the stand-in received: the id in its path, its body as sent, its headers of note, and when it arrived.</summary>
public sealed record GatewayRequest(long MessageId, string Body, string? Authorization, string? TraceParent, DateTimeOffset ReceivedAt);

/// <summary>
/// How the stand-in answers one send: a status with a body (and a Retry-After header), after <see cref="Delay"/>; a
/// delay longer than the caller's timeout is a provider that hangs.
/// </summary>
public sealed record StandInAnswer(int StatusCode, string Body = "", string? RetryAfter = null, TimeSpan Delay = default, bool BodyNeverEnds = false)
{
    /// <summary>A refusal whose body starts with <paramref name="body"/> and then never ends (the stream stays open until the caller hangs up).</summary>
    public static StandInAnswer EndlessBody(int statusCode, string body) => new(statusCode, body, BodyNeverEnds: true);

    public static readonly StandInAnswer Accepted = new(StatusCodes.Status200OK, """{"status":"accepted"}""");

    public static StandInAnswer Status(int statusCode, string body = "", string? retryAfter = null) => new(statusCode, body, retryAfter);

    /// <summary>Accepts, but only after <paramref name="delay"/> (or never, when the caller gives up first).</summary>
    public static StandInAnswer AcceptedAfter(TimeSpan delay) => Accepted with { Delay = delay };
}

/// <summary>
/// A stand-in for the SMS provider's API (<c>POST /v1/send/{id}</c>) on a real Kestrel server on a loopback port: it
/// answers each id as a test programmed it (otherwise 200) and records every request with its arrival time.
/// </summary>
public sealed class StandInSmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<GatewayRequest> _requests = new();
    private readonly ConcurrentDictionary<long, ConcurrentQueue<StandInAnswer>> _answers = new();

    private StandInSmsGateway(WebApplication app) => _app = app;

    /// <summary>The address to give as <c>Sms:BaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<GatewayRequest> Requests => _requests.ToList();

    public static async Task<StandInSmsGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var gateway = new StandInSmsGateway(builder.Build());
        gateway._app.MapPost("/v1/send/{id:long}", gateway.SendAsync);
        await gateway._app.StartAsync();
        var address = gateway._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        gateway.BaseUrl = new Uri(address);
        return gateway;
    }

    /// <summary>The next sends of <paramref name="messageId"/> get these answers in order; later ones get 200.</summary>
    public void Answer(long messageId, params StandInAnswer[] answers)
    {
        var queue = _answers.GetOrAdd(messageId, _ => new ConcurrentQueue<StandInAnswer>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    public IReadOnlyList<GatewayRequest> RequestsFor(long messageId) => _requests.Where(request => request.MessageId == messageId).ToList();

    /// <summary>Waits until <paramref name="count"/> sends of <paramref name="messageId"/> arrived, and returns them.</summary>
    public Task<IReadOnlyList<GatewayRequest>> WaitForRequestsAsync(long messageId, int count = 1, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            () => Task.FromResult(RequestsFor(messageId) is { } received && received.Count >= count ? received : null),
            timeout ?? TimeSpan.FromSeconds(30), $"{count} sends of message {messageId}");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task SendAsync(long id, HttpContext context)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        _requests.Enqueue(new GatewayRequest(id, body, headers.Authorization.FirstOrDefault(), headers["traceparent"].FirstOrDefault(), receivedAt));

        var answer = _answers.TryGetValue(id, out var queue) && queue.TryDequeue(out var programmed) ? programmed : StandInAnswer.Accepted;
        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        context.Response.StatusCode = answer.StatusCode;
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        if (answer.Body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        }
        while (answer.BodyNeverEnds && !context.RequestAborted.IsCancellationRequested)
        {
            try
            {
                await context.Response.WriteAsync(new string(' ', 64 * 1024), context.RequestAborted);
                await Task.Delay(TimeSpan.FromMilliseconds(50), context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                return;
            }
        }
    }
}
