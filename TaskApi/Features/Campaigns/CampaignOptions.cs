using System.ComponentModel.DataAnnotations;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Campaigns;

/// <summary>Bound from the <c>Campaigns</c> section.</summary>
public sealed class CampaignOptions
{
    public const string SectionName = "Campaigns";

    /// <summary>The wait before an email whose attempt failed transiently (a 4xx reply, a lost connection) is tried again.</summary>
    public BackoffOptions Retries { get; set; } = new() { BaseDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(30) };

    /// <summary>Attempts after which an email still failing transiently is failed with its last error.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;
}
