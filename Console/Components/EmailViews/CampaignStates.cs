namespace TasksConsole.Components.EmailViews;

/// <summary>A campaign's statuses as TaskApi names them.</summary>
public static class CampaignStates
{
    public const string Scheduled = "scheduled";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Scheduled, Sending, Sent, Cancelled];

    /// <summary>Whether the campaign may still send: it can be cancelled, and its page follows it.</summary>
    public static bool IsActive(string status) => status is Scheduled or Sending;
}
