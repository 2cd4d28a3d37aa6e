using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tasks.Shared;

namespace TaskWorker.Sms;

/// <summary>What one call of the sending API came to; <see cref="Error"/> says why it was not <see cref="SmsOutcome.Sent"/>.</summary>
internal sealed record GatewayAnswer(SmsOutcome Outcome, string? Error = null, DateTimeOffset? RetryNotBefore = null);

/// <summary>
/// The SMS provider's API, one attempt per call: <c>POST {Sms:BaseUrl}/v1/send/{id}</c> with the bearer token and
/// <c>{"id": 42, "phone": 79001234567, "text": "..."}</c>. Its HttpClient has no resilience handler (TaskApi decides
/// retries, and needs to see 429 and Retry-After) and <see cref="SmsOptions.Timeout"/> as its timeout.
/// </summary>
internal sealed class SmsGatewayClient(HttpClient http, IOptions<SmsOptions> options, TimeProvider time, SmsMetrics metrics)
{
    /// <summary>How much of a refusal's status and body goes into the report's error.</summary>
    public const int MaxErrorLength = 500;

    // The most of a refusal's body that is read: room for MaxErrorLength characters of UTF-8. The rest is never read,
    // so a provider answering megabytes (or a body that never ends) costs neither memory nor the attempt's time.
    private const int MaxErrorBodyBytes = 4 * MaxErrorLength;

    private readonly AuthenticationHeaderValue _authorization = new("Bearer", options.Value.Token);

    /// <summary>Configures the client's HttpClient: the API's address as the base of the relative send path, and the attempt's timeout.</summary>
    public static void Configure(HttpClient client, SmsOptions options)
    {
        client.BaseAddress = new Uri(options.BaseUrl!.TrimEnd('/') + "/");
        client.Timeout = options.Timeout;
    }

    public async Task<GatewayAnswer> SendAsync(long messageId, long phone, string text, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/send/{messageId}")
        {
            // Serialized up front, so the request has a Content-Length rather than a chunked body.
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new SendRequest(messageId, phone, text), MessageJson.Options))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
            },
        };
        request.Headers.Authorization = _authorization;

        var started = Stopwatch.GetTimestamp();
        var answer = await CallAsync(request, cancellationToken);
        metrics.GatewayAnswered(answer.Outcome, Stopwatch.GetElapsedTime(started));
        return answer;
    }

    private async Task<GatewayAnswer> CallAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // HttpClient.Timeout ends the wait for the headers only; this one ends reading the body too.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(http.Timeout);
        try
        {
            // Headers first: a refusal's body is read only as far as the error keeps (ReadPrefixAsync), not buffered whole.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            return await ClassifyAsync(response, attempt.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return new GatewayAnswer(SmsOutcome.Retry, Truncate($"The request failed: {e.Message}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout elapsed; the provider may still have taken the message, which the report cannot know.
            return new GatewayAnswer(SmsOutcome.Retry, $"No answer within {http.Timeout}.");
        }
    }

    private async Task<GatewayAnswer> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return new GatewayAnswer(SmsOutcome.Sent);
        }
        var status = (int)response.StatusCode;
        var error = Truncate($"{status} {response.ReasonPhrase}: {await ReadPrefixAsync(response.Content, cancellationToken)}");
        return status is 408 or 429 or >= 500
            ? new GatewayAnswer(SmsOutcome.Retry, error, status is 429 or 503 ? RetryNotBefore(response.Headers.RetryAfter) : null)
            : new GatewayAnswer(SmsOutcome.Failed, error);
    }

    /// <summary>The first <see cref="MaxErrorBodyBytes"/> bytes of the body as text (a character cut at the end becomes U+FFFD).</summary>
    private static async Task<string> ReadPrefixAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxErrorBodyBytes];
        await using var body = await content.ReadAsStreamAsync(cancellationToken);
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>Retry-After as seconds or as an HTTP date; null when absent or unreadable.</summary>
    private DateTimeOffset? RetryNotBefore(RetryConditionHeaderValue? retryAfter) => retryAfter switch
    {
        { Delta: { } delay } => time.GetUtcNow() + delay,
        { Date: { } date } => date,
        _ => null,
    };

    private static string Truncate(string error) => error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;

    /// <summary>The send's body as the provider defines it; id and phone are JSON integers.</summary>
    private sealed record SendRequest(long Id, long Phone, string Text);
}
