using TaskApi.Infrastructure;

namespace TaskApi.Features.Mailings;

/// <summary>Bound from the <c>Mailings</c> section.</summary>
public sealed class MailingOptions
{
    public const string SectionName = "Mailings";

    /// <summary>The wait before a message whose attempt failed transiently is tried again (capped by the mailing's end).</summary>
    public BackoffOptions Retries { get; set; } = new() { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromMinutes(5) };
}
