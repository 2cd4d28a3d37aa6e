using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaskApi.Features.Feed.Streaming;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Feed.StreamFeed;

/// <summary>The headers of <c>GET /me/notifications/stream</c>.</summary>
public sealed class StreamFeedRequest
{
    /// <summary>
    /// The id of the last event received (an EventSource sends it by itself when it reconnects): the stream first sends
    /// every notification after it, then the new ones. Without it, only notifications that arrive from now on.
    /// </summary>
    [FromHeader(LastEventIdHeader, isRequired: false)]
    public string? LastEventId { get; set; }

    public const string LastEventIdHeader = "Last-Event-ID";
}

public sealed class StreamFeedValidator : Validator<StreamFeedRequest>
{
    public StreamFeedValidator() =>
        RuleFor(r => r.LastEventId)
            .Must(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .WithMessage($"'{StreamFeedRequest.LastEventIdHeader}' must be the id of an event of this stream (digits).")
            .OverridePropertyName(StreamFeedRequest.LastEventIdHeader)
            .When(r => r.LastEventId is not null);
}

/// <summary>
/// <c>GET /me/notifications/stream</c>: Server-Sent Events, one <c>notification</c> event per in-app notification that
/// reaches the user's feed, its id the item's place in the feed. The stream registers for wake-ups before it reads, then
/// reads the feed after the last id it sent whenever woken (<see cref="FeedListener"/>): no item is missed or sent twice,
/// across reconnects too. Its memory is one page of items whatever the client's speed; it ends when TaskApi stops.
/// </summary>
public sealed class StreamFeedEndpoint(
    TasksDbContext db,
    FeedSubscriptions subscriptions,
    IOptions<FeedOptions> options,
    IHostApplicationLifetime lifetime) : Endpoint<StreamFeedRequest, Results<ServerSentEventsResult<FeedItemResponse>, ProblemHttpResult>>
{
    public const string EventType = "notification";

    /// <summary>Items read per query: a stream's whole buffer.</summary>
    private const int PageSize = 100;

    private static readonly ReadOnlyMemory<byte> Heartbeat = ": heartbeat\n\n"u8.ToArray();

    public override void Configure()
    {
        Get("/stream");
        Group<FeedGroup>();
        Policies(UserTokens.Policy);
        Description(endpoint => endpoint.WithName("StreamMyNotifications")
            .Produces(StatusCodes.Status200OK, typeof(FeedItemResponse), "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(summary =>
        {
            summary.Summary = "Stream my new in-app notifications (Server-Sent Events)";
            summary.Description = "text/event-stream: an event 'notification' (data: the item as in the list; id: its place in the feed) " +
                "for each notification reaching the user's feed, on whichever TaskApi instance the stream is open; a comment line " +
                "after a quiet while. With Last-Event-ID the notifications after that event come first. A client reconnects " +
                "(an EventSource does by itself) when the stream ends: TaskApi stopping, or the connection lost.";
            summary.Responses[StatusCodes.Status200OK] = "The stream of events.";
            summary.Responses[StatusCodes.Status429TooManyRequests] = "The user has the most streams open that one instance allows (Feed:MaxStreamsPerUser).";
        });
    }

    public override async Task<Results<ServerSentEventsResult<FeedItemResponse>, ProblemHttpResult>> ExecuteAsync(StreamFeedRequest request, CancellationToken ct)
    {
        var userId = User.Id();
        // Registered before the first read: what becomes sent from here on wakes it, what came before is read.
        var subscription = subscriptions.TrySubscribe(userId, options.Value.MaxStreamsPerUser);
        if (subscription is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many streams",
                detail: $"You have {options.Value.MaxStreamsPerUser} streams of your notifications open already; close one first.");
        }
        try
        {
            var after = request.LastEventId is { } lastEventId
                ? long.Parse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture)
                : await FeedItems.Deliveries(db, userId).MaxAsync(delivery => delivery.FeedSeq, ct) ?? 0;
            return TypedResults.ServerSentEvents(EventsAsync(subscription, after, CancellationToken.None));
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    private async IAsyncEnumerable<SseItem<FeedItemResponse>> EventsAsync(
        FeedSubscriptions.Subscription subscription, long after, [EnumeratorCancellation] CancellationToken requestAborted)
    {
        using var _ = subscription;
        // Ends with the request, and when TaskApi stops (else its shutdown would wait for every open stream).
        using var streaming = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var ct = streaming.Token;
        // The response starts at once, so a client knows its stream is registered.
        if (!await TryWriteHeartbeatAsync(ct))
        {
            yield break;
        }
        while (true)
        {
            List<FeedRow> page;
            try
            {
                page = await FeedItems.Of(db, subscription.UserId).AsNoTracking()
                    .Where(item => item.FeedSeq > after).OrderBy(item => item.FeedSeq).Take(PageSize).ToListAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                yield break;
            }
            foreach (var row in page)
            {
                after = row.FeedSeq;
                yield return new SseItem<FeedItemResponse>(row.Response(), EventType) { EventId = row.FeedSeq.ToString(CultureInfo.InvariantCulture) };
            }
            if (page.Count == PageSize)
            {
                continue;
            }
            bool woken;
            try
            {
                woken = await subscription.WaitAsync(options.Value.HeartbeatInterval, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            if (!woken && !await TryWriteHeartbeatAsync(ct))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// An SSE comment line, written between events (the formatter flushes each event, and waits for the next while this
    /// runs): TypedResults.ServerSentEvents writes events only. False when the client is gone or TaskApi stops.
    /// </summary>
    private async Task<bool> TryWriteHeartbeatAsync(CancellationToken ct)
    {
        try
        {
            await HttpContext.Response.Body.WriteAsync(Heartbeat, ct);
            await HttpContext.Response.Body.FlushAsync(ct);
            return true;
        }
        catch (Exception failure) when (failure is OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
