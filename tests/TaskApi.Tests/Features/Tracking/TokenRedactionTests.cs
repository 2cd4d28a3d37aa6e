using System.Diagnostics;
using TaskApi.Features.Tracking;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Tracking;

/// <summary>The tokens of tracking and unsubscribe addresses, and query values, never reach a trace.</summary>
public sealed class TokenRedactionTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    [Theory]
    [InlineData("/u/{0}", "/u/" + TokenRedaction.Redacted)]
    [InlineData("/t/c/{0}", "/t/c/" + TokenRedaction.Redacted)]
    [InlineData("/t/o/{0}.gif", "/t/o/" + TokenRedaction.Redacted + ".gif")]
    public async Task Request_TokenInPathAndQuery_IsRedactedInItsSpan(string pathFormat, string redactedPath)
    {
        var token = $"secret{Guid.NewGuid():N}";
        var traceId = ActivityTraceId.CreateRandom();
        using var spans = new SpanCollector(AspNetCoreSource, traceId);
        using var client = api.CreateOutsideClient();
        var request = new HttpRequestMessage(HttpMethod.Get, string.Format(pathFormat, token) + $"?access_token={token}&x=1");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        await client.SendAsync(request);

        var span = await Eventually.GetAsync(() => Task.FromResult(spans.Ended.FirstOrDefault()), TimeSpan.FromSeconds(10), "the request's span");
        Assert.Equal(redactedPath, span.GetTagItem("url.path"));
        Assert.Equal($"access_token={TokenRedaction.Redacted}&x={TokenRedaction.Redacted}", span.GetTagItem("url.query"));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains(token) == true);
        Assert.DoesNotContain(token, span.DisplayName);
    }

    [Fact]
    public async Task Request_OtherPath_KeepsItsPathInItsSpan()
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var spans = new SpanCollector(AspNetCoreSource, traceId);
        using var client = api.CreateOutsideClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/tasks?limit=5");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        await client.SendAsync(request);

        var span = await Eventually.GetAsync(() => Task.FromResult(spans.Ended.FirstOrDefault()), TimeSpan.FromSeconds(10), "the request's span");
        Assert.Equal("/tasks", span.GetTagItem("url.path"));
    }
}
