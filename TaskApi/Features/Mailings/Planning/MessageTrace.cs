using System.Diagnostics;

namespace TaskApi.Features.Mailings.Planning;

/// <summary>
/// A trace of each message's own: one trace follows one message from its creation to the gateway call and its status
/// update, linked to the mailing's start, instead of 100,000 messages in one trace.
/// </summary>
public static class MessageTrace
{
    public static readonly ActivitySource Source = new("Tasks.TaskApi.Mailings");

    /// <summary>Records the message's first span as a new root and returns its traceparent for the send record.</summary>
    public static string? Begin(long mailingId, long messageId, long clientId, ActivityLink[] links)
    {
        // Synchronous on purpose: Activity.Current is cleared and restored within this call, so the new span has no parent.
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            using var activity = Source.StartActivity("sms.message created", ActivityKind.Producer, parentContext: default, links: links);
            activity?.SetTag("mailing.id", mailingId).SetTag("sms.message_id", messageId).SetTag("client.id", clientId);
            return activity?.Id;
        }
        finally
        {
            Activity.Current = current;
        }
    }
}
