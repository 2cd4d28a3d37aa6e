using System.Diagnostics;

namespace TaskApi.Infrastructure;

/// <summary>
/// A trace of each message's own: one trace follows one message (an SMS, an email) from its creation to the provider
/// and its status update, linked to the operation that made it, instead of 100,000 messages in one trace.
/// </summary>
public static class RootTrace
{
    /// <summary>Records the message's first span as a new root and returns its traceparent for the send record.</summary>
    public static string? Begin(ActivitySource source, string name, ActivityLink[] links, params ReadOnlySpan<(string Key, long Value)> tags)
    {
        // Synchronous on purpose: Activity.Current is cleared and restored within this call, so the new span has no parent.
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            using var activity = source.StartActivity(name, ActivityKind.Producer, parentContext: default, links: links);
            foreach (var (key, value) in tags)
            {
                activity?.SetTag(key, value);
            }
            return activity?.Id;
        }
        finally
        {
            Activity.Current = current;
        }
    }
}
