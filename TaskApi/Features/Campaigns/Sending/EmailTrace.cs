using System.Diagnostics;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Campaigns.Sending;

/// <summary>Each email's own trace (<see cref="RootTrace"/>), linked to the campaign's start.</summary>
public static class EmailTrace
{
    public static readonly ActivitySource Source = new("Tasks.TaskApi.Campaigns");

    public static string? Begin(long campaignId, long messageId, ActivityLink[] links) =>
        RootTrace.Begin(Source, "email.message created", links, ("campaign.id", campaignId), ("email.message_id", messageId));
}
