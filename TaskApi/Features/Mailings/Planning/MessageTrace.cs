using System.Diagnostics;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings.Planning;

/// <summary>Each SMS message's own trace (<see cref="RootTrace"/>), linked to the mailing's start.</summary>
public static class MessageTrace
{
    public static readonly ActivitySource Source = new("Tasks.TaskApi.Mailings");

    public static string? Begin(long mailingId, long messageId, long clientId, ActivityLink[] links) =>
        RootTrace.Begin(Source, "sms.message created", links, ("mailing.id", mailingId), ("sms.message_id", messageId), ("client.id", clientId));
}
