using System.ComponentModel.DataAnnotations;

namespace TaskApi.Features.Feed;

/// <summary>The in-app feed's streams, section <c>Feed</c>.</summary>
public sealed class FeedOptions
{
    public const string SectionName = "Feed";

    /// <summary>
    /// A comment line is sent on a stream that had nothing else for this long, so proxies and load balancers that close
    /// idle connections (commonly after 30 to 60 s) keep it open, and a client can tell a live stream from a dead one.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Open streams one user may have on one TaskApi instance (tabs, devices); one more answers 429.</summary>
    [Range(1, 100)]
    public int MaxStreamsPerUser { get; set; } = 10;

    /// <summary>How long the listener waits before listening again after its connection to PostgreSQL failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ListenRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the listening connection is checked (a query on it) while no notice arrives: a connection lost without
    /// a word is noticed within this, and listened again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ListenerKeepAlive { get; set; } = TimeSpan.FromSeconds(15);
}
